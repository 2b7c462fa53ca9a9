"""The one way views reach a couple's record. Outsiders get 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from trustwork.couples.models import Membership, Relationship


def _with_partners():
    # Memberships with their users in one query, not one for each.
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("user"))
    return Relationship.objects.prefetch_related(memberships)


def get_relationship_for_user(user, code) -> Relationship:
    return get_object_or_404(_with_partners().for_member(user), code=code)


def current_relationship(user) -> Relationship | None:
    """The person's one active relationship, with its partners loaded."""
    return _with_partners().for_member(user).first()
