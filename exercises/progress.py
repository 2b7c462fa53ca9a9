"""Where each partner is: the step engine's rules and the progress bars.

Everything here works on plain sets of answered step ids, loaded in a fixed
number of queries by `load_progress`, so a page costs the same whether a
couple is in one module or in all seven.

The rules:
- each person moves through an exercise's steps in order, at their own pace;
- a step answered together, or revealed together, holds the person there
  until both partners have answered it (then both answers show);
- a person may go back and change any answer until they complete the exercise.

What counts in a bar is said once: a kind's `counts_in_progress`, and for
the bars someone else sees `Step.counts_for_others` and
`Response.objects.counted_for_others`, which the therapist's pages use too.
"""

from dataclasses import dataclass, field

from exercises.models import Completion, Exercise, Module, Response, Step
from exercises.outline import current_outline


@dataclass
class Bar:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, other: "Bar") -> None:
        self.done += other.done
        self.total += other.total


@dataclass
class Position:
    """Where one person stands in one exercise."""

    step: Step | None  # the step to do now; None once every step is answered
    waiting: bool  # answered, waiting for the other partner's answer to reveal
    completed: bool

    @property
    def can_complete(self) -> bool:
        return self.step is None and not self.completed


def position_in(steps: list[Step], mine: set[int], partners: set[int], completed: bool) -> Position:
    for step in steps:
        if step.pk not in mine:
            return Position(step, waiting=False, completed=completed)
        if step.reveals_together and step.pk not in partners:
            return Position(step, waiting=True, completed=completed)
    return Position(None, waiting=False, completed=completed)


@dataclass
class ExerciseProgress:
    exercise: Exercise
    steps: list[Step]
    position: Position
    mine: Bar
    partner: Bar | None  # None where the partner's progress is theirs alone
    couple: Bar | None
    started: bool

    @property
    def completed(self) -> bool:
        return self.position.completed


@dataclass
class ModuleProgress:
    module: Module
    exercises: list[ExerciseProgress] = field(default_factory=list)
    mine: Bar = field(default_factory=Bar)
    partner: Bar = field(default_factory=Bar)
    couple: Bar = field(default_factory=Bar)

    @property
    def started(self) -> bool:
        return any(exercise.started for exercise in self.exercises)


@dataclass
class CoupleProgress:
    modules: list[ModuleProgress]
    mine: Bar
    partner: Bar
    couple: Bar

    def next_step(self) -> ExerciseProgress | None:
        """The exercise to carry on with: the first one started, not finished
        and with a step open; else the first one not started; else one that
        waits for the other partner's answer."""
        exercises = [e for module in self.modules for e in module.exercises if not e.completed]
        for wanted in (
            lambda e: e.started and not e.position.waiting,
            lambda e: not e.started,
            lambda e: True,
        ):
            found = next((e for e in exercises if wanted(e)), None)
            if found:
                return found
        return None

    def exercise(self, exercise_pk) -> ExerciseProgress | None:
        return next((e for m in self.modules for e in m.exercises if e.exercise.pk == exercise_pk), None)


def current_steps(**filters):
    return (
        Step.objects.current()
        .filter(exercise__is_retired=False, exercise__module__is_retired=False, **filters)
        .select_related("exercise__module")
        .order_by("exercise__module__number", "exercise__position", "position")
    )


def load_progress(user, relationship, partner, steps=None) -> CoupleProgress:
    """Progress of `user`, their partner and the couple (three queries: the
    content outline's token, the answers and the completions; two when the
    steps are given)."""
    steps = current_outline() if steps is None else steps
    answered: dict[int, set[int]] = {}
    for author_id, step_id in Response.objects.counted_for(user, relationship, steps):
        answered.setdefault(author_id, set()).add(step_id)
    completed = set(
        Completion.objects.filter(relationship=relationship, person=user).values_list("exercise_id", flat=True)
    )
    mine = answered.get(user.pk, set())
    partners = answered.get(partner.pk, set()) if partner else set()
    return build_progress(steps, mine, partners, completed)


def build_progress(steps, mine, partners, completed) -> CoupleProgress:
    by_exercise: dict[int, list[Step]] = {}
    for step in steps:
        by_exercise.setdefault(step.exercise_id, []).append(step)
    modules: dict[int, ModuleProgress] = {}
    for exercise_steps in by_exercise.values():
        exercise = exercise_steps[0].exercise
        module = modules.setdefault(exercise.module_id, ModuleProgress(exercise.module))
        counted = [s for s in exercise_steps if s.type.counts_in_progress]
        shared = [s for s in counted if s.counts_for_others]
        progress = ExerciseProgress(
            exercise=exercise,
            steps=exercise_steps,
            position=position_in(exercise_steps, mine, partners, exercise.pk in completed),
            mine=Bar(sum(s.pk in mine for s in counted), len(counted)),
            partner=Bar(sum(s.pk in partners for s in shared), len(shared)) if shared else None,
            couple=Bar(sum(s.pk in mine for s in shared) + sum(s.pk in partners for s in shared), 2 * len(shared))
            if shared
            else None,
            started=any(s.pk in mine for s in exercise_steps),
        )
        module.exercises.append(progress)
        module.mine.add(progress.mine)
        if progress.partner:
            module.partner.add(progress.partner)
            module.couple.add(progress.couple)
    total = CoupleProgress(list(modules.values()), Bar(), Bar(), Bar())
    for module in total.modules:
        total.mine.add(module.mine)
        total.partner.add(module.partner)
        total.couple.add(module.couple)
    return total
