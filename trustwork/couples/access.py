"""The one way views reach a couple's record. Outsiders get 404."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from trustwork.couples.models import Membership, Relationship


def with_partners(relationships):
    """The relationships with their memberships and users, in one more query
    (memberships joined to their users, rather than a query for each)."""
    return relationships.prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))


def get_relationship_for_user(user, code) -> Relationship:
    return get_object_or_404(with_partners(Relationship.objects.for_member(user)), code=code)


def current_relationship(user) -> Relationship | None:
    """The person's one active relationship, with its partners loaded."""
    return with_partners(Relationship.objects.for_member(user)).first()
