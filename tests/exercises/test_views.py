"""The exercise pages: answering through the browser's plain form and htmx,
bad input, and what each page costs in queries."""

from exercises.models import Completion, Module, Response, Step
from tests.exercises.conftest import answer_through
from tests.factories import make_couple
from tests.helpers import count_queries, page_text, snapshot

M1, TALK, STORY = "open-communication", "speaker-and-listener", "check-the-story"


def url(couple, *parts):
    return "/".join([f"/exercises/{couple.relationship.code}", *parts]) + "/"


def step_url(couple, module, exercise, key):
    return url(couple, "m", module, exercise, "step", key)


def test_it_lists_the_seven_modules_with_progress_bars(couple, client_for):
    response = client_for(couple.partner_a).get(url(couple))
    text = page_text(response)
    assert response.status_code == 200
    for module in Module.objects.current():
        assert module.title in text
    assert text.count("<progress") == 14  # you and the two of you, per module


def test_the_exercise_page_opens_at_the_persons_current_step(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    response = client_for(couple.partner_a).get(url(couple, "m", M1, STORY))
    assert response.status_code == 200
    assert 'id="step-title" tabindex="-1">One moment this week</h2>' in page_text(response)


def test_it_saves_an_answer_and_moves_on_without_javascript(couple, client_for):
    client = client_for(couple.partner_a)
    response = client.post(step_url(couple, M1, STORY, "gaps-get-filled"))
    assert response.status_code == 302 and response["Location"] == url(couple, "m", M1, STORY)
    response = client.post(step_url(couple, M1, STORY, "my-guess"), {"text": "You were quiet at dinner."})
    assert response.status_code == 302
    saved = Response.objects.get(author=couple.partner_a, step__key="my-guess")
    assert saved.value == {"text": "You were quiet at dinner."} and saved.visibility == "partner"


def test_with_htmx_it_answers_with_the_next_step_only(couple, client_for):
    client = client_for(couple.partner_a)
    response = client.post(step_url(couple, M1, STORY, "gaps-get-filled"), headers={"HX-Request": "true"})
    text = page_text(response)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == url(couple, "m", M1, STORY)
    assert text.lstrip().startswith('<div id="exercise-main"')
    assert "One moment this week" in text and "<html" not in text


def test_the_joint_reveal_page_shows_the_partners_answer_only_after_both(couple, client_for):
    relationship = couple.relationship
    answer_through(couple.partner_a, relationship, M1, STORY, "my-guess", {"my-guess": {"text": "Alex's guess"}})
    sam = client_for(couple.partner_b)
    page = page_text(sam.get(step_url(couple, M1, STORY, "gaps-get-filled")))
    assert "Alex's guess" not in page
    sam.post(step_url(couple, M1, STORY, "gaps-get-filled"))
    sam.post(step_url(couple, M1, STORY, "my-guess"), {"text": "Sam's guess"})
    page = page_text(sam.get(step_url(couple, M1, STORY, "my-guess")))
    assert "Alex's answer" in page and "Alex&#x27;s guess" in page
    alex_page = page_text(client_for(couple.partner_a).get(step_url(couple, M1, STORY, "my-guess")))
    assert "Sam&#x27;s guess" in alex_page


def test_a_scale_answer_of_the_wrong_kind_gets_a_clear_message(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, couple.relationship, M1, TALK, "choose-a-topic")
    answer_through(couple.partner_a, couple.relationship, M1, TALK, "take-turns")
    before = snapshot()
    response = client_for(couple.partner_a).post(step_url(couple, M1, TALK, "felt-heard"), {"number": "eleven"})
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in page_text(response)
    assert snapshot() == before


def test_over_long_text_gets_a_clear_message_and_keeps_what_was_written(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, "acknowledge-hurt", "when-the-hurt-returns", "reminders")
    before = snapshot()
    words = "I need a quiet word. " * 60  # over the step's 1000 characters
    response = client_for(couple.partner_a).post(
        step_url(couple, "acknowledge-hurt", "when-the-hurt-returns", "signal"), {"text": words}
    )
    text = page_text(response)
    assert response.status_code == 400
    assert "Please keep this to 1000 characters or fewer (you wrote 1259)." in text
    assert words.strip() in text
    assert snapshot() == before


def test_an_answer_to_a_step_not_yet_open_is_refused_and_kept_on_screen(couple, client_for):
    before = snapshot()
    response = client_for(couple.partner_a).post(
        step_url(couple, M1, STORY, "what-was-true"), {"text": "Written too early"}
    )
    text = page_text(response)
    assert response.status_code == 400
    assert "This step isn&#x27;t open yet." in text and "Written too early" in text
    assert snapshot() == before


def test_an_answer_for_another_couples_exercise_is_a_404_and_changes_nothing(couple, client_for):
    before = snapshot()
    response = client_for(couple.outsider).post(step_url(couple, M1, STORY, "gaps-get-filled"))
    assert response.status_code == 404
    assert snapshot() == before


def test_an_unknown_choice_is_refused(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, TALK, "how-it-works")
    before = snapshot()
    response = client_for(couple.partner_a).post(
        step_url(couple, M1, TALK, "choose-a-topic"), {"choices": "Something I made up"}
    )
    assert response.status_code == 400
    assert "Please choose from the answers listed." in page_text(response)
    assert snapshot() == before


def test_an_empty_text_answer_is_refused_kindly(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    response = client_for(couple.partner_a).post(step_url(couple, M1, STORY, "my-guess"), {"text": "   "})
    assert response.status_code == 400
    assert "Write a few words before you save" in page_text(response)
    assert not Response.objects.filter(step__key="my-guess").exists()


def test_a_step_further_on_redirects_to_where_the_person_is(couple, client_for):
    response = client_for(couple.partner_a).get(step_url(couple, M1, STORY, "ask-next-time"))
    assert response.status_code == 302 and response["Location"] == url(couple, "m", M1, STORY)


def test_completing_an_exercise_settles_it(couple, client_for):
    relationship = couple.relationship
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, M1, STORY, "my-guess")
    answer_through(couple.partner_a, relationship, M1, STORY, "ask-next-time")
    client = client_for(couple.partner_a)
    assert "Complete this exercise" in page_text(client.get(url(couple, "m", M1, STORY)))
    response = client.post(url(couple, "m", M1, STORY, "complete"))
    assert response.status_code == 302
    assert Completion.objects.filter(person=couple.partner_a).count() == 1
    page = page_text(client.get(step_url(couple, M1, STORY, "my-guess")))
    assert "your answers are settled" in page and "<textarea" not in page


def test_completing_too_early_says_what_is_left(couple, client_for):
    response = client_for(couple.partner_a).post(url(couple, "m", M1, STORY, "complete"), follow=True)
    assert "There is still a step to do: “When the mind fills the gaps”." in page_text(response)
    assert not Completion.objects.exists()


def test_the_dashboard_shows_the_next_step(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    text = page_text(client_for(couple.partner_a).get("/"))
    assert "Next for you: <strong>Speaker and listener</strong>" in text or "Checking the story" in text


# --- Query counts: the same with one module in progress and with seven ---------


FIRST_EXERCISES = [
    ("open-communication", "check-the-story"),
    ("acknowledge-hurt", "name-the-feelings"),
    ("consistent-actions", "small-commitments"),
    ("professional-support", "kinds-of-support"),
    ("realistic-expectations", "first-agreements"),
    ("patience-empathy", "partners-week"),
    ("forgiveness-over-time", "release-letter"),
]


def _in_progress(couple, modules):
    """Both partners two steps into the first exercise of each of `modules`
    modules, and another couple just as far: none of it may change a page's cost."""
    other = make_couple()
    for module, exercise in FIRST_EXERCISES[:modules]:
        second = Step.objects.filter(exercise__module__slug=module, exercise__slug=exercise).order_by("position")[1]
        for relationship in (couple.relationship, other):
            for membership in relationship.memberships.all():
                answer_through(membership.user, relationship, module, exercise, second.key)


def _costs(couple, client_for, paths):
    client = client_for(couple.partner_a)
    return [count_queries(client, path) for path in paths]


def test_pages_cost_the_same_with_one_and_with_seven_modules_in_progress(couple, client_for):
    paths = [
        url(couple),
        url(couple, "progress"),
        url(couple, "m", M1),
        url(couple, "m", M1, STORY),
        step_url(couple, M1, STORY, "gaps-get-filled"),
        "/",
    ]
    _in_progress(couple, 1)
    one = _costs(couple, client_for, paths)
    _in_progress(couple, 7)
    seven = _costs(couple, client_for, paths)
    assert one == seven
    print("queries with 1 and 7 modules in progress:", dict(zip(paths, one, strict=True)))


def test_with_htmx_a_bad_answer_comes_back_in_the_fragment_with_its_message(couple, client_for):
    answer_through(couple.partner_a, couple.relationship, M1, STORY, "gaps-get-filled")
    response = client_for(couple.partner_a).post(
        step_url(couple, M1, STORY, "my-guess"), {"text": ""}, headers={"HX-Request": "true"}
    )
    text = page_text(response)
    # htmx swaps only successful responses, so the message arrives with a 200.
    assert response.status_code == 200 and text.lstrip().startswith('<div id="exercise-main"')
    assert "Write a few words before you save" in text
    assert not Response.objects.filter(step__key="my-guess").exists()


def test_the_next_step_skips_an_exercise_that_only_waits_for_the_partner(couple):
    from exercises.progress import load_progress

    answer_through(couple.partner_a, couple.relationship, M1, TALK, "choose-a-topic")
    progress = load_progress(couple.partner_a, couple.relationship, couple.partner_b)
    assert progress.next_step().exercise.slug == "check-in-rhythm"


def test_an_answer_to_a_step_that_does_not_exist_is_turned_away_kindly(couple, client_for):
    before = snapshot()
    response = client_for(couple.partner_a).post(
        step_url(couple, M1, STORY, "no-such-step"), {"text": "Hello"}, follow=True
    )
    assert "That step is no longer part of this exercise." in page_text(response)
    assert snapshot() == before
