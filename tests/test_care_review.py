"""The therapist's pages of a couple: access through an active link only, every
view logged, notes private to the therapist, suggestions seen by the couple."""

import pytest
from django.urls import reverse

from tests.care_helpers import link, make_therapist
from tests.exercises.conftest import _real_content, content  # noqa: F401 (fixtures)
from tests.helpers import page_text, snapshot
from trustwork.care.models import AccessLog, ExerciseSuggestion, TherapistNote


def _unchanged_but_the_log():
    """Everything but the access log, which records refused requests too."""
    state = snapshot()
    state.pop("care.AccessLog")
    return state


def _review(people):
    return f"/care/couples/{people.relationship.code}/"


def test_it_shows_the_couple_and_logs_the_view(client_for, people, therapist, care_link):
    response = client_for(therapist).get(_review(people))
    assert response.status_code == 200
    assert "Alex and Sam" in page_text(response)
    entry = AccessLog.objects.get()
    assert (entry.therapist, entry.relationship, entry.page, entry.succeeded) == (
        therapist,
        people.relationship,
        "Couple page",
        True,
    )


def test_a_refused_attempt_is_logged_too(client_for, people, therapist):
    link(people.relationship, therapist, consenting=[people.partner_a])
    assert client_for(therapist).get(_review(people)).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.therapist, entry.relationship, entry.succeeded) == (therapist, people.relationship, False)


def test_revoking_refuses_the_therapists_very_next_request(client_for, people, therapist, care_link):
    client = client_for(therapist)
    assert client.get(_review(people)).status_code == 200
    client_for(people.partner_b).post(f"/care/links/{care_link.code}/revoke/")
    assert client.get(_review(people)).status_code == 404
    assert client.get("/care/").status_code == 200
    assert "Alex and Sam" not in page_text(client.get("/care/"))


def test_both_partners_read_the_log_in_their_own_time_zone(client_for, people, therapist, care_link):
    client_for(therapist).get(_review(people))
    people.partner_b.time_zone = "America/New_York"
    people.partner_b.save()
    entry = AccessLog.objects.get()
    for person, zone in ((people.partner_a, "Europe/London"), (people.partner_b, "America/New_York")):
        import zoneinfo

        local = entry.at.astimezone(zoneinfo.ZoneInfo(zone))
        text = page_text(client_for(person).get(f"/care/our/{people.relationship.code}/log/"))
        assert "Dr Rivera" in text
        assert "Couple page" in text
        assert f"{local:%H:%M}" in text


def test_nobody_else_reads_the_log(client_for, people, therapist, care_link):
    client_for(therapist).get(_review(people))
    for person in (people.outsider, therapist, people.staff):
        assert client_for(person).get(f"/care/our/{people.relationship.code}/log/").status_code == 404


def test_a_therapist_of_another_couple_gets_404_and_the_attempt_is_logged(client_for, people):
    from tests.factories import make_couple

    other = make_therapist()
    link(make_couple(), other)
    assert client_for(other).get(_review(people)).status_code == 404
    assert AccessLog.objects.filter(relationship=people.relationship, succeeded=False, therapist=other).exists()


def test_a_note_is_saved_and_private_to_the_therapist(client_for, people, therapist, care_link):
    response = client_for(therapist).post(f"{_review(people)}notes/", {"text": "Ask about the walk."})
    assert response.status_code == 302
    note = TherapistNote.objects.get()
    assert (note.therapist, note.relationship, note.text) == (therapist, people.relationship, "Ask about the walk.")
    assert "Ask about the walk." in page_text(client_for(therapist).get(_review(people)))
    for person in (people.partner_a, people.partner_b):
        for path in ("/", f"/care/our/{people.relationship.code}/", f"/care/our/{people.relationship.code}/log/"):
            assert "Ask about the walk." not in page_text(client_for(person).get(path))
    assert not TherapistNote.objects.visible_to(people.partner_a).exists()


def test_a_note_with_htmx_returns_only_the_notes_region(client_for, people, therapist, care_link):
    response = client_for(therapist).post(
        f"{_review(people)}notes/", {"text": "Slow week."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    text = page_text(response)
    assert text.lstrip().startswith('<section class="card" id="notes"')
    assert "Slow week." in text
    assert "Your note is saved." in text


def test_an_empty_note_is_refused_with_a_message(client_for, people, therapist, care_link):
    before = TherapistNote.objects.count()
    response = client_for(therapist).post(f"{_review(people)}notes/", {"text": "   "})
    assert response.status_code == 400
    assert "The note is empty." in page_text(response)
    assert TherapistNote.objects.count() == before


def test_a_too_long_note_keeps_the_text(client_for, people, therapist, care_link):
    text = "x" * 5001
    response = client_for(therapist).post(f"{_review(people)}notes/", {"text": text}, headers={"HX-Request": "true"})
    assert response.status_code == 200, "htmx swaps only 2xx answers"
    assert "Please keep a note under 5,000 characters" in page_text(response)
    assert text in page_text(response)
    assert not TherapistNote.objects.exists()


def test_a_revoked_therapist_can_no_longer_write_notes(client_for, people, therapist, care_link):
    client_for(people.partner_a).post(f"/care/links/{care_link.code}/revoke/")
    before = TherapistNote.objects.count()
    assert client_for(therapist).post(f"{_review(people)}notes/", {"text": "Hello"}).status_code == 404
    assert TherapistNote.objects.count() == before


@pytest.mark.usefixtures("content")
def test_a_suggestion_shows_on_both_partners_home_page(client_for, people, therapist, care_link):
    from exercises.models import Exercise

    exercise = Exercise.objects.current().filter(is_private=False).first()
    response = client_for(therapist).post(
        f"{_review(people)}suggestions/", {"exercise": exercise.pk, "message": "Try this before Thursday."}
    )
    assert response.status_code == 302
    suggestion = ExerciseSuggestion.objects.get()
    assert suggestion.exercise == exercise
    for person in (people.partner_a, people.partner_b):
        home = page_text(client_for(person).get("/"))
        assert "Dr Rivera</strong> suggests" in home
        assert exercise.title in home
        assert "Try this before Thursday." in home
        assert (
            reverse("exercises:exercise", args=[people.relationship.code, exercise.module.slug, exercise.slug]) in home
        )
    assert "Try this before Thursday." not in page_text(client_for(people.outsider).get("/"))


@pytest.mark.usefixtures("content")
def test_a_suggestion_without_an_exercise_is_refused(client_for, people, therapist, care_link):
    before = _unchanged_but_the_log()
    response = client_for(therapist).post(f"{_review(people)}suggestions/", {"exercise": "", "message": "Hi"})
    assert response.status_code == 400
    assert "Please choose an exercise to suggest." in page_text(response)
    assert _unchanged_but_the_log() == before


@pytest.mark.usefixtures("content")
def test_a_private_exercise_cannot_be_suggested(client_for, people, therapist, care_link):
    from exercises.models import Exercise

    private = Exercise.objects.filter(is_private=True).first()
    if private is None:
        pytest.fail("the content has a private exercise (the release letter)")
    before = _unchanged_but_the_log()
    response = client_for(therapist).post(f"{_review(people)}suggestions/", {"exercise": private.pk})
    assert response.status_code == 400
    assert "That exercise isn&#x27;t available any more." in page_text(response)
    assert _unchanged_but_the_log() == before


def test_the_couples_home_page_shows_the_link_status_and_the_log(client_for, people, therapist):
    link(people.relationship, therapist, consenting=[people.partner_a])
    home = page_text(client_for(people.partner_b).get("/"))
    assert "Dr Rivera: waiting for one of you to agree." in home
    assert "Read what Dr Rivera would see" in home
    assert f"/care/our/{people.relationship.code}/log/" in home


@pytest.mark.usefixtures("content")
def test_it_counts_progress_only_as_far_as_it_was_shared_with_the_therapist(people, therapist, care_link):
    """The bars grow with what each partner shared with the therapist, never
    with what they shared with each other alone, and nothing private counts."""
    from exercises.models import Response
    from tests.care_helpers import answer_both
    from trustwork.care import review

    both = {people.partner_a: "written", people.partner_b: "written"}
    answer_both(people.relationship, "open-communication", "speaker-and-listener", "what-helped", both)
    answer_both(people.relationship, "forgiveness-over-time", "release-letter", "the-letter", both)

    def bars():
        summary = review.couple_page(therapist, people.relationship)["summary"]
        return {module.module.number: module.couple for module in summary.modules}

    assert bars()[1].done == 0, "answers shared between the partners alone are not the therapist's to count"
    Response.objects.filter(author=people.partner_a, step__key="what-helped").update(visibility="care")
    assert bars()[1].done == 1
    Response.objects.filter(step__exercise__slug="release-letter").update(visibility="care")
    assert bars()[7].done == 0, "the release letter is private: not even its progress shows"
