from django.template.loader import render_to_string

from exercises.models import ContentRevision
from exercises.progress import load_progress
from trustwork import caching
from trustwork.couples.access import partner_reader


def card(request, relationship) -> str:
    """The dashboard card of this app (see trustwork.views.DASHBOARD_CARDS):
    the next step to do and progress. Kept under a key of the reader, the
    couple's version (every answer bumps it) and the content's revision."""
    reader = partner_reader(request.user, relationship)
    key = caching.make_key(
        "exercises-card", *caching.couple_parts(reader, relationship), ContentRevision.current_token()
    )
    return caching.kept(key, lambda: _html(request.user, relationship))


def _html(user, relationship) -> str:
    progress = load_progress(user, relationship, relationship.partner_of(user))
    card = {"relationship": relationship, "progress": progress, "next": progress.next_step()}
    return render_to_string("exercises/dashboard_card.html", {"card": card})
