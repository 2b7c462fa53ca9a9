"""The one way a therapist reaches a couple (DESIGN section 2, rules 2 to 5).

Every call checks the link again in the database: nothing is cached, so a
partner's revocation counts from the therapist's very next request. Every call
also writes a row in the couple's access log, for a refused attempt too.
"""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.http import Http404

from trustwork.care.models import AccessLog, CareLink, TherapistProfile
from trustwork.couples.access import couple_from, members_of
from trustwork.couples.models import Relationship
from trustwork.privacy import Reader, Role


def is_therapist(user) -> bool:
    return user.is_authenticated and hasattr(user, "therapist_profile")


def therapist_profile(user) -> TherapistProfile | None:
    """The user's therapist profile, None for anyone else, in one query that
    also sets `has_totp`: whether they have an authenticator app (TOTP), as
    allauth's is_mfa_enabled(user, [TOTP]) asks. The profile is kept on the
    user, so `user.therapist_profile` costs nothing more."""
    if not user.is_authenticated:
        return None
    totp = Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
    profile = TherapistProfile.objects.filter(user=user).annotate(has_totp=Exists(totp)).first()
    if profile is not None:
        user.therapist_profile = profile
    return profile


def relationships_in_care_of(user):
    """Relationships with an active care link to `user` (none for anyone else)."""
    if not user.is_authenticated:
        return Relationship.objects.none()
    return Relationship.objects.active().filter(
        pk__in=CareLink.objects.active().filter(therapist=user).values("relationship")
    )


def therapist_reader(user, relationships) -> Reader:
    """`user` reading as the therapist of `relationships`, which come from
    relationships_in_care_of (or get_relationship_for_therapist): the care
    link has been checked on this request already."""
    return Reader(user, tuple(relationship.pk for relationship in relationships), Role.THERAPIST)


def log_access(user, relationship, page: str, succeeded: bool) -> None:
    AccessLog.objects.create(
        therapist=user,
        therapist_name=_name_of(user),
        relationship=relationship,
        page=page,
        succeeded=succeeded,
    )


def log_dashboard_view(user, relationships, page: str) -> None:
    """One row per couple shown on a page across couples, in one query."""
    name = _name_of(user)
    # Ids rather than objects: assigning request.user (a lazy object) to 30 rows was most of the cost.
    AccessLog.objects.bulk_create(
        AccessLog(therapist_id=user.pk, therapist_name=name, relationship_id=r.pk, page=page, succeeded=True)
        for r in relationships
    )


def get_relationship_for_therapist(request, code, page: str) -> Relationship:
    """The couple `code` if the signed-in therapist has an active link to it;
    404 otherwise. Both outcomes are logged."""
    user = request.user
    relationship = couple_from(list(members_of(relationships_in_care_of(user).filter(code=code))))
    if relationship is None:
        # Logged against the couple the address names, so they see the attempt.
        named = Relationship.objects.filter(code=code).first()
        log_access(user, named, page, succeeded=False)
        raise Http404("No couple here.")
    log_access(user, relationship, page, succeeded=True)
    return relationship


def _name_of(user) -> str:
    profile = getattr(user, "therapist_profile", None)
    return profile.name if profile else (user.display_name or user.email)
