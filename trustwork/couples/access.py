"""The one way views reach a couple's record. Outsiders get 404.

A page resolves the person's couple once (`get_relationship_for_user`), then
reads everything of it through `partner_reader(user, relationship)`, so every
later query starts from that couple's id instead of finding the membership
again.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from trustwork.couples.models import Membership, Relationship
from trustwork.privacy import Reader, Role


def with_partners(relationships):
    """The relationships with their memberships and users, in one more query
    (memberships joined to their users, rather than a query for each)."""
    return relationships.prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))


def get_relationship_for_user(user, code) -> Relationship:
    return get_object_or_404(with_partners(Relationship.objects.for_member(user)), code=code)


def current_relationship(user) -> Relationship | None:
    """The person's one active relationship, with its partners loaded."""
    return with_partners(Relationship.objects.for_member(user)).first()


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
