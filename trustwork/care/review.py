"""What a therapist sees of their couples, assembled in a fixed number of
queries whatever the number of couples or weeks.

Everything written by a partner is read through the models' own
`visible_to(user)` methods, which give a therapist only `care` items of couples
in `relationships_in_care_of(user)`. Exercise progress is counted, never read:
the same rule a partner's progress bars follow (no private step, no private
exercise). The database adds the numbers up (CSI-4 totals, answers per
module); Python only arranges them.

The dashboard's rows are kept in couple_cache (see there why that is safe);
a couple's own page is read afresh every time.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format

from checkins.charts import build_chart
from checkins.models import DISTRESS_CUTOFF, CheckIn, Reflection
from exercises.models import Response
from exercises.outline import current_outline
from exercises.progress import Bar
from trustwork.care import couple_cache
from trustwork.care.access import therapist_reader
from trustwork.couples.models import Membership

DROP_ALERT = 5  # points of CSI-4 total, from one shared week to the next
QUIET_WEEKS = 2  # whole weeks without a shared check-in
TREND_WEEKS = 8  # weeks in the dashboard's small trend
SERIES_CLASSES = ("series-me", "series-partner")  # the check-in charts' two line styles
CSI_TOTAL = F("csi_happiness") + F("csi_warm") + F("csi_rewarding") + F("csi_satisfied")
PULSE_ITEMS = 3  # trust_partner, felt_heard, actions_matched_words
PULSE_SUM = F("trust_partner") + F("felt_heard") + F("actions_matched_words")


class Score(NamedTuple):
    week_start: datetime.date
    csi_total: int
    trust_pulse: float
    checkin_id: int


@dataclass
class PartnerTrend:
    person: object
    totals: list[int]  # CSI-4 totals of the check-ins shared with the therapist, oldest first

    @property
    def latest(self) -> int | None:
        return self.totals[-1] if self.totals else None

    @property
    def drop(self) -> int | None:
        if len(self.totals) < 2:
            return None
        return self.totals[-2] - self.totals[-1]

    @property
    def spark_points(self) -> str:
        """A polyline for the dashboard's small trend (120 by 32, 0 to 21)."""
        count = len(self.totals)
        step = 112 / (count - 1) if count > 1 else 0
        return " ".join(f"{4 + index * step:.1f},{30 - 28 * total / 21:.1f}" for index, total in enumerate(self.totals))


@dataclass
class ModuleBar:
    module: object
    bars: list[tuple[object, Bar]] = field(default_factory=list)  # (person, Bar), in the order of the partners
    couple: Bar = field(default_factory=Bar)


@dataclass
class CoupleSummary:
    relationship: object
    partners: list
    trends: list[PartnerTrend]
    last_week: datetime.date | None
    current_week: datetime.date
    modules: list[ModuleBar]
    progress: Bar

    @property
    def names(self) -> str:
        return " and ".join(person.display_name for person in self.partners)

    @property
    def flags(self) -> list[str]:
        found = []
        for trend in self.trends:
            name, latest, drop = trend.person.display_name, trend.latest, trend.drop
            if latest is not None and latest < DISTRESS_CUTOFF:
                found.append(f"{name}'s latest CSI-4 total is {latest}, under {DISTRESS_CUTOFF}.")
            if drop is not None and drop >= DROP_ALERT:
                found.append(f"{name}'s CSI-4 total dropped by {drop} points since their previous shared week.")
        if self.last_week is None:
            found.append("No check-in has been shared with you yet.")
        elif (self.current_week - self.last_week).days > 7 * QUIET_WEEKS:
            found.append(f"No check-in shared with you for {self.quiet_weeks} weeks.")
        return found

    @property
    def quiet_weeks(self) -> int:
        return (self.current_week - self.last_week).days // 7 - 1 if self.last_week else 0


def shared_scores(reader) -> dict[int, dict[int, list[Score]]]:
    """relationship -> author -> the scores of each check-in shared with the
    therapist `reader`, oldest first (one query; the totals are added up in SQL)."""
    rows = (
        CheckIn.objects.visible_to(reader)
        .filter(submitted_at__isnull=False)
        .annotate(csi_total=CSI_TOTAL, pulse_sum=PULSE_SUM)
        .order_by("week_start")
        .values_list("relationship_id", "author_id", "week_start", "csi_total", "pulse_sum", "pk")
    )
    found: dict[int, dict[int, list[Score]]] = {}
    for relationship_id, author_id, week_start, csi_total, pulse_sum, pk in rows:
        score = Score(week_start, csi_total, round(pulse_sum / PULSE_ITEMS, 1), pk)
        found.setdefault(relationship_id, {}).setdefault(author_id, []).append(score)
    return found


def counted_steps(outline) -> list:
    """The steps of the content outline (exercises/outline.py) that count in
    the bars: the rule of a partner's bars (Step.counts_for_others)."""
    return [step for step in outline if step.counts_for_others]


def exercises_to_suggest(outline) -> list:
    """The current exercises a therapist may suggest, in order: any but the
    private ones (the release letter)."""
    found = {}
    for step in outline:
        if not step.exercise.is_private:
            found.setdefault(step.exercise_id, step.exercise)
    return list(found.values())


def answers_counted(relationship_ids, steps) -> dict[int, dict[tuple[int, int], int]]:
    """relationship -> (author, module) -> answers that count in the bars, in
    one grouped query. No content is read, and nothing private counts: the
    rule of a partner's bars (ResponseQuerySet.counted_for_others)."""
    rows = (
        Response.objects.filter(relationship_id__in=relationship_ids)
        .counted_for_others(steps)
        .values_list("relationship_id", "author_id", "step__exercise__module_id")
        .annotate(done=Count("id"))
        .order_by()
    )
    found: dict[int, dict[tuple[int, int], int]] = {}
    for relationship_id, author_id, module_id, done in rows:
        found.setdefault(relationship_id, {})[author_id, module_id] = done
    return found


def _module_bars(steps, partners, answered) -> tuple[list[ModuleBar], Bar]:
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


def _partners(relationship) -> list:
    return sorted(relationship.active_members(), key=lambda person: person.pk)


def _summary(relationship, partners, totals, last_week, modules, progress) -> CoupleSummary:
    """`totals`: author -> CSI-4 totals, oldest first."""
    return CoupleSummary(
        relationship=relationship,
        partners=partners,
        trends=[PartnerTrend(person, totals.get(person.pk, [])) for person in partners],
        last_week=last_week,
        current_week=relationship.rhythm.current_week_start(),
        modules=modules,
        progress=progress,
    )


def _last_week(scores_by_author) -> datetime.date | None:
    return max((scores[-1].week_start for scores in scores_by_author.values() if scores), default=None)


# --- The dashboard -------------------------------------------------------------


class Partner(NamedTuple):
    pk: int
    display_name: str


@dataclass
class Spark:
    """One partner's small CSI-4 trend in a dashboard row, ready to print."""

    name: str
    css_class: str
    points: str  # the polyline; empty when nothing is shared
    totals: str  # "12, 14, 13"


@dataclass
class DashboardRow:
    """One couple on the dashboard as text ready to print."""

    url: str
    names: str
    last_week: str  # "5 Nov 2026"; empty when nothing is shared
    sparks: list[Spark]
    percent: str
    flags: list[str]


def dashboard_rows(therapist, relationships) -> list[str]:
    """The dashboard's table rows, one per couple, as HTML rendered by the
    template's couple-row partial (safe strings, kept so by the cache): the last
    TREND_WEEKS shared scores of each partner, the couple's progress in all
    modules and the flags. A row comes from couple_cache while the couple's
    data, their names, the week and the content are unchanged (no query); the
    missing ones are made together in a fixed number of queries."""
    stamps = {r.pk: r.rhythm.current_week_start().isoformat() for r in relationships}

    def make(missing) -> dict[int, str]:
        partners_of = _partners_by_couple([relationship.pk for relationship in missing])
        steps = counted_steps(current_outline())
        facts = _facts(therapist_reader(therapist, missing), missing, steps)
        # One reverse() for all the links: they differ only by the couple's code.
        placeholder = str(uuid.UUID(int=0))
        link = reverse("care:review", args=[placeholder])
        made = {}
        for relationship in missing:
            partners, mine = partners_of.get(relationship.pk, []), facts[relationship.pk]
            done = sum(mine.answered.get(person.pk, 0) for person in partners)
            progress = Bar(done, len(steps) * len(partners))
            summary = _summary(relationship, partners, mine.totals, mine.last_week, [], progress)
            row = DashboardRow(
                url=link.replace(placeholder, str(relationship.code)),
                names=summary.names,
                last_week=date_format(mine.last_week, "j M Y") if mine.last_week else "",
                sparks=[
                    Spark(
                        trend.person.display_name,
                        f"spark-{index}",
                        trend.spark_points,
                        ", ".join(str(total) for total in trend.totals),
                    )
                    for index, trend in enumerate(summary.trends)
                ],
                percent=str(progress.percent),
                flags=summary.flags,
            )
            made[relationship.pk] = render_to_string("care/dashboard.html#couple-row", {"row": row})
        return made

    rows = couple_cache.cached_per_couple(couple_cache.ROWS, therapist, relationships, stamps, make)
    return [rows[relationship.pk] for relationship in relationships]


def _partners_by_couple(relationship_ids) -> dict[int, list[Partner]]:
    """relationship -> its current partners, in one query (names only: no
    model is built for a row of the dashboard)."""
    rows = (
        Membership.objects.filter(relationship_id__in=relationship_ids, is_active=True)
        .order_by("user_id")
        .values_list("relationship_id", "user_id", "user__display_name")
    )
    found: dict[int, list[Partner]] = {}
    for relationship_id, user_id, display_name in rows:
        found.setdefault(relationship_id, []).append(Partner(user_id, display_name))
    return found


class Facts(NamedTuple):
    """What a dashboard row shows of a couple's data, as numbers."""

    totals: dict[int, list[int]]  # author -> CSI-4 totals of the last TREND_WEEKS shared check-ins
    last_week: datetime.date | None  # of the last check-in shared with the therapist
    answered: dict[int, int]  # author -> answers counted in the bars


def _facts(reader, relationships, steps) -> dict[int, Facts]:
    ids = [relationship.pk for relationship in relationships]
    scores = shared_scores(reader)
    answered = answers_counted(ids, steps)
    found = {}
    for pk in ids:
        mine = scores.get(pk, {})
        per_author: dict[int, int] = {}
        for (author, _), done in answered.get(pk, {}).items():
            per_author[author] = per_author.get(author, 0) + done
        totals = {author: [score.csi_total for score in trend[-TREND_WEEKS:]] for author, trend in mine.items()}
        found[pk] = Facts(totals, _last_week(mine), per_author)
    return found


# --- A couple's page -----------------------------------------------------------


@dataclass
class WeekEntry:
    week_start: datetime.date
    label: str  # "5 November 2026"
    scores: list  # (person, Score | None)
    reflections: list = field(default_factory=list)


def couple_page(therapist, relationship, outline=None) -> dict:
    """Everything on a couple's page for their therapist. `outline`: the
    content outline, when the caller has it already."""
    reader = therapist_reader(therapist, [relationship])
    scores = shared_scores(reader).get(relationship.pk, {})
    steps = counted_steps(current_outline() if outline is None else outline)
    answered = answers_counted([relationship.pk], steps).get(relationship.pk, {})
    partners = _partners(relationship)
    modules, progress = _module_bars(steps, partners, answered)
    totals = {author: [score.csi_total for score in trend] for author, trend in scores.items()}
    summary = _summary(relationship, partners, totals, _last_week(scores), modules, progress)
    names = {person.pk: person for person in partners}
    by_week = [{score.week_start: score for score in scores.get(person.pk, [])} for person in partners]
    chart_weeks = sorted({week for scores_of in by_week for week in scores_of})

    # One label a week, for the timeline and for the charts' table.
    labels = {week: format_date(week, "j F Y") for week in chart_weeks}
    timeline = {
        week: WeekEntry(
            week,
            labels[week],
            [(person, scores_of.get(week)) for person, scores_of in zip(partners, by_week, strict=True)],
        )
        for week in reversed(chart_weeks)
    }
    # A reflection the therapist may read is one of a check-in they may read
    # (Reflection.objects.visible_to says so too): asking by those check-ins
    # reads this couple's rows alone, and their week and author are known.
    checkins = {score.checkin_id: (score.week_start, author) for author, trend in scores.items() for score in trend}
    reflections = Reflection.objects.visible_to(reader).filter(checkin_id__in=list(checkins))
    newest_first = sorted(
        reflections, key=lambda r: (-checkins[r.checkin_id][0].toordinal(), checkins[r.checkin_id][1], r.pk)
    )
    for reflection in newest_first:
        week, author = checkins[reflection.checkin_id]
        if week not in timeline:
            timeline[week] = WeekEntry(week, format_date(week, "j F Y"), [(person, None) for person in partners])
        entry = timeline[week]
        entry.reflections.append((names.get(author), reflection))

    answers = (
        Response.objects.visible_to(reader)
        .select_related("step__exercise__module")
        .order_by("step__exercise__module__number", "step__exercise__position", "step__position", "author_id")
    )
    csi_chart = pulse_chart = None
    if chart_weeks:
        csi_lines = _lines(partners, by_week, "csi_total")
        csi_chart = build_chart(
            "CSI-4 total (0 to 21)", chart_weeks, csi_lines, 0, 21, [0, 7, 13.5, 21], threshold=DISTRESS_CUTOFF
        )
        pulse_lines = _lines(partners, by_week, "trust_pulse")
        pulse_chart = build_chart("Trust pulse (1 to 10)", chart_weeks, pulse_lines, 1, 10, [1, 4, 7, 10])
    return {
        "summary": summary,
        "timeline": sorted(timeline.values(), key=lambda entry: entry.week_start, reverse=True),
        "answers": [
            (names.get(answer.author_id), answer, answer.step.type.as_text(answer.value)) for answer in answers
        ],
        "csi_chart": csi_chart,
        "pulse_chart": pulse_chart,
        "chart_rows": [
            (labels[week], [scores_of.get(week) for scores_of in by_week]) for week in reversed(chart_weeks)
        ],
    }


def _lines(partners, by_week, name):
    """The charts' lines: (name, css class, {week_start: value}) per partner."""
    return [
        (
            person.display_name,
            SERIES_CLASSES[index % 2],
            {week: getattr(score, name) for week, score in scores_of.items()},
        )
        for index, (person, scores_of) in enumerate(zip(partners, by_week, strict=True))
    ]
