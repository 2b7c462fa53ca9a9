"""Delete my account: password (and code) again, then everything the person
wrote goes; the partner keeps their own; the couple's access log stays."""

import html
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checkins.models import CheckIn, Reflection
from exercises.models import Commitment
from tests.factories import PASSWORD, UserFactory
from tests.helpers import page_text, snapshot
from tests.privacy_world import add_more_writing, fill_everything
from trustwork.accounts.models import User
from trustwork.care.models import AccessLog, CareLink, ExerciseSuggestion, TherapistNote
from trustwork.deletion import delete_account
from trustwork.safety.models import SafetyCheck

URL = reverse("delete_account")


def _code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def world(db):
    return fill_everything()


def _signed_in(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    ("password", "code", "message"),
    [
        ("", "", "This field is required."),
        ("not-my-password", "", "That password isn't right."),
        (PASSWORD, "", "we also need a code from your authenticator app"),
        (PASSWORD, "000000", "That code isn't right or has expired."),
    ],
)
def test_it_deletes_nothing_without_the_password_and_code(world, password, code, message):
    before = snapshot()
    response = _signed_in(world.alex).post(URL, {"password": password, "code": code})
    assert response.status_code == 200
    assert message in html.unescape(page_text(response))
    assert snapshot() == before


def test_it_deletes_the_account_and_signs_out(world):
    client = _signed_in(world.alex)
    response = client.post(URL, {"password": PASSWORD, "code": _code(world.totp_secret)}, follow=True)
    assert "Your account and everything you wrote are deleted." in page_text(response)
    assert not User.objects.filter(pk=world.alex.pk).exists()
    assert "_auth_user_id" not in client.session


def test_it_asks_only_for_the_password_when_two_factor_is_off(db):
    person = UserFactory()
    response = _signed_in(person).post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def _text_values(exclude_models=()):
    """Every text or JSON value stored in any table, with where it is."""
    for model in apps.get_models():
        if model._meta.label in exclude_models:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.EmailField)
        ]
        if not names:
            continue
        for row in model._default_manager.values("pk", *names):
            for name in names:
                yield f"{model._meta.label}.{name}#{row['pk']}", str(row[name])


def test_no_row_refers_to_the_person_afterwards_except_the_couples_access_log(world):
    alex, alex_pk = world.alex, world.alex.pk
    access_log_rows = AccessLog.objects.filter(relationship=world.relationship).count()

    delete_account(alex)

    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                left = model._default_manager.filter(**{field.attname: alex_pk})
                assert not left.exists(), f"{model._meta.label}.{field.name} still points at the deleted person"
    for where, value in _text_values():
        for trace in ("ALEX-WROTE-THIS", "alex.privacy@example.com", "Alex Privacy"):
            assert trace not in value, f"{where} still holds {trace!r}"
    # Kept by policy: the couple's record of therapist visits, for the partner.
    assert AccessLog.objects.filter(relationship=world.relationship).count() == access_log_rows


def test_the_partner_keeps_their_own_writing_and_loses_the_shared_record(world):
    sam_rows = {
        "checkins": CheckIn.objects.filter(author=world.sam).count(),
        "reflections": Reflection.objects.filter(checkin__author=world.sam).count(),
        "commitments": Commitment.objects.filter(author=world.sam).count(),
        "safety": SafetyCheck.objects.filter(person=world.sam).count(),
    }
    delete_account(world.alex)
    assert sam_rows == {
        "checkins": CheckIn.objects.filter(author=world.sam).count(),
        "reflections": Reflection.objects.filter(checkin__author=world.sam).count(),
        "commitments": Commitment.objects.filter(author=world.sam).count(),
        "safety": SafetyCheck.objects.filter(person=world.sam).count(),
    }
    world.relationship.refresh_from_db()
    assert world.relationship.ended_at is not None
    assert not world.relationship.memberships.filter(is_active=True).exists()
    assert _signed_in(world.sam).get(reverse("couples:detail", args=[world.relationship.code])).status_code == 404


def test_it_ends_the_couples_therapist_links(world):
    # A link sam invited stays on record, revoked; the one alex invited goes with alex.
    from tests.care_helpers import link

    kept = link(world.relationship, UserFactory(), consenting=[world.sam])
    kept.invited_by = world.sam
    kept.save()
    delete_account(world.alex)
    assert not CareLink.objects.filter(relationship=world.relationship, revoked_at__isnull=True).exists()
    kept.refresh_from_db()
    assert kept.revoked_at is not None


def test_a_therapist_who_leaves_takes_their_writing_and_the_couple_keeps_the_log(world):
    delete_account(world.therapist)
    assert not TherapistNote.objects.exists()
    assert not ExerciseSuggestion.objects.exists()
    log = AccessLog.objects.get(relationship=world.relationship)
    assert log.therapist is None
    assert not CareLink.objects.filter(relationship=world.relationship).exists()


def test_it_ends_every_session_of_the_person(world):
    other_device = Client()
    other_device.post(reverse("account_login"), {"login": world.alex.email, "password": PASSWORD})
    delete_account(world.alex)
    assert other_device.get(reverse("accounts:profile")).status_code == 302


def test_it_limits_password_guesses(db):
    person = UserFactory()
    client = _signed_in(person)
    for _ in range(5):
        assert client.post(URL, {"password": "guess-again"}).status_code == 200
    before = snapshot()
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert snapshot() == before


def test_it_uses_the_same_number_of_queries_with_more_data(world):
    client = _signed_in(world.alex)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    small = count()
    add_more_writing(world)
    assert count() == small
