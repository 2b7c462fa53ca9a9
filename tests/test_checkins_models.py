"""What the database itself guarantees, whatever code writes to it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins.models import CheckIn, Reflection
from tests.checkins_helpers import submit_for

pytestmark = pytest.mark.django_db


def test_it_allows_one_checkin_per_partner_per_week(people):
    first = submit_for(people.partner_a, people.relationship, submitted=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(relationship=people.relationship, author=people.partner_a, week_start=first.week_start)
    CheckIn.objects.create(relationship=people.relationship, author=people.partner_b, week_start=first.week_start)


@pytest.mark.parametrize(
    ("field", "value"), [("csi_happiness", 7), ("csi_warm", 6), ("trust_partner", 0), ("felt_heard", 11)]
)
def test_it_refuses_ratings_off_the_scale(people, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        submit_for(people.partner_a, people.relationship, **{field: value})


def test_it_refuses_a_submitted_checkin_with_a_missing_rating(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(
            relationship=people.relationship,
            author=people.partner_a,
            week_start=timezone.localdate(),
            submitted_at=timezone.now(),
        )


def test_it_refuses_an_unknown_visibility(people):
    checkin = submit_for(people.partner_a, people.relationship, reflections=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.create(checkin=checkin, prompt="went_well", text="x", visibility="everyone")


def test_it_totals_the_csi4_and_flags_distress_below_13_5(people):
    checkin = submit_for(
        people.partner_a, people.relationship, csi_happiness=6, csi_warm=5, csi_rewarding=1, csi_satisfied=1
    )
    assert checkin.csi_total == 13
    assert checkin.suggests_distress
    checkin.csi_rewarding = 2
    assert checkin.csi_total == 14 and not checkin.suggests_distress
