"""What a therapist sees of their couples, assembled in a fixed number of
queries whatever the number of couples or weeks.

Everything written by a partner is read through the models' own
`visible_to(user)` methods, which give a therapist only `care` items of couples
in `relationships_in_care_of(user)`. Exercise progress is counted, never read:
the same rule a partner's progress bars follow (no private step, no private
exercise).
"""

import datetime
from dataclasses import dataclass, field

from checkins import weeks
from checkins.charts import build_chart
from checkins.models import DISTRESS_CUTOFF, CheckIn, Reflection
from exercises.models import Response
from exercises.progress import Bar, counts_for_partner, current_steps
from trustwork.privacy import Visibility

DROP_ALERT = 5  # points of CSI-4 total, from one shared week to the next
QUIET_WEEKS = 2  # whole weeks without a shared check-in
TREND_WEEKS = 8  # weeks in the dashboard's small trend
SERIES_CLASSES = ("series-me", "series-partner")  # the check-in charts' two line styles
CSI_FIELDS = ("csi_happiness", "csi_warm", "csi_rewarding", "csi_satisfied")
PULSE_FIELDS = ("trust_partner", "felt_heard", "actions_matched_words")


@dataclass
class Score:
    author_id: int
    week_start: datetime.date
    csi_total: int
    trust_pulse: float


@dataclass
class PartnerTrend:
    person: object
    scores: list[Score]  # oldest first

    @property
    def latest(self) -> Score | None:
        return self.scores[-1] if self.scores else None

    @property
    def spark_points(self) -> str:
        """A polyline for the dashboard's small trend (120 by 32, 0 to 21)."""
        count = len(self.scores)
        step = 112 / (count - 1) if count > 1 else 0
        return " ".join(
            f"{4 + index * step:.1f},{30 - 28 * score.csi_total / 21:.1f}" for index, score in enumerate(self.scores)
        )

    @property
    def drop(self) -> int | None:
        if len(self.scores) < 2:
            return None
        return self.scores[-2].csi_total - self.scores[-1].csi_total


@dataclass
class ModuleBar:
    module: object
    bars: dict = field(default_factory=dict)  # person pk -> Bar
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
    chart: object = None

    @property
    def flags(self) -> list[str]:
        found = []
        for trend in self.trends:
            latest = trend.latest
            if latest and latest.csi_total < DISTRESS_CUTOFF:
                found.append(
                    f"{trend.person.display_name}'s latest CSI-4 total is {latest.csi_total}, under {DISTRESS_CUTOFF}."
                )
            if trend.drop is not None and trend.drop >= DROP_ALERT:
                found.append(
                    f"{trend.person.display_name}'s CSI-4 total dropped by {trend.drop} points "
                    "since their previous shared week."
                )
        if self.last_week is None:
            found.append("No check-in has been shared with you yet.")
        elif (self.current_week - self.last_week).days > 7 * QUIET_WEEKS:
            found.append(f"No check-in shared with you for {self.quiet_weeks} weeks.")
        return found

    @property
    def quiet_weeks(self) -> int:
        return (self.current_week - self.last_week).days // 7 - 1 if self.last_week else 0


def _score(row) -> Score:
    return Score(
        author_id=row["author_id"],
        week_start=row["week_start"],
        csi_total=sum(row[f] for f in CSI_FIELDS),
        trust_pulse=round(sum(row[f] for f in PULSE_FIELDS) / len(PULSE_FIELDS), 1),
    )


def _scores_by_couple(therapist, relationship_ids) -> dict[int, list[Score]]:
    rows = (
        CheckIn.objects.visible_to(therapist)
        .filter(relationship_id__in=relationship_ids, submitted_at__isnull=False)
        .order_by("week_start", "author_id")
        .values("relationship_id", "author_id", "week_start", *CSI_FIELDS, *PULSE_FIELDS)
    )
    found: dict[int, list[Score]] = {}
    for row in rows:
        found.setdefault(row["relationship_id"], []).append(_score(row))
    return found


def _answered_steps(relationship_ids) -> dict[int, set[tuple[int, int]]]:
    """(author, step) pairs answered per couple, for the bars only: no content
    is read, and nothing private counts (as in a partner's progress bars)."""
    rows = (
        Response.objects.filter(
            relationship_id__in=relationship_ids,
            step__is_retired=False,
            step__exercise__is_private=False,
        )
        # Neither the step's level nor the answer's own (copied when written).
        .exclude(step__visibility=Visibility.PRIVATE)
        .exclude(visibility=Visibility.PRIVATE)
        .values_list("relationship_id", "author_id", "step_id")
        .distinct()
    )
    found: dict[int, set[tuple[int, int]]] = {}
    for relationship_id, author_id, step_id in rows:
        found.setdefault(relationship_id, set()).add((author_id, step_id))
    return found


def _module_bars(steps, partners, answered) -> tuple[list[ModuleBar], Bar]:
    modules: dict[int, ModuleBar] = {}
    total = Bar()
    for step in steps:
        module = modules.setdefault(step.exercise.module_id, ModuleBar(step.exercise.module))
        for person in partners:
            bar = module.bars.setdefault(person.pk, Bar())
            bar.total += 1
            bar.done += (person.pk, step.pk) in answered
        module.couple.total += len(partners)
        module.couple.done += sum((person.pk, step.pk) in answered for person in partners)
    for module in modules.values():
        total.add(module.couple)
    return list(modules.values()), total


def _summaries(therapist, relationships, with_chart=False) -> list[CoupleSummary]:
    ids = [r.pk for r in relationships]
    scores = _scores_by_couple(therapist, ids)
    answered = _answered_steps(ids)
    steps = [s for s in current_steps() if counts_for_partner(s)]
    summaries = []
    for relationship in relationships:
        partners = sorted(relationship.active_members(), key=lambda p: p.pk)
        couple_scores = scores.get(relationship.pk, [])
        trends = [PartnerTrend(p, [s for s in couple_scores if s.author_id == p.pk]) for p in partners]
        modules, progress = _module_bars(steps, partners, answered.get(relationship.pk, set()))
        summaries.append(
            CoupleSummary(
                relationship=relationship,
                partners=partners,
                trends=trends,
                last_week=couple_scores[-1].week_start if couple_scores else None,
                current_week=weeks.current_week_start(relationship),
                modules=modules,
                progress=progress,
            )
        )
    return summaries


def dashboard(therapist, relationships) -> list[CoupleSummary]:
    summaries = _summaries(therapist, relationships)
    for summary in summaries:
        for trend in summary.trends:
            trend.scores = trend.scores[-TREND_WEEKS:]
    return summaries


@dataclass
class WeekEntry:
    week_start: datetime.date
    scores: list  # (person, Score | None)
    reflections: list = field(default_factory=list)


def couple_page(therapist, relationship) -> dict:
    """Everything on a couple's page for their therapist."""
    summary = _summaries(therapist, [relationship])[0]
    partners = summary.partners
    names = {p.pk: p for p in partners}
    reflections = (
        Reflection.objects.visible_to(therapist)
        .filter(checkin__relationship=relationship)
        .select_related("checkin")
        .order_by("-checkin__week_start", "checkin__author_id", "pk")
    )
    weeks_by_start: dict[datetime.date, WeekEntry] = {}
    all_scores = [s for trend in summary.trends for s in trend.scores]
    for score in sorted(all_scores, key=lambda s: s.week_start, reverse=True):
        weeks_by_start.setdefault(score.week_start, WeekEntry(score.week_start, []))
    for entry in weeks_by_start.values():
        entry.scores = [
            (p, next((s for s in all_scores if s.week_start == entry.week_start and s.author_id == p.pk), None))
            for p in partners
        ]
    for reflection in reflections:
        week = reflection.checkin.week_start
        entry = weeks_by_start.setdefault(week, WeekEntry(week, [(p, None) for p in partners]))
        entry.reflections.append((names.get(reflection.checkin.author_id), reflection))
    timeline = sorted(weeks_by_start.values(), key=lambda e: e.week_start, reverse=True)

    answers = (
        Response.objects.visible_to(therapist)
        .filter(relationship=relationship)
        .select_related("step__exercise__module")
        .order_by("step__exercise__module__number", "step__exercise__position", "step__position", "author_id")
    )
    chart_weeks = sorted({s.week_start for s in all_scores})
    csi_chart = pulse_chart = None
    if chart_weeks:
        lines = [
            (p.display_name, SERIES_CLASSES[index % 2], {s.week_start: s.csi_total for s in t.scores})
            for index, (p, t) in enumerate(zip(partners, summary.trends, strict=True))
        ]
        csi_chart = build_chart(
            "CSI-4 total (0 to 21)", chart_weeks, lines, 0, 21, [0, 7, 13.5, 21], threshold=DISTRESS_CUTOFF
        )
        pulse_lines = [
            (p.display_name, SERIES_CLASSES[index % 2], {s.week_start: s.trust_pulse for s in t.scores})
            for index, (p, t) in enumerate(zip(partners, summary.trends, strict=True))
        ]
        pulse_chart = build_chart("Trust pulse (1 to 10)", chart_weeks, pulse_lines, 1, 10, [1, 4, 7, 10])
    chart_rows = [
        (week, [next((s for s in t.scores if s.week_start == week), None) for t in summary.trends])
        for week in reversed(chart_weeks)
    ]
    return {
        "summary": summary,
        "timeline": timeline,
        "answers": [(names.get(a.author_id), a, answer_text(a)) for a in answers],
        "csi_chart": csi_chart,
        "pulse_chart": pulse_chart,
        "chart_rows": chart_rows,
    }


def answer_text(response) -> str:
    value = response.value or {}
    if value.get("text"):
        return value["text"]
    if value.get("number") is not None:
        return str(value["number"])
    for key in ("choices", "items"):
        if value.get(key):
            return ", ".join(str(item) for item in value[key])
    if "weekday" in value:
        return f"{weeks_day_name(value['weekday'])} at {value.get('time', '')}".strip()
    return ""


def weeks_day_name(number) -> str:
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    try:
        return names[int(number)]
    except (ValueError, IndexError, TypeError):
        return ""
