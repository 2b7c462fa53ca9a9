"""The reveal rule (DESIGN section 2, rule 1) and per-answer visibility,
tested on the one place they live: the visible_to queryset methods."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from checkins import services
from checkins.models import CheckIn, Reflection
from tests.checkins_helpers import submit_for
from tests.helpers import reader_of
from trustwork.couples.services import end_relationship
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db


def _authors(user):
    return {c.author for c in CheckIn.objects.visible_to(reader_of(user))}


def test_it_shows_me_my_own_draft(people):
    submit_for(people.partner_a, people.relationship, submitted=False)
    assert _authors(people.partner_a) == {people.partner_a}


def test_it_hides_a_partners_checkin_until_i_have_submitted_too(people):
    submit_for(people.partner_b, people.relationship)
    assert _authors(people.partner_a) == set()


def test_it_hides_a_partners_checkin_while_mine_is_only_a_draft(people):
    submit_for(people.partner_b, people.relationship)
    submit_for(people.partner_a, people.relationship, submitted=False)
    assert _authors(people.partner_a) == {people.partner_a}


def test_it_reveals_both_once_both_have_submitted(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    assert _authors(people.partner_a) == {people.partner_a, people.partner_b}
    assert _authors(people.partner_b) == {people.partner_a, people.partner_b}


def test_it_never_reveals_a_partners_draft(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship, submitted=False)
    assert _authors(people.partner_a) == {people.partner_a}


def test_it_matches_weeks_so_last_weeks_checkin_reveals_nothing_this_week(people):
    this_week = people.relationship.rhythm.current_week_start()
    submit_for(people.partner_a, people.relationship, this_week - WEEK)
    submit_for(people.partner_b, people.relationship, this_week)
    assert _authors(people.partner_a) == {people.partner_a}


def test_it_shows_nothing_to_outsiders_staff_or_anonymous(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    assert not CheckIn.objects.visible_to(reader_of(people.outsider)).exists()
    assert not CheckIn.objects.visible_to(reader_of(people.staff)).exists()
    assert not CheckIn.objects.visible_to(reader_of(AnonymousUser())).exists()
    assert not Reflection.objects.visible_to(reader_of(people.staff)).exists()


def test_it_cuts_the_partners_view_when_the_relationship_ends(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    end_relationship(people.relationship, people.partner_b)
    assert _authors(people.partner_a) == set()


def test_it_never_shows_a_private_reflection_to_the_partner(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    texts = set(Reflection.objects.visible_to(reader_of(people.partner_a)).values_list("text", flat=True))
    assert texts == {"Alex shared this", "Alex kept this private", "Sam shared this"}


def test_it_shows_care_reflections_to_the_partner(people):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship, reflections=[("i_need", "for both of us", "care")])
    assert Reflection.objects.visible_to(reader_of(people.partner_a)).filter(text="for both of us").exists()


def test_it_lets_an_author_share_after_the_week_ended(people):
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    theirs = submit_for(people.partner_b, people.relationship, last_week)
    services.share_early(theirs, people.partner_b)
    assert _authors(people.partner_a) == {people.partner_b}
    texts = set(Reflection.objects.visible_to(reader_of(people.partner_a)).values_list("text", flat=True))
    assert texts == {"Sam shared this"}


def test_it_refuses_to_share_early_while_the_week_is_open(people):
    mine = submit_for(people.partner_b, people.relationship)
    with pytest.raises(services.CheckInError, match="still open"):
        services.share_early(mine, people.partner_b)
    assert _authors(people.partner_a) == set()


def test_it_refuses_to_share_someone_elses_checkin(people):
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    theirs = submit_for(people.partner_b, people.relationship, last_week)
    with pytest.raises(services.CheckInError, match="Only the person"):
        services.share_early(theirs, people.partner_a)
    assert _authors(people.partner_a) == set()


def test_it_closes_the_week_at_local_midnight(people):
    relationship = people.relationship
    week_start = relationship.rhythm.current_week_start()
    _, closes = relationship.rhythm.week_window(week_start)
    assert not relationship.rhythm.has_ended(week_start, closes - datetime.timedelta(seconds=1))
    assert relationship.rhythm.has_ended(week_start, closes)
    assert closes > timezone.now()


def _therapist_of(relationship, **link_options):
    from tests.care_helpers import link, make_therapist

    therapist = make_therapist()
    link(relationship, therapist, **link_options)
    return therapist


def _with_every_level(person, relationship):
    return submit_for(
        person,
        relationship,
        reflections=[
            ("went_well", f"{person.display_name} for the partner", "partner"),
            ("i_need", f"{person.display_name} for care", "care"),
            ("to_discuss", f"{person.display_name} alone", "private"),
        ],
    )


def test_it_gives_a_consented_therapist_care_answers_only_once_both_are_in(people):
    therapist = _therapist_of(people.relationship)
    _with_every_level(people.partner_a, people.relationship)
    assert not CheckIn.objects.visible_to(reader_of(therapist)).exists()
    _with_every_level(people.partner_b, people.relationship)
    assert _authors(therapist) == {people.partner_a, people.partner_b}
    texts = set(Reflection.objects.visible_to(reader_of(therapist)).values_list("text", flat=True))
    assert texts == {"Alex for care", "Sam for care"}


def test_it_gives_a_therapist_nothing_of_a_checkin_without_care_answers(people):
    therapist = _therapist_of(people.relationship)
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    assert not CheckIn.objects.visible_to(reader_of(therapist)).exists()


@pytest.mark.parametrize("link_options", [{"consenting": []}, {"revoked": True}, {"accepted": False}])
def test_it_gives_a_therapist_nothing_without_an_active_consented_link(people, link_options):
    if "consenting" in link_options:
        link_options = {"consenting": [people.partner_a]}
    therapist = _therapist_of(people.relationship, **link_options)
    _with_every_level(people.partner_a, people.relationship)
    _with_every_level(people.partner_b, people.relationship)
    assert not CheckIn.objects.visible_to(reader_of(therapist)).exists()
    assert not Reflection.objects.visible_to(reader_of(therapist)).exists()
