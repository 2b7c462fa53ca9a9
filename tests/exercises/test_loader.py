"""Content as data: the module files validate, load, and reload without
losing anyone's progress; a file with a mistake is refused with its place."""

import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from exercises.loader import CONTENT_DIR, ContentError, load_all, parse_file
from exercises.models import Exercise, Module, Response, Step
from tests.exercises.conftest import answer, step

GOOD_STEP = """
[[exercises.steps]]
id = "first"
kind = "text"
who = "each"
visibility = "partner"
title = "A title"
body = ""
prompt = "A prompt?"
"""


def module_file(tmp_path, steps=GOOD_STEP, name="09-test.toml", extra=""):
    text = f"""slug = "test-module"
number = 9
version = 1
title = "A test module"
summary = "A summary."
intro = "An intro."
{extra}
[[exercises]]
slug = "an-exercise"
title = "An exercise"
summary = "A summary."
minutes = 10
{steps}"""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_validates_every_real_module_file():
    out = StringIO()
    call_command("validate_exercises", stdout=out)
    assert "7 modules, 21 exercises and 109 steps are valid." in out.getvalue()


def test_it_loads_all_seven_modules_with_at_least_two_exercises_each(content):
    modules = list(Module.objects.current().prefetch_related("exercises"))
    assert [m.number for m in modules] == [1, 2, 3, 4, 5, 6, 7]
    for module in modules:
        assert len(module.exercises.all()) >= 2, module.slug
    assert Exercise.objects.get(slug="release-letter").is_private
    assert not Exercise.objects.get(slug="name-the-feelings").is_private


def test_it_refuses_an_unknown_kind_naming_file_exercise_and_step(tmp_path):
    path = module_file(tmp_path, GOOD_STEP.replace('kind = "text"', 'kind = "essay"'))
    with pytest.raises(ContentError) as error:
        parse_file(path)
    message = str(error.value)
    assert "09-test.toml" in message and "'an-exercise'" in message and "'first'" in message
    assert "unknown kind 'essay'" in message


def test_it_refuses_a_duplicate_step_id(tmp_path):
    path = module_file(tmp_path, GOOD_STEP + GOOD_STEP)
    with pytest.raises(ContentError, match=r"09-test.toml, exercise 'an-exercise', step 'first': duplicate step id"):
        parse_file(path)


def test_it_refuses_a_step_with_its_prompt_missing(tmp_path):
    path = module_file(tmp_path, GOOD_STEP.replace('prompt = "A prompt?"', ""))
    with pytest.raises(ContentError, match=r"step 'first': 'prompt' is missing"):
        parse_file(path)


def test_it_refuses_a_read_step_with_no_text(tmp_path):
    steps = GOOD_STEP.replace('kind = "text"', 'kind = "read"').replace('prompt = "A prompt?"', "")
    with pytest.raises(ContentError, match=r"step 'first': 'body' is empty"):
        parse_file(module_file(tmp_path, steps))


def test_it_refuses_an_unknown_key(tmp_path):
    path = module_file(tmp_path, GOOD_STEP + 'colour = "red"\n')
    with pytest.raises(ContentError, match=r"step 'first': unknown key colour in a text step"):
        parse_file(path)


def test_it_refuses_malformed_toml_naming_the_file(tmp_path):
    path = tmp_path / "05-broken.toml"
    path.write_text('slug = "x\ntitle = ', encoding="utf-8")
    with pytest.raises(ContentError, match=r"05-broken.toml: not valid TOML"):
        parse_file(path)


def test_it_refuses_a_huge_string(tmp_path):
    steps = GOOD_STEP.replace('body = ""', f'body = "{"a" * 25_000}"')
    with pytest.raises(ContentError, match=r"step 'first': 'body' is too long \(25000 characters"):
        parse_file(module_file(tmp_path, steps))


def test_it_refuses_a_private_step_that_would_be_revealed_to_both(tmp_path):
    steps = GOOD_STEP.replace('kind = "text"', 'kind = "joint_reveal"').replace('"partner"', '"private"')
    with pytest.raises(ContentError, match=r"revealed to both partners can't be private"):
        parse_file(module_file(tmp_path, steps))


def test_it_refuses_a_scale_without_its_labels(tmp_path):
    steps = GOOD_STEP.replace('kind = "text"', 'kind = "scale"') + "min = 0\nmax = 10\n"
    with pytest.raises(ContentError, match=r"step 'first': 'min_label' is missing"):
        parse_file(module_file(tmp_path, steps))


def test_the_validate_command_exits_non_zero_on_the_first_error(tmp_path):
    shutil.copy(CONTENT_DIR / "01-open-communication.toml", tmp_path)
    module_file(tmp_path, GOOD_STEP.replace('kind = "text"', 'kind = "essay"'))
    with pytest.raises(CommandError, match=r"09-test.toml, exercise 'an-exercise', step 'first'") as error:
        call_command("validate_exercises", directory=str(tmp_path))
    assert error.value.returncode == 1


def test_the_load_command_refuses_a_bad_file_and_changes_nothing(tmp_path, content):
    module_file(tmp_path, GOOD_STEP.replace('who = "each"', 'who = "everyone"'))
    before = list(Step.objects.values_list("pk", "title", "is_retired"))
    with pytest.raises(CommandError, match=r"unknown who 'everyone'"):
        call_command("load_exercises", directory=str(tmp_path))
    assert list(Step.objects.values_list("pk", "title", "is_retired")) == before


def test_it_shows_html_in_content_as_text_never_as_markup(tmp_path, couple, client_for):
    hostile = GOOD_STEP.replace('title = "A title"', 'title = "<script>alert(1)</script>"').replace(
        'body = ""', 'body = "<img src=x onerror=alert(2)>"'
    )
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        shutil.copy(path, tmp_path)
    module_file(tmp_path, hostile)
    load_all(tmp_path)
    response = client_for(couple.partner_a).get(f"/exercises/{couple.relationship.code}/m/test-module/an-exercise/")
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_reloading_edited_text_keeps_answers_and_progress(tmp_path, couple):
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        shutil.copy(path, tmp_path)
    relationship = couple.relationship
    first = step("open-communication", "speaker-and-listener", "how-it-works")
    kept = answer(couple.partner_a, relationship, first)
    edited = tmp_path / "01-open-communication.toml"
    edited.write_text(
        edited.read_text()
        .replace('title = "Hearing and listening"', 'title = "Hearing, and really listening"')
        .replace("version = 1", "version = 2"),
        encoding="utf-8",
    )
    load_all(tmp_path)
    first.refresh_from_db()
    assert first.title == "Hearing, and really listening"
    assert Module.objects.get(slug="open-communication").version == 2
    assert Response.objects.get(pk=kept.pk).step_id == first.pk


def test_a_step_removed_from_its_file_is_retired_when_answered_and_deleted_when_not(tmp_path, couple):
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        shutil.copy(path, tmp_path)
    relationship = couple.relationship
    answered = step("open-communication", "speaker-and-listener", "how-it-works")
    unanswered = step("open-communication", "speaker-and-listener", "say-again")
    answer(couple.partner_a, relationship, answered)
    edited = tmp_path / "01-open-communication.toml"
    text = edited.read_text()
    for key in ("how-it-works", "say-again"):
        start = text.index(f'id = "{key}"')
        block_start = text.rindex("[[exercises.steps]]", 0, start)
        block_end = text.index("[[exercises", start)
        text = text[:block_start] + text[block_end:]
    edited.write_text(text, encoding="utf-8")
    load_all(tmp_path)
    answered.refresh_from_db()
    assert answered.is_retired
    assert Response.objects.filter(step=answered).count() == 1
    assert not Step.objects.filter(pk=unanswered.pk).exists()
    # Putting it back brings the same row, answers and all, back into use.
    load_all()
    answered.refresh_from_db()
    assert not answered.is_retired


def test_a_module_file_taken_away_retires_the_module_and_keeps_its_answers(tmp_path, couple):
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        if not path.name.startswith("01-"):
            shutil.copy(path, tmp_path)
    answer(couple.partner_a, couple.relationship, step("open-communication", "speaker-and-listener", "how-it-works"))
    load_all(tmp_path)
    module = Module.objects.get(slug="open-communication")
    assert module.is_retired
    assert not Module.objects.current().filter(slug="open-communication").exists()
    assert Response.objects.filter(step__exercise__module=module).count() == 1
    # Its file back, it is in use again with the same rows.
    load_all()
    assert Module.objects.current().filter(pk=module.pk).exists()


def test_migrate_loads_the_content_again(tmp_path, content):
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        if not path.name.startswith("07-"):
            shutil.copy(path, tmp_path)
    load_all(tmp_path)
    assert Module.objects.get(slug="forgiveness-over-time").is_retired
    call_command("migrate", verbosity=0)
    assert not Module.objects.get(slug="forgiveness-over-time").is_retired
