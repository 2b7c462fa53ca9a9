"""Each kind of step on its own (exercises/kinds.py): the value stored from a
form post, a saved value put back in the form, how an answer is shown on the
page and as text, the messages for bad input, the settings a module file may
give it, and whether its answers count in the progress bars.

The steps here are built in memory from settings the real loader reads, so
what is tested is what a module file would make."""

import uuid
from types import SimpleNamespace

import pytest
from django.template.loader import get_template, render_to_string

from exercises import kinds, services
from exercises.forms import AnswerForm
from exercises.loader import ContentError, parse_file
from exercises.models import Exercise, Module, Response, Step, StepKind
from exercises.outline import current_outline
from exercises.progress import build_progress, load_progress
from exercises.summaries import counted_steps
from tests.exercises.conftest import form_data, sample_value

STEP = """slug = "kinds-test"
number = 9
version = 1
title = "A test module"
summary = "A summary."
intro = "An intro."

[[exercises]]
slug = "an-exercise"
title = "An exercise"
summary = "A summary."
minutes = 10

[[exercises.steps]]
id = "the-step"
kind = "{kind}"
who = "{who}"
visibility = "{visibility}"
title = "The step"
body = "Some guidance."
{prompt}
{settings}
"""

SETTINGS = {
    "read": "",
    "text": "max_length = 40",
    "joint_reveal": "",
    "commitment": 'examples = ["I will text if I am running late"]',
    "agreement": 'examples = ["We say goodnight, even after a hard day"]',
    "scale": 'min = 1\nmax = 5\nmin_label = "Not at all"\nmax_label = "Completely"',
    "choice": 'options = ["A walk", "A meal", "A film"]',
    "checklist": 'items = ["Phones away", "No interrupting", "A pause when asked"]',
    "schedule": "",
}


@pytest.fixture
def parse(tmp_path):
    """parse(kind, settings=..., ...) -> the step as the loader reads it from a module file."""

    def read(kind, settings=None, *, who="each", visibility="partner", prompt='prompt = "A prompt?"'):
        text = STEP.format(
            kind=kind,
            who=who,
            visibility=visibility,
            prompt="" if kind == "read" and prompt == 'prompt = "A prompt?"' else prompt,
            settings=SETTINGS[kind] if settings is None else settings,
        )
        path = tmp_path / "09-kinds-test.toml"
        path.write_text(text, encoding="utf-8")
        return parse_file(path).exercises[0].steps[0]

    return read


def make_step(data, *, pk=1, private_exercise=False, key=None) -> Step:
    module = Module(pk=1, number=9, slug="kinds-test", title="A test module")
    exercise = Exercise(pk=1, module=module, slug="an-exercise", title="An exercise", is_private=private_exercise)
    return Step(
        pk=pk,
        exercise=exercise,
        key=key or data.key,
        position=pk,
        kind=data.kind,
        who=data.who,
        visibility=data.visibility,
        title=data.title,
        body=data.body,
        prompt=data.prompt,
        config=data.config,
    )


@pytest.fixture
def step_of(parse):
    def make(kind, settings=None, **options):
        key = options.pop("key", None)
        return make_step(parse(kind, settings, **options), key=key)

    return make


def stored(step, data) -> dict:
    form = AnswerForm(step, data)
    assert form.is_valid(), form.errors
    return form.to_value()


def errors(step, data) -> dict:
    form = AnswerForm(step, data)
    assert not form.is_valid()
    return form.errors


def shown(step, value) -> str:
    return " ".join(render_to_string("exercises/_answer.html", {"answer": Response(value=value), "step": step}).split())


# --- Every kind ------------------------------------------------------------------------


def test_it_has_one_kind_class_for_every_step_kind_with_its_template():
    assert set(kinds.KINDS) == set(StepKind.values)
    for name, kind in kinds.KINDS.items():
        assert kind.name == name
        get_template(f"exercises/kinds/{name}.html")  # raises if it is missing


def test_it_gives_each_step_its_kind_object(step_of):
    for name, kind in kinds.KINDS.items():
        step = step_of(name)
        assert type(step.type) is kind
        assert step.type.step is step


@pytest.mark.parametrize("name", list(SETTINGS))
def test_it_puts_a_stored_answer_back_in_the_form_so_saving_it_again_changes_nothing(step_of, name):
    step = step_of(name)
    value = stored(step, form_data(step))
    form = AnswerForm(step, initial=AnswerForm.initial_from(step, value))
    assert stored(step, {name: form[name].value() for name in form.fields}) == value


def test_it_puts_nothing_in_the_form_for_a_step_not_answered_yet(step_of):
    for name in kinds.KINDS:
        assert AnswerForm.initial_from(step_of(name), {}) == {}


# --- Read ------------------------------------------------------------------------------


def test_it_stores_a_read_step_as_read_with_no_field_to_fill(step_of):
    step = step_of("read")
    assert AnswerForm(step).fields == {}
    assert stored(step, {"text": "ignored"}) == {"read": True}
    assert AnswerForm.initial_from(step, {"read": True}) == {}


def test_it_shows_a_read_step_as_read_and_gives_the_therapist_no_text(step_of):
    step = step_of("read")
    assert shown(step, {"read": True}) == '<p class="muted">Read.</p>'
    assert step.type.as_text({"read": True}) == ""


def test_it_treats_a_read_step_as_guidance_with_nothing_to_keep_private(parse):
    assert not kinds.Read.asks_for_answer
    assert parse("read").config == {}
    assert parse("read").prompt == ""
    with pytest.raises(ContentError, match=r"step 'the-step': a read step has no prompt"):
        parse("read", prompt='prompt = "A question?"')
    with pytest.raises(ContentError, match=r"unknown key max_length in a read step"):
        parse("read", "max_length = 10")


# --- Text ------------------------------------------------------------------------------


def test_it_stores_a_text_answer_as_its_text(step_of):
    step = step_of("text")
    assert stored(step, {"text": "You listened to the end."}) == {"text": "You listened to the end."}
    assert AnswerForm.initial_from(step, {"text": "Before"}) == {"text": "Before"}


def test_it_shows_a_text_answer_with_its_line_breaks(step_of):
    step = step_of("text")
    assert shown(step, {"text": "One\n\nTwo"}) == '<div class="ex-answer-text"><p>One</p> <p>Two</p></div>'
    assert step.type.as_text({"text": "One\n\nTwo"}) == "One\n\nTwo"


def test_it_asks_for_some_words_and_keeps_a_text_within_its_length(step_of):
    step = step_of("text")
    assert errors(step, {"text": ""})["text"] == [
        "Write a few words before you save, or go back to the exercise and return later."
    ]
    assert errors(step, {"text": "x" * 41})["text"] == [
        "Please keep this to 40 characters or fewer (you wrote 41). "
        "Your words are still in the box, so nothing is lost."
    ]


def test_it_reads_a_text_steps_length_or_gives_it_five_thousand(parse):
    assert parse("text").config == {"max_length": 40}
    assert parse("text", "").config == {"max_length": 5000}
    with pytest.raises(ContentError, match=r"'max_length' must be a whole number from 1 to 20000"):
        parse("text", "max_length = 0")


# --- Joint reveal ----------------------------------------------------------------------


def test_it_stores_and_shows_a_joint_reveal_as_text(step_of):
    step = step_of("joint_reveal")
    assert stored(step, {"text": "My guess"}) == {"text": "My guess"}
    assert shown(step, {"text": "My guess"}) == '<div class="ex-answer-text"><p>My guess</p></div>'
    assert step.type.as_text({"text": "My guess"}) == "My guess"
    assert errors(step, {"text": "x" * 5001})["text"][0].startswith("Please keep this to 5000 characters")


def test_it_reveals_a_joint_reveal_together_even_when_each_answers_alone(step_of):
    assert step_of("joint_reveal").reveals_together
    assert not step_of("text").reveals_together
    assert step_of("text", who="together").reveals_together


def test_it_gives_a_joint_reveal_no_settings_and_never_lets_it_be_private(parse):
    assert parse("joint_reveal").config == {"max_length": 5000}
    with pytest.raises(ContentError, match=r"unknown key max_length in a joint_reveal step"):
        parse("joint_reveal", "max_length = 100")
    with pytest.raises(ContentError, match=r"a step revealed to both partners can't be private"):
        parse("joint_reveal", visibility="private")


# --- Commitment ------------------------------------------------------------------------


def test_it_stores_a_commitment_as_its_sentence_and_puts_back_only_the_sentence(step_of):
    step = step_of("commitment")
    assert stored(step, {"text": "I will call at lunch"}) == {"text": "I will call at lunch"}
    saved = {"text": "I will call at lunch", "commitment": str(uuid.uuid4())}
    assert AnswerForm.initial_from(step, saved) == {"text": "I will call at lunch"}
    assert shown(step, saved) == '<div class="ex-answer-text"><p>I will call at lunch</p></div>'
    assert step.type.as_text(saved) == "I will call at lunch"


def test_it_asks_for_a_commitment_in_one_sentence_of_two_hundred_characters(step_of):
    step = step_of("commitment")
    assert errors(step, {"text": ""})["text"] == ["Write your commitment as one plain sentence before you save."]
    assert errors(step, {"text": "x" * 201})["text"][0].startswith(
        "Please keep this to 200 characters or fewer (you wrote 201)."
    )


def test_it_reads_a_commitments_examples(parse):
    assert parse("commitment").config == {"examples": ["I will text if I am running late"], "max_length": 200}
    assert parse("commitment", "").config == {"examples": [], "max_length": 200}
    with pytest.raises(ContentError, match=r"'examples' must be a list of non-empty texts"):
        parse("commitment", 'examples = "Be kind"')


def test_it_says_above_the_form_where_a_commitment_goes(step_of):
    code = uuid.uuid4()
    note = render_to_string(
        step_of("commitment").type.note_template, {"relationship": SimpleNamespace(code=code), "partner": None}
    )
    assert f'href="/exercises/{code}/commitments/"' in note
    assert "where you log each day kept or missed" in note
    assert step_of("text").type.note_template is None


# --- Agreement -------------------------------------------------------------------------


def test_it_stores_a_proposal_with_whether_it_is_an_expectation_or_a_boundary(step_of):
    step = step_of("agreement")
    data = {"text": "We say goodnight", "agreement_kind": "boundary"}
    assert stored(step, data) == data
    saved = {**data, "agreement": str(uuid.uuid4())}
    assert AnswerForm.initial_from(step, saved) == data
    assert shown(step, saved) == '<div class="ex-answer-text"><p>We say goodnight</p></div>'
    assert step.type.as_text(saved) == "We say goodnight"


def test_it_offers_a_boundary_first_on_a_boundary_step(step_of):
    assert AnswerForm(step_of("agreement", key="propose-boundary")).fields["agreement_kind"].initial == "boundary"
    assert AnswerForm(step_of("agreement", key="propose-one")).fields["agreement_kind"].initial == "expectation"


def test_it_asks_for_a_proposal_and_its_kind(step_of):
    found = errors(step_of("agreement"), {"text": ""})
    assert found["text"] == ["Write your proposal as one sentence before you save."]
    assert found["agreement_kind"] == ["Choose whether this is an expectation or a boundary."]
    assert errors(step_of("agreement"), {"text": "x" * 301, "agreement_kind": "boundary"})["text"][0].startswith(
        "Please keep this to 300 characters or fewer (you wrote 301)."
    )


def test_it_reads_a_proposals_examples_and_says_where_it_goes(step_of, parse):
    assert parse("agreement").config == {"examples": ["We say goodnight, even after a hard day"], "max_length": 300}
    note = render_to_string(
        step_of("agreement").type.note_template,
        {"relationship": SimpleNamespace(code=uuid.uuid4()), "partner": SimpleNamespace(display_name="Sam")},
    )
    assert "where Sam can accept it or ask for a change" in note


# --- Scale -----------------------------------------------------------------------------


def test_it_stores_a_scale_answer_as_a_whole_number(step_of):
    step = step_of("scale")
    assert stored(step, {"number": "4"}) == {"number": 4}
    assert AnswerForm.initial_from(step, {"number": 4}) == {"number": 4}
    assert AnswerForm(step).fields["number"].help_text == "1 means “Not at all”, 5 means “Completely”."


def test_it_shows_a_scale_answer_with_the_ends_of_its_scale(step_of):
    step = step_of("scale")
    assert shown(step, {"number": 4}) == (
        "<p><strong>4</strong> on a scale from 1 (“Not at all”) to 5 (“Completely”)</p>"
    )
    assert step.type.as_text({"number": 0}) == "0"
    assert step.type.as_text({}) == ""


@pytest.mark.parametrize("number", ["", "0", "6", "eleven"])
def test_it_asks_for_a_number_on_the_scale(step_of, number):
    assert errors(step_of("scale"), {"number": number})["number"] == ["Choose a number from 1 to 5."]


def test_it_reads_a_scales_ends_and_refuses_one_the_wrong_way_round(parse):
    assert parse("scale").config == {"min": 1, "max": 5, "min_label": "Not at all", "max_label": "Completely"}
    with pytest.raises(ContentError, match=r"'max' must be greater than 'min'"):
        parse("scale", 'min = 5\nmax = 5\nmin_label = "a"\nmax_label = "b"')
    with pytest.raises(ContentError, match=r"'min' must be a whole number from 0 to 100"):
        parse("scale", 'min = "one"\nmax = 5\nmin_label = "a"\nmax_label = "b"')


# --- Choice ----------------------------------------------------------------------------


def test_it_stores_one_choice_as_a_list_of_one(step_of):
    step = step_of("choice")
    assert stored(step, {"choices": "A meal"}) == {"choices": ["A meal"]}
    assert AnswerForm.initial_from(step, {"choices": ["A meal"]}) == {"choices": "A meal"}


def test_it_stores_several_choices_where_the_step_allows_them(step_of):
    step = step_of("choice", 'options = ["A walk", "A meal", "A film"]\nmultiple = true')
    assert stored(step, {"choices": ["A walk", "A film"]}) == {"choices": ["A walk", "A film"]}
    assert AnswerForm.initial_from(step, {"choices": ["A walk", "A film"]}) == {"choices": ["A walk", "A film"]}
    assert AnswerForm(step).fields["choices"].help_text == "Tick as many as fit."


def test_it_shows_the_choices_made(step_of):
    step = step_of("choice")
    assert shown(step, {"choices": ["A walk", "A film"]}) == "<ul><li>A walk</li><li>A film</li></ul>"
    assert step.type.as_text({"choices": ["A walk", "A film"]}) == "A walk, A film"


def test_it_asks_for_a_choice_from_the_answers_listed(step_of):
    single = step_of("choice")
    several = step_of("choice", 'options = ["A walk", "A meal"]\nmultiple = true')
    assert errors(single, {})["choices"] == ["Choose one answer."]
    assert errors(single, {"choices": "A nap"})["choices"] == ["Please choose from the answers listed."]
    assert errors(several, {})["choices"] == ["Tick at least one answer."]
    assert errors(several, {"choices": ["A walk", "A nap"]})["choices"] == ["Please choose from the answers listed."]


def test_it_reads_a_choices_options(parse):
    assert parse("choice").config == {"options": ["A walk", "A meal", "A film"], "multiple": False}
    with pytest.raises(ContentError, match=r"'options' must have from 2 to 8 entries \(has 1\)"):
        parse("choice", 'options = ["Only one"]')
    with pytest.raises(ContentError, match=r"'options' lists the same entry twice"):
        parse("choice", 'options = ["Same", "Same"]')
    with pytest.raises(ContentError, match=r"'multiple' must be true or false"):
        parse("choice", 'options = ["A", "B"]\nmultiple = "yes"')


# --- Checklist -------------------------------------------------------------------------


def test_it_stores_the_items_ticked_and_none_is_an_answer_too(step_of):
    step = step_of("checklist")
    assert stored(step, {"items": ["Phones away", "A pause when asked"]}) == {
        "items": ["Phones away", "A pause when asked"]
    }
    assert stored(step, {}) == {"items": []}
    assert AnswerForm.initial_from(step, {"items": ["Phones away"]}) == {"items": ["Phones away"]}


def test_it_shows_the_items_ticked_or_that_none_was(step_of):
    step = step_of("checklist")
    assert shown(step, {"items": ["Phones away"]}) == "<ul><li>Phones away</li></ul>"
    assert shown(step, {"items": []}) == '<p class="muted">Nothing ticked.</p>'
    assert step.type.as_text({"items": ["Phones away", "No interrupting"]}) == "Phones away, No interrupting"
    assert step.type.as_text({"items": []}) == ""


def test_it_accepts_only_the_items_listed(step_of):
    assert errors(step_of("checklist"), {"items": ["Phones away", "Shouting"]})["items"] == [
        "Please tick only the items listed."
    ]


def test_it_reads_a_checklists_items(parse):
    assert parse("checklist").config == {"items": ["Phones away", "No interrupting", "A pause when asked"]}
    with pytest.raises(ContentError, match=r"step 'the-step': 'items' is missing"):
        parse("checklist", "")


# --- Schedule --------------------------------------------------------------------------


def test_it_stores_a_day_and_a_time(step_of):
    step = step_of("schedule")
    assert stored(step, {"weekday": "6", "time": "19:30"}) == {"weekday": 6, "time": "19:30"}
    assert stored(step, {"weekday": "0", "time": "7:05"}) == {"weekday": 0, "time": "07:05"}
    assert AnswerForm.initial_from(step, {"weekday": 6, "time": "19:30"}) == {"weekday": 6, "time": "19:30"}


def test_it_shows_a_day_and_a_time(step_of):
    step = step_of("schedule")
    assert shown(step, {"weekday": 6, "time": "19:30"}) == "<p>Sunday at 19:30</p>"
    assert step.type.as_text({"weekday": 6, "time": "19:30"}) == "Sunday at 19:30"
    assert step.type.as_text({}) == ""


def test_it_asks_for_a_real_day_and_time(step_of):
    step = step_of("schedule")
    assert errors(step, {}) == {"weekday": ["Choose a day."], "time": ["Choose a time."]}
    assert errors(step, {"weekday": "7", "time": "late"}) == {
        "weekday": ["Choose a day of the week."],
        "time": ["Enter a time such as 19:30."],
    }


def test_it_gives_a_schedule_no_settings(parse):
    assert parse("schedule").config == {}
    with pytest.raises(ContentError, match=r"unknown key options in a schedule step"):
        parse("schedule", 'options = ["Sunday"]')


# --- Progress --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS))
def test_it_counts_an_answer_of_each_kind_in_both_partners_bars(parse, name):
    step = make_step(parse(name))
    progress = build_progress([step], mine={step.pk}, partners={step.pk}, completed=set())
    exercise = progress.modules[0].exercises[0]
    assert (exercise.mine.done, exercise.mine.total) == (1, 1)
    assert (exercise.partner.done, exercise.partner.total) == (1, 1)
    assert (progress.couple.done, progress.couple.total) == (2, 2)


@pytest.mark.parametrize("name", [name for name in SETTINGS if name != "joint_reveal"])
def test_it_never_counts_a_private_step_of_any_kind_where_the_partner_sees(parse, name):
    step = make_step(parse(name, visibility="private"))
    assert not step.counts_for_others
    progress = build_progress([step], mine={step.pk}, partners={step.pk}, completed=set())
    exercise = progress.modules[0].exercises[0]
    assert (exercise.mine.done, exercise.mine.total) == (1, 1)
    assert exercise.partner is None and exercise.couple is None


@pytest.mark.parametrize("name", list(SETTINGS))
def test_it_never_counts_a_step_of_a_private_exercise_where_the_partner_sees(parse, name):
    shared = make_step(parse(name))
    private = make_step(parse(name), private_exercise=True)
    assert shared.counts_for_others and not private.counts_for_others


def test_it_counts_for_the_therapist_only_what_a_partner_counts_and_was_shared_with_care(couple, care_link):
    """One rule for both bars (Step.counts_for_others, answers written as
    private left out), and the therapist's bars count of it only what each
    partner shared with them: a bar never tells the therapist of an answer
    they may not read."""
    from exercises.summaries import answers_counted
    from trustwork.care.access import therapist_reader

    relationship = couple.relationship
    for exercise in ("speaker-and-listener", "name-the-feelings", "release-letter"):
        for item in Step.objects.current().filter(exercise__slug=exercise).order_by("position"):
            for person in (couple.partner_a, couple.partner_b):  # steps answered together wait for both
                services.save_answer(person, relationship, item, sample_value(item))
    written = Response.objects.filter(author=couple.partner_b)
    written.filter(step__key="say-again").update(visibility="private")
    written.filter(step__key__in=["what-helped", "choose-a-topic"]).update(visibility="care")

    seen_by_partner = load_progress(couple.partner_a, relationship, couple.partner_b).partner.done
    steps = counted_steps(current_outline())
    reader = therapist_reader(care_link.therapist, [relationship])
    seen_by_therapist = sum(
        done
        for (author, _), done in answers_counted(reader, steps).get(relationship.pk, {}).items()
        if author == couple.partner_b.pk
    )
    counted = (
        written.exclude(step__visibility="private")
        .exclude(step__exercise__is_private=True)
        .exclude(visibility="private")
    )
    assert seen_by_partner == counted.count()
    assert seen_by_therapist == counted.filter(visibility="care").count() == 2
    # Each of the three was there to be left out: a private step (raw words),
    # a private exercise (the release letter), an answer written as private.
    assert written.filter(step__key="raw-words", step__visibility="private").exists()
    assert written.filter(step__exercise__slug="release-letter", step__exercise__is_private=True).exists()
    assert written.filter(step__key="say-again", step__visibility="partner", visibility="private").exists()
