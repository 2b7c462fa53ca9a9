"""A therapist sees `care` items only (DESIGN section 2, rules 2 and 3): never
a `private` or a `partner` item, on any page, fragment or export, and nothing
at all without an active link."""

import pytest
from django.urls import reverse

from checkins.models import CheckIn, Reflection
from exercises.models import Response
from tests.care_helpers import answer_both, make_therapist
from tests.checkins_helpers import submit_for
from tests.helpers import reader_of
from tests.matrix import THERAPISTS
from tests.test_authorization_matrix import ROUTES, world  # noqa: F401 (the matrix world, a fixture)
from trustwork.care.access import relationships_in_care_of
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

CARE = "CARE-MARKED-7731"
PARTNER = "PARTNER-ONLY-4410"
PRIVATE = "PRIVATE-ONLY-9182"
CARE_ANSWER = "CARE-ANSWER-5521"
PARTNER_ANSWER = "PARTNER-ANSWER-2268"
PRIVATE_ANSWER = "PRIVATE-ANSWER-6604"
SECRETS = (PARTNER, PRIVATE, PARTNER_ANSWER, PRIVATE_ANSWER)


def _write_everything(relationship, first, second):
    """Last week both checked in, with an answer at each level; and exercise
    answers at each level."""
    for marker, module, exercise, key in (
        (CARE_ANSWER, "professional-support", "before-and-after-a-session", "most-important"),
        (PARTNER_ANSWER, "open-communication", "speaker-and-listener", "what-helped"),
        (PRIVATE_ANSWER, "forgiveness-over-time", "release-letter", "the-letter"),
    ):
        answer_both(relationship, module, exercise, key, {p: f"{marker} {p.display_name}" for p in (first, second)})
    # A past week nobody has checked in for yet (the matrix world has some weeks already).
    taken = set(CheckIn.objects.filter(relationship=relationship).values_list("week_start", flat=True))
    week = relationship.rhythm.current_week_start() - WEEK
    while week in taken:
        week -= WEEK
    for person in (first, second):
        submit_for(
            person,
            relationship,
            week,
            reflections=[
                ("i_need", f"{CARE} {person.display_name}", Visibility.CARE),
                ("went_well", f"{PARTNER} {person.display_name}", Visibility.PARTNER),
                ("to_discuss", f"{PRIVATE} {person.display_name}", Visibility.PRIVATE),
            ],
        )


@pytest.fixture
def written(request):
    matrix_world = request.getfixturevalue("world")
    people = matrix_world.people
    _write_everything(matrix_world.relationship, people.partner_a, people.partner_b)
    return matrix_world


def test_the_querysets_give_a_therapist_care_items_only(written):
    therapist = written.people.therapist_active
    texts = set(Reflection.objects.visible_to(reader_of(therapist)).values_list("text", flat=True))
    assert texts == {f"{CARE} Alex", f"{CARE} Sam"}
    answers = {r.value.get("text") for r in Response.objects.visible_to(reader_of(therapist))}
    assert answers == {f"{CARE_ANSWER} Alex", f"{CARE_ANSWER} Sam"}
    assert {r.visibility for r in Response.objects.visible_to(reader_of(therapist))} == {Visibility.CARE}
    shared = CheckIn.objects.visible_to(reader_of(therapist))
    marked = CheckIn.objects.filter(reflections__text__startswith=CARE)
    assert set(shared) == set(marked), "only check-ins with an answer marked care"


@pytest.mark.parametrize("role", ["therapist_pending", "therapist_revoked", "therapist_other"])
def test_the_querysets_give_nothing_without_an_active_link(written, role):
    therapist = getattr(written.people, role)
    assert not CheckIn.objects.visible_to(reader_of(therapist)).filter(relationship=written.relationship).exists()
    assert (
        not Reflection.objects.visible_to(reader_of(therapist))
        .filter(checkin__relationship=written.relationship)
        .exists()
    )
    assert not Response.objects.visible_to(reader_of(therapist)).filter(relationship=written.relationship).exists()


def test_the_reveal_rule_holds_for_the_therapist_too(people):
    from tests.care_helpers import link

    therapist = make_therapist()
    link(people.relationship, therapist)
    submit_for(people.partner_a, people.relationship, reflections=[("i_need", CARE, Visibility.CARE)])
    assert not CheckIn.objects.visible_to(reader_of(therapist)).exists(), "Sam has not checked in this week yet"
    assert not Reflection.objects.visible_to(reader_of(therapist)).exists()
    submit_for(people.partner_b, people.relationship, reflections=[("i_need", "Sam's", Visibility.CARE)])
    assert set(Reflection.objects.visible_to(reader_of(therapist)).values_list("text", flat=True)) == {CARE, "Sam's"}


def test_partners_still_read_what_they_read_before(written):
    alex = written.people.partner_a
    texts = set(
        Reflection.objects.visible_to(reader_of(alex)).filter(text__contains="-").values_list("text", flat=True)
    )
    assert texts == {f"{CARE} Alex", f"{PARTNER} Alex", f"{PRIVATE} Alex", f"{CARE} Sam", f"{PARTNER} Sam"}


def test_the_therapists_couple_page_shows_care_items_and_nothing_else(written, client_for):
    page = client_for(written.people.therapist_active).get(reverse("care:review", args=[written.relationship.code]))
    text = page.content.decode()
    assert f"{CARE} Alex" in text and f"{CARE} Sam" in text
    assert f"{CARE_ANSWER} Alex" in text and f"{CARE_ANSWER} Sam" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_no_url_ever_shows_a_therapist_a_private_or_partner_item(written, client_for, htmx):
    """Every URL of the project (the matrix's list), as each therapist role,
    as a page and as an htmx fragment."""
    headers = {"HX-Request": "true"} if htmx else {}
    seen_care = False
    for role in THERAPISTS:
        client = client_for(getattr(written.people, role))
        for name, route in ROUTES.items():
            url = reverse(name, kwargs=route.kwargs(written)) + route.query
            response = client.get(url, headers=headers, follow=True)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode(errors="replace")
            for secret in SECRETS:
                assert secret not in text, f"{name} as {role} shows {secret}"
            if role != "therapist_active":
                assert CARE not in text, f"{name} as {role} shows a care item without an active link"
            seen_care = seen_care or CARE in text
    assert seen_care, "the active therapist saw the care items somewhere (else this test proves nothing)"


def test_the_therapist_reaches_only_their_own_couples(written):
    people = written.people
    assert list(relationships_in_care_of(people.therapist_active)) == [written.relationship]
    for role in ("therapist_pending", "therapist_revoked"):
        assert not relationships_in_care_of(getattr(people, role)).exists()
    assert written.relationship not in relationships_in_care_of(people.therapist_other)
