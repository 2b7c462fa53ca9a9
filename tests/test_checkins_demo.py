from io import StringIO

import pytest
from django.core.management import call_command

from checkins.models import CheckIn, Reflection
from trustwork.accounts.models import User

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", stdout=StringIO())


def test_it_seeds_twelve_weeks_with_gaps_private_notes_and_a_trend(settings):
    settings.DEBUG = True
    _seed()
    alice, bob = User.objects.get(email="alice@example.com"), User.objects.get(email="bob@example.com")
    relationship = alice.memberships.get().relationship
    current = relationship.rhythm.current_week_start()
    alices = list(CheckIn.objects.filter(author=alice).order_by("week_start"))
    bobs = list(CheckIn.objects.filter(author=bob).order_by("week_start"))
    assert len({c.week_start for c in alices + bobs}) == 12
    assert len(alices) == 11 and len(bobs) == 10
    assert all(c.is_submitted and c.week_start < current for c in alices + bobs)
    assert alices[-1].csi_total > alices[0].csi_total
    assert Reflection.objects.filter(checkin__author=alice, visibility="private").exists()
    assert Reflection.objects.filter(checkin__author=bob, visibility="private").exists()


def test_it_changes_nothing_when_run_again(settings):
    settings.DEBUG = True
    _seed()
    counts = (CheckIn.objects.count(), Reflection.objects.count())
    _seed()
    assert (CheckIn.objects.count(), Reflection.objects.count()) == counts
