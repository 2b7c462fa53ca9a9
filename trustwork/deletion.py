"""Deleting an account (DESIGN section 6).

What the person wrote is deleted; the shared record ends, and the partner
keeps their own writing; therapist links end; the therapist access log of the
couple is kept (it is the partner's record too), with no link to the person.

It reaches every app, so it is put together here, above them all: each app
says what it keeps of a person, in the same transaction.
"""

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.db import transaction

from trustwork.care import services as care_services
from trustwork.couples import services as couples_services


def delete_account(user) -> None:
    addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        relationships = couples_services.end_every_record_of(user)
        couples_services.delete_invitations_to(addresses)
        care_services.forget_person(user, relationships, addresses)
        for session in UserSession.objects.filter(user=user):
            session.end()
        user.delete()
