"""The step engine and who may read which answer (DESIGN section 2)."""

import pytest

from exercises import services
from exercises.models import Completion, Response
from exercises.progress import load_progress
from tests.exercises.conftest import answer, answer_through, step
from tests.factories import make_couple
from tests.helpers import reader_of

M1, TALK, STORY = "open-communication", "speaker-and-listener", "check-the-story"


def visible(user):
    return set(Response.objects.visible_to(reader_of(user)).values_list("pk", flat=True))


def test_it_lets_each_partner_move_at_their_own_pace(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, TALK, "choose-a-topic")
    steps, mine = services.position_for(
        couple.partner_a, relationship, step(M1, TALK, "how-it-works").exercise, couple.partner_b
    )
    # "choose-a-topic" is answered together, so Alex waits there for Sam.
    assert mine.waiting and mine.step.key == "choose-a-topic"
    _, sams = services.position_for(couple.partner_b, relationship, steps[0].exercise, couple.partner_a)
    assert sams.step.key == "how-it-works" and not sams.waiting


def test_it_refuses_an_answer_to_a_step_that_is_not_open_yet(couple):
    later = step(M1, TALK, "felt-heard")
    with pytest.raises(services.ExerciseError, match="This step isn't open yet"):
        answer(couple.partner_a, couple.relationship, later, {"number": 5})
    assert not Response.objects.filter(step=later).exists()


def test_it_lets_a_person_change_an_earlier_answer(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, STORY, "my-guess", {"my-guess": {"text": "first"}})
    answer(couple.partner_a, relationship, step(M1, STORY, "my-guess"), {"text": "second thoughts"})
    assert Response.objects.get(step=step(M1, STORY, "my-guess"), author=couple.partner_a).value == {
        "text": "second thoughts"
    }


def test_it_settles_answers_once_the_exercise_is_complete(couple):
    relationship = couple.relationship
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, M1, STORY, "my-guess")
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, M1, STORY, "ask-next-time")
    exercise = step(M1, STORY, "my-guess").exercise
    services.complete_exercise(couple.partner_a, relationship, exercise)
    with pytest.raises(services.ExerciseError, match="completed this exercise"):
        answer(couple.partner_a, relationship, step(M1, STORY, "my-guess"), {"text": "changed"})
    assert Response.objects.get(step__key="my-guess", author=couple.partner_a).value["text"] != "changed"


def test_it_refuses_to_complete_an_exercise_with_steps_left(couple):
    exercise = step(M1, STORY, "my-guess").exercise
    with pytest.raises(services.ExerciseError, match="There is still a step to do"):
        services.complete_exercise(couple.partner_a, couple.relationship, exercise)
    assert not Completion.objects.exists()


def test_a_joint_reveal_answer_stays_hidden_until_both_have_answered(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, STORY, "my-guess")
    alexs = Response.objects.get(step__key="my-guess", author=couple.partner_a)
    assert alexs.pk in visible(couple.partner_a)
    assert alexs.pk not in visible(couple.partner_b)
    answer_through(couple.partner_b, relationship, M1, STORY, "my-guess")
    sams = Response.objects.get(step__key="my-guess", author=couple.partner_b)
    assert {alexs.pk, sams.pk} <= visible(couple.partner_b)
    assert {alexs.pk, sams.pk} <= visible(couple.partner_a)


def test_a_together_step_stays_hidden_until_both_have_answered(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, TALK, "choose-a-topic")
    alexs = Response.objects.get(step__key="choose-a-topic", author=couple.partner_a)
    assert alexs.pk not in visible(couple.partner_b)
    answer_through(couple.partner_b, relationship, M1, TALK, "choose-a-topic")
    assert alexs.pk in visible(couple.partner_b)


def test_a_shared_answer_to_an_each_step_is_visible_to_the_partner_at_once(couple):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    read = Response.objects.get(author=couple.partner_a)
    assert read.pk in visible(couple.partner_b)


def test_a_private_answer_is_never_visible_to_the_partner(couple):
    relationship = couple.relationship
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, "acknowledge-hurt", "name-the-feelings", "what-helps-me")
    private = Response.objects.get(step__key="raw-words", author=couple.partner_a)
    shared = Response.objects.get(step__key="how-strong", author=couple.partner_a)
    assert private.visibility == "private"
    assert private.pk not in visible(couple.partner_b)
    assert shared.pk in visible(couple.partner_b)


def test_outsiders_and_anonymous_people_see_no_answers(couple):
    from django.contrib.auth.models import AnonymousUser

    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    assert not visible(couple.outsider)
    assert not Response.objects.visible_to(reader_of(AnonymousUser())).exists()


def test_ending_the_relationship_ends_the_partners_view_at_once(couple):
    from trustwork.couples.access import former_partner_reader
    from trustwork.couples.services import end_relationship

    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, STORY, "gaps-get-filled")
    end_relationship(relationship, couple.partner_a)
    assert not visible(couple.partner_b)
    assert not Response.objects.visible_to(former_partner_reader(couple.partner_b, relationship)).exists()
    # What you wrote stays yours.
    assert Response.objects.visible_to(former_partner_reader(couple.partner_a, relationship)).count() == 1


def test_the_partners_bars_never_count_the_private_release_letter(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, "forgiveness-over-time", "release-letter", "look-after-yourself")
    seen_by_sam = load_progress(couple.partner_b, relationship, couple.partner_a)
    letter = next(e for m in seen_by_sam.modules for e in m.exercises if e.exercise.slug == "release-letter")
    assert letter.partner is None and letter.couple is None
    assert seen_by_sam.partner.done == 0
    seen_by_alex = load_progress(couple.partner_a, relationship, couple.partner_b)
    own = next(e for m in seen_by_alex.modules for e in m.exercises if e.exercise.slug == "release-letter")
    assert own.mine.done == own.mine.total == 6


def test_the_partners_bars_skip_private_steps_of_a_shared_exercise(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, "acknowledge-hurt", "name-the-feelings", "raw-words")
    seen_by_sam = load_progress(couple.partner_b, relationship, couple.partner_a)
    feelings = seen_by_sam.exercise(step("acknowledge-hurt", "name-the-feelings", "raw-words").exercise_id)
    # Only the read step counts: the checklist and the free text are private.
    assert (feelings.partner.done, feelings.partner.total) == (1, 4)


def test_agreeing_on_the_same_day_and_time_sets_the_check_in_rhythm(couple):
    relationship = couple.relationship
    chosen = {"weekly-time": {"weekday": 2, "time": "20:15"}}
    answer_through(couple.partner_a, relationship, M1, "check-in-rhythm", "weekly-time", chosen)
    relationship.refresh_from_db()
    assert relationship.checkin_weekday != 2
    answer_through(couple.partner_b, relationship, M1, "check-in-rhythm", "weekly-time", chosen)
    relationship.refresh_from_db()
    assert relationship.checkin_weekday == 2 and relationship.checkin_time.strftime("%H:%M") == "20:15"


def test_a_commitment_step_puts_the_commitment_in_the_tracker_and_an_edit_updates_it(couple):
    relationship = couple.relationship
    values = {"my-commitment": {"text": "I will text if I am late"}}
    answer_through(couple.partner_a, relationship, "consistent-actions", "small-commitments", "my-commitment", values)
    commitment = relationship.commitments.get()
    assert commitment.text == "I will text if I am late" and commitment.author == couple.partner_a
    answer(
        couple.partner_a,
        relationship,
        step("consistent-actions", "small-commitments", "my-commitment"),
        {"text": "I will text if I am more than 15 minutes late"},
    )
    assert relationship.commitments.get().text == "I will text if I am more than 15 minutes late"


def test_an_exercise_is_in_progress_from_the_persons_own_answers_only(couple, django_assert_num_queries):
    relationship = couple.relationship
    other = make_couple()
    idle, busy = (m.user for m in other.memberships.all())
    answer_through(busy, other, M1, STORY, "gaps-get-filled")  # started, not finished
    # Alex answered a together step. Sam has answered nothing: the partner's
    # answers never make an exercise Sam's (or a reminder would tell of them).
    answer_through(couple.partner_a, relationship, M1, TALK, "choose-a-topic")
    with django_assert_num_queries(1):
        assert services.exercise_in_progress(couple.partner_a, relationship)
    assert not services.exercise_in_progress(couple.partner_b, relationship)
    assert services.exercise_in_progress(busy, other)
    assert not services.exercise_in_progress(idle, other)


def test_an_exercise_is_no_longer_in_progress_once_the_person_completes_it(couple):
    relationship = couple.relationship
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, M1, STORY, "my-guess")
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, M1, STORY, "ask-next-time")
    exercise = step(M1, STORY, "my-guess").exercise
    assert services.exercise_in_progress(couple.partner_a, relationship)
    services.complete_exercise(couple.partner_a, relationship, exercise)
    assert not services.exercise_in_progress(couple.partner_a, relationship)
    assert services.exercise_in_progress(couple.partner_b, relationship)  # Sam's own is still open


def test_an_answer_keeps_the_visibility_it_was_written_with_when_the_content_changes(couple):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, "acknowledge-hurt", "name-the-feelings", "raw-words")
    raw = step("acknowledge-hurt", "name-the-feelings", "raw-words")
    raw.visibility = "partner"  # as if a later version of the file shared it
    raw.save()
    written = Response.objects.get(step=raw)
    assert written.visibility == "private"
    assert written.pk not in visible(couple.partner_b)
    seen_by_sam = load_progress(couple.partner_b, relationship, couple.partner_a).exercise(raw.exercise_id)
    assert seen_by_sam.partner.done == 1  # the read step only
