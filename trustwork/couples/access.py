"""The one way views reach a couple's record. Outsiders get 404.

A page resolves the person's couple once (`get_relationship_for_user`), then
reads everything of it through `partner_reader(user, relationship)`, so every
later query starts from that couple's id instead of finding the membership
again.
"""

from django.http import Http404

from trustwork.couples.models import Membership, Relationship
from trustwork.privacy import Reader, Role


def couple_from(memberships) -> Relationship | None:
    """The relationship of these current memberships (all of one couple,
    each with its relationship and user joined), with its partners known:
    `active_members()` and `partner_of()` then cost no query."""
    if not memberships:
        return None
    relationship = memberships[0].relationship
    relationship.current_members = sorted((m.user for m in memberships), key=lambda person: person.pk)
    return relationship


def members_of(relationships):
    """The current memberships of these relationships with their
    relationship and user, in one query: the couple and the partners at once."""
    return Membership.objects.current().filter(relationship__in=relationships).select_related("relationship", "user")


def get_relationship_for_user(user, code) -> Relationship:
    """The couple `code` of which `user` is a current partner, with both
    partners, in one query; 404 for anyone else."""
    memberships = list(members_of(Relationship.objects.filter(code=code)))
    if not any(membership.user_id == user.pk for membership in memberships):
        raise Http404("No shared record here.")
    return couple_from(memberships)


def current_relationship(user) -> Relationship | None:
    """The person's one active relationship, with its partners, in one query."""
    if not user.is_authenticated:
        return None
    return couple_from(list(members_of(Relationship.objects.for_member(user))))


def partner_reader(user, relationship: Relationship | None) -> Reader:
    """`user` reading as a partner of `relationship`, which an access helper
    above has already found to be theirs (no query)."""
    return Reader(user, (relationship.pk,) if relationship is not None else ())


def former_partner_reader(user, relationship: Relationship) -> Reader:
    """`user` reading their own writing in a record that has ended, which an
    access helper has found they were part of: nobody else's."""
    return Reader(user, (relationship.pk,), Role.FORMER_PARTNER)


def reader_for(user) -> Reader:
    """`user` reading as a partner of whatever couple they are in now (one
    query), for code that does not start from a page's couple."""
    if not user.is_authenticated:
        return Reader(user, ())
    ids = Membership.objects.current().filter(user=user).values_list("relationship_id", flat=True)
    return Reader(user, tuple(ids))
