"""Read, check and load the module files in exercises/content/.

`parse_file` turns one TOML file into plain data or raises ContentError naming
the file, the exercise and the step. `load_all` writes every file into the
database, matching modules by slug, exercises by slug and steps by id, so a
text edit keeps everyone's progress and answers. A module or exercise taken
out of the files is retired, never deleted; a step is deleted only when
nobody has answered it.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from exercises.kinds import KINDS
from exercises.models import ContentRevision, Exercise, Module, Step, Who, revealed_together
from trustwork.privacy import Visibility

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MAX_FILE_BYTES = 512 * 1024
MAX_TEXT = 20_000  # no single piece of guidance is anywhere near this long
MAX_SHORT = 300

MODULE_KEYS = {"slug", "number", "version", "title", "summary", "intro", "exercises"}
EXERCISE_KEYS = {"slug", "title", "summary", "minutes", "steps"}
COMMON_STEP_KEYS = {"id", "kind", "who", "visibility", "title", "body", "prompt"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class ContentError(Exception):
    def __init__(self, path, message, exercise=None, step=None):
        where = [Path(path).name]
        if exercise:
            where.append(f"exercise {exercise!r}")
        if step:
            where.append(f"step {step!r}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class StepData:
    key: str
    kind: str
    who: str
    visibility: str
    title: str
    body: str
    prompt: str
    config: dict


@dataclass
class ExerciseData:
    slug: str
    title: str
    summary: str
    minutes: int
    steps: list[StepData] = field(default_factory=list)

    @property
    def is_private(self):
        answered = [s for s in self.steps if KINDS[s.kind].asks_for_answer]
        return bool(answered) and all(s.visibility == Visibility.PRIVATE for s in answered)


@dataclass
class ModuleData:
    path: Path
    slug: str
    number: int
    version: int
    title: str
    summary: str
    intro: str
    exercises: list[ExerciseData] = field(default_factory=list)


class _Checker:
    """Small typed readers that fail with the place of the mistake."""

    def __init__(self, path):
        self.path = path
        self.exercise = None
        self.step = None

    def fail(self, message):
        raise ContentError(self.path, message, self.exercise, self.step)

    def unknown_keys(self, table, allowed, what):
        unknown = sorted(set(table) - allowed)
        if unknown:
            self.fail(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in {what}")

    def text(self, table, key, *, required=True, limit=MAX_TEXT, allow_empty=False):
        if key not in table:
            if required:
                self.fail(f"{key!r} is missing")
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.fail(f"{key!r} must be text")
        value = value.strip()
        if not value and not allow_empty:
            self.fail(f"{key!r} is empty")
        if len(value) > limit:
            self.fail(f"{key!r} is too long ({len(value)} characters, at most {limit})")
        return value

    def integer(self, table, key, low, high, *, required=True, default=None):
        if key not in table:
            if required:
                self.fail(f"{key!r} is missing")
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{key!r} must be a whole number from {low} to {high}")
        return value

    def slug(self, table, key):
        value = self.text(table, key, limit=80)
        if not set(value) <= SLUG_CHARS:
            self.fail(f"{key!r} must use only lower-case letters, digits and hyphens (got {value!r})")
        return value

    def choice(self, table, key, allowed):
        value = self.text(table, key, limit=40)
        if value not in allowed:
            self.fail(f"unknown {key} {value!r} (expected one of {', '.join(sorted(allowed))})")
        return value

    def text_list(self, table, key, low, high, *, required=True):
        if key not in table:
            if required:
                self.fail(f"{key!r} is missing")
            return []
        values = table[key]
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            self.fail(f"{key!r} must be a list of non-empty texts")
        if not low <= len(values) <= high:
            self.fail(f"{key!r} must have from {low} to {high} entries (has {len(values)})")
        values = [v.strip() for v in values]
        if any(len(v) > MAX_SHORT for v in values):
            self.fail(f"an entry of {key!r} is longer than {MAX_SHORT} characters")
        if len(set(values)) != len(values):
            self.fail(f"{key!r} lists the same entry twice")
        return values


def parse_file(path) -> ModuleData:
    path = Path(path)
    check = _Checker(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        check.fail(f"the file is larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        check.fail("the file is not UTF-8 text")
    except tomllib.TOMLDecodeError as error:
        check.fail(f"not valid TOML ({error})")
    check.unknown_keys(data, MODULE_KEYS, "the module")
    module = ModuleData(
        path=path,
        slug=check.slug(data, "slug"),
        number=check.integer(data, "number", 1, 99),
        version=check.integer(data, "version", 1, 1_000_000),
        title=check.text(data, "title", limit=200),
        summary=check.text(data, "summary", limit=MAX_SHORT * 3),
        intro=check.text(data, "intro"),
    )
    exercises = data.get("exercises")
    if not isinstance(exercises, list) or not exercises:
        check.fail("a module needs at least one [[exercises]] table")
    seen = set()
    for position, table in enumerate(exercises, start=1):
        if not isinstance(table, dict):
            check.fail(f"exercise number {position} is not a table")
        check.exercise = table.get("slug") if isinstance(table.get("slug"), str) else f"number {position}"
        check.step = None
        exercise = _parse_exercise(check, table)
        if exercise.slug in seen:
            check.fail("two exercises share this slug")
        seen.add(exercise.slug)
        module.exercises.append(exercise)
    return module


def _parse_exercise(check, table) -> ExerciseData:
    check.unknown_keys(table, EXERCISE_KEYS, "the exercise")
    exercise = ExerciseData(
        slug=check.slug(table, "slug"),
        title=check.text(table, "title", limit=200),
        summary=check.text(table, "summary", limit=MAX_SHORT * 3),
        minutes=check.integer(table, "minutes", 1, 240),
    )
    steps = table.get("steps")
    if not isinstance(steps, list) or not steps:
        check.fail("an exercise needs at least one [[exercises.steps]] table")
    seen = set()
    for position, step_table in enumerate(steps, start=1):
        if not isinstance(step_table, dict):
            check.fail(f"step number {position} is not a table")
        check.step = step_table.get("id") if isinstance(step_table.get("id"), str) else f"number {position}"
        step = _parse_step(check, step_table)
        if step.key in seen:
            check.fail("duplicate step id: two steps of this exercise share it")
        seen.add(step.key)
        exercise.steps.append(step)
    check.step = None
    return exercise


def _parse_step(check, table) -> StepData:
    """The settings each kind may have, and their checks, are the kind's own
    (exercises/kinds.py)."""
    name = check.choice(table, "kind", set(KINDS))
    kind = KINDS[name]
    check.unknown_keys(table, COMMON_STEP_KEYS | kind.config_keys, f"a {name} step")
    step = StepData(
        key=check.slug(table, "id"),
        kind=name,
        who=check.choice(table, "who", set(Who.values)),
        visibility=check.choice(table, "visibility", set(Visibility.values)),
        title=check.text(table, "title", limit=200),
        # A step that asks nothing is all guidance: its body is what it says.
        body=check.text(table, "body", required=not kind.asks_for_answer, allow_empty=kind.asks_for_answer),
        prompt="",
        config={},
    )
    if revealed_together(name, step.who) and step.visibility == Visibility.PRIVATE:
        check.fail("a step revealed to both partners can't be private")
    if kind.asks_for_answer:
        step.prompt = check.text(table, "prompt", limit=1000)
    elif "prompt" in table:
        check.fail(f"a {name} step has no prompt")
    step.config = kind.read_config(check, table)
    return step


def content_files(directory=None) -> list[Path]:
    return sorted(Path(directory or CONTENT_DIR).glob("*.toml"))


def parse_all(directory=None) -> list[ModuleData]:
    """Every module file, checked; raises ContentError on the first mistake."""
    modules = []
    slugs, numbers = {}, {}
    for path in content_files(directory):
        module = parse_file(path)
        if module.slug in slugs:
            raise ContentError(path, f"module slug {module.slug!r} is also used by {slugs[module.slug]}")
        if module.number in numbers:
            raise ContentError(path, f"module number {module.number} is also used by {numbers[module.number]}")
        slugs[module.slug] = numbers[module.number] = path.name
        modules.append(module)
    return modules


@transaction.atomic
def load_all(directory=None) -> list[Module]:
    """Write every module into the database. Safe to run again and again."""
    parsed = parse_all(directory)
    loaded = [_load_module(data) for data in parsed]
    keep = {module.pk for module in loaded}
    for module in Module.objects.exclude(pk__in=keep):
        _retire_module(module)
    ContentRevision.bump()  # the bulk updates above send no signals
    return loaded


def _load_module(data: ModuleData) -> Module:
    module, _ = Module.objects.update_or_create(
        slug=data.slug,
        defaults={
            "number": data.number,
            "version": data.version,
            "title": data.title,
            "summary": data.summary,
            "intro": data.intro,
            "source_file": data.path.name,
            "is_retired": False,
        },
    )
    existing = {exercise.slug: exercise for exercise in module.exercises.all()}
    for position, exercise_data in enumerate(data.exercises, start=1):
        exercise = existing.pop(exercise_data.slug, None) or Exercise(module=module, slug=exercise_data.slug)
        exercise.position = position
        exercise.title = exercise_data.title
        exercise.summary = exercise_data.summary
        exercise.minutes = exercise_data.minutes
        exercise.is_private = exercise_data.is_private
        exercise.is_retired = False
        exercise.save()
        _load_steps(exercise, exercise_data.steps)
    for exercise in existing.values():
        _retire_exercise(exercise)
    return module


def _load_steps(exercise: Exercise, steps: list[StepData]) -> None:
    existing = {step.key: step for step in exercise.steps.all()}
    for offset, step_data in enumerate(steps, start=1):
        step = existing.pop(step_data.key, None) or Step(exercise=exercise, key=step_data.key)
        step.position = offset
        step.kind = step_data.kind
        step.who = step_data.who
        step.visibility = step_data.visibility
        step.title = step_data.title
        step.body = step_data.body
        step.prompt = step_data.prompt
        step.config = step_data.config
        step.is_retired = False
        step.save()
    for step in existing.values():
        if step.responses.exists():
            step.is_retired = True
            step.save(update_fields=["is_retired"])
        else:
            step.delete()


def _retire_exercise(exercise: Exercise) -> None:
    # Never deleted: answers, completions and other apps' rows (a therapist's
    # suggestion) may point at it. Retired, it no longer shows.
    exercise.is_retired = True
    exercise.save(update_fields=["is_retired"])
    exercise.steps.update(is_retired=True)


def _retire_module(module: Module) -> None:
    for exercise in module.exercises.all():
        _retire_exercise(exercise)
    module.is_retired = True
    module.save(update_fields=["is_retired"])
