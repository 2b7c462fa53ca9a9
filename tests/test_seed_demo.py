import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from tests.helpers import snapshot
from trustwork.accounts.models import User
from trustwork.couples.models import Relationship


def test_it_creates_alice_bob_and_the_therapist_with_verified_emails(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    emails = {"alice@example.com", "bob@example.com", "therapist@example.com"}
    assert set(User.objects.values_list("email", flat=True)) >= emails
    assert EmailAddress.objects.filter(email__in=emails, verified=True).count() == 3
    assert User.objects.get(email="alice@example.com").check_password("trustwork-demo")
    alice_and_bob = Relationship.objects.for_member(User.objects.get(email="alice@example.com")).get()
    assert {u.email for u in alice_and_bob.active_members()} == {"alice@example.com", "bob@example.com"}


def test_it_changes_nothing_when_run_again(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="pass --force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="alice@example.com").exists()
