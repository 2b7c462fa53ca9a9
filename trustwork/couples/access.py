"""The one way views reach a couple's record. Outsiders get 404."""

from django.shortcuts import get_object_or_404

from trustwork.couples.models import Relationship


def get_relationship_for_user(user, code) -> Relationship:
    return get_object_or_404(Relationship.objects.for_member(user).prefetch_related("memberships__user"), code=code)


def current_relationship(user) -> Relationship | None:
    """The person's one active relationship, with its partners loaded."""
    return Relationship.objects.for_member(user).prefetch_related("memberships__user").first()
