"""The exercise content most pages need (modules, exercises and steps, without
their long texts), kept in Django's cache under the content's revision.

Reading all 109 steps with their exercise and module on every request was
most of the dashboard's time; now a page pays one query for the content's
revision (ContentRevision), and the outline comes from the cache under a key
that holds it, so a new load of the content makes a new key and nothing is
invalidated. The outline is plain values (about 10 KB, 0.1 ms to read back),
not model instances: a page that needs a step's guidance text reads the step
itself.
"""

from typing import NamedTuple

from exercises.models import ContentRevision, Step, StepRules
from trustwork import caching


class OutlineModule(NamedTuple):
    pk: int
    slug: str
    number: int
    title: str
    summary: str


class OutlineExercise(NamedTuple):
    pk: int
    slug: str
    title: str
    summary: str
    minutes: int
    position: int
    is_private: bool
    module: OutlineModule

    @property
    def module_id(self) -> int:
        return self.module.pk


class _StepFields(NamedTuple):
    pk: int
    key: str
    position: int
    title: str
    kind: str
    who: str
    visibility: str
    config: dict
    exercise: OutlineExercise


class OutlineStep(StepRules, _StepFields):
    """A step of the outline: what Step knows of its kind (StepRules), its
    place, and its exercise and module."""

    __slots__ = ()

    @property
    def exercise_id(self) -> int:
        return self.exercise.pk


def _read() -> tuple[OutlineStep, ...]:
    rows = (
        Step.objects.current()
        .filter(exercise__is_retired=False, exercise__module__is_retired=False)
        .select_related("exercise__module")
        .order_by("exercise__module__number", "exercise__position", "position")
    )
    modules, exercises, steps = {}, {}, []
    for step in rows:
        exercise, module = step.exercise, step.exercise.module
        if module.pk not in modules:
            modules[module.pk] = OutlineModule(module.pk, module.slug, module.number, module.title, module.summary)
        if exercise.pk not in exercises:
            exercises[exercise.pk] = OutlineExercise(
                exercise.pk,
                exercise.slug,
                exercise.title,
                exercise.summary,
                exercise.minutes,
                exercise.position,
                exercise.is_private,
                modules[module.pk],
            )
        steps.append(
            OutlineStep(
                step.pk,
                step.key,
                step.position,
                step.title,
                step.kind,
                step.who,
                step.visibility,
                step.config,
                exercises[exercise.pk],
            )
        )
    return tuple(steps)


def current_outline() -> tuple[OutlineStep, ...]:
    """Every current step, in order, with its exercise and module: one query
    for the revision, and one more when this revision was never read."""
    revision = ContentRevision.current_token()
    return caching.kept(caching.make_key("exercise-outline", revision), _read)


def exercises_of(outline) -> list[OutlineExercise]:
    """The exercises of the outline, in order."""
    return list({step.exercise.pk: step.exercise for step in outline}.values())
