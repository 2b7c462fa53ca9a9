"""What a couple's exercise work adds up to, for a reader outside the
couple's own pages (the therapist's dashboard and couple page, composed in
trustwork/care/review.py): progress per module, and the answers shared.

Progress is counted, never read: a bar counts the answers the reader may
see (`Response.objects.visible_to(reader)`), to steps that count for others
(Step.counts_for_others: no private step, no private exercise), so a
therapist's bars grow only with what each partner shared with them, and a
joint reveal counts once it is revealed.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from exercises.models import Response
from exercises.progress import Bar


@dataclass
class ModuleBar:
    module: object
    bars: list[tuple[object, Bar]] = field(default_factory=list)  # (person, Bar), in the order of the partners
    couple: Bar = field(default_factory=Bar)


def counted_steps(outline) -> list:
    """The steps of the content outline (exercises/outline.py) that count in
    a bar someone other than their author sees."""
    return [step for step in outline if step.counts_for_others]


def exercises_to_suggest(outline) -> list:
    """The current exercises a therapist may suggest, in order: any but the
    private ones (the release letter)."""
    found = {}
    for step in outline:
        if not step.exercise.is_private:
            found.setdefault(step.exercise_id, step.exercise)
    return list(found.values())


def answers_counted(reader, steps) -> dict[int, dict[tuple[int, int], int]]:
    """relationship -> (author, module) -> answers to `steps` that `reader`
    may see, in one grouped query that reads no content."""
    rows = (
        Response.objects.visible_to(reader)
        .counted_for_others(steps)
        .values_list("relationship_id", "author_id", "step__exercise__module_id")
        .annotate(done=Count("id"))
        .order_by()
    )
    found: dict[int, dict[tuple[int, int], int]] = {}
    for relationship_id, author_id, module_id, done in rows:
        found.setdefault(relationship_id, {})[author_id, module_id] = done
    return found


def module_bars(steps, partners, answered) -> tuple[list[ModuleBar], Bar]:
    """Each module's bar per partner and for the couple, and the couple's
    bar over every module. `answered`: (author, module) -> answers counted."""
    steps_in: dict[int, int] = {}
    modules: dict[int, object] = {}
    for step in steps:
        module = step.exercise.module
        modules.setdefault(module.pk, module)
        steps_in[module.pk] = steps_in.get(module.pk, 0) + 1
    bars, total = [], Bar()
    for module_id, module in modules.items():
        bar = ModuleBar(module)
        for person in partners:
            mine = Bar(answered.get((person.pk, module_id), 0), steps_in[module_id])
            bar.bars.append((person, mine))
            bar.couple.add(mine)
        total.add(bar.couple)
        bars.append(bar)
    return bars, total


def shared_answers(reader, relationship) -> list:
    """The answers of this couple that `reader` may read, in the order of
    the content, as (author id, response, the answer as plain text)."""
    answers = (
        Response.objects.visible_to(reader)
        .filter(relationship=relationship)
        .select_related("step__exercise__module")
        .order_by("step__exercise__module__number", "step__exercise__position", "step__position", "author_id")
    )
    return [(answer.author_id, answer, answer.step.type.as_text(answer.value)) for answer in answers]
