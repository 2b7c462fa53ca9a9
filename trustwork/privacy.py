"""The visibility every piece of writing carries (DESIGN section 2).

Who may read what is decided in one queryset method per model
(`visible_to(user)`); this module only names the levels.
"""

from django.db import models


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    PARTNER = "partner", "Me and my partner"
    CARE = "care", "My partner and our therapist"


# Levels a partner may read of the other partner's writing, once revealed.
SHARED_WITH_PARTNER = (Visibility.PARTNER, Visibility.CARE)
# Levels a consented therapist may read (the therapist feature adds the reader).
SHARED_WITH_CARE = (Visibility.CARE,)
