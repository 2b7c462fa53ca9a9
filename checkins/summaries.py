"""What a couple's check-ins add up to, for a reader outside the couple's own
pages (the therapist's dashboard and couple page, composed in
trustwork/care/review.py): each partner's scores, their trend, the charts
and the weeks with what was shared.

Everything is read through `CheckIn.objects.visible_to(reader)` and
`Reflection.objects.visible_to(reader)`, so a therapist gets only what the
couple shared with them. The database adds the totals up; Python arranges them.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import F
from django.utils.dateformat import format as format_date

from checkins.charts import build_chart
from checkins.models import DISTRESS_CUTOFF, CheckIn, Reflection

SERIES_CLASSES = ("series-me", "series-partner")  # the charts' two line styles
CSI_TOTAL = F("csi_happiness") + F("csi_warm") + F("csi_rewarding") + F("csi_satisfied")
PULSE_ITEMS = 3  # trust_partner, felt_heard, actions_matched_words
PULSE_SUM = F("trust_partner") + F("felt_heard") + F("actions_matched_words")


class Score(NamedTuple):
    week_start: datetime.date
    csi_total: int
    trust_pulse: float
    checkin_id: int


def shared_scores(reader) -> dict[int, dict[int, list[Score]]]:
    """relationship -> author -> the scores of each check-in `reader` may
    read, oldest first (one query; the totals are added up in SQL)."""
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


def last_shared_week(scores_by_author) -> datetime.date | None:
    return max((scores[-1].week_start for scores in scores_by_author.values() if scores), default=None)


@dataclass
class PartnerTrend:
    person: object
    totals: list[int]  # CSI-4 totals of the check-ins shared with the reader, oldest first

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
        """A polyline for a small trend (120 by 32, 0 to 21)."""
        count = len(self.totals)
        step = 112 / (count - 1) if count > 1 else 0
        return " ".join(f"{4 + index * step:.1f},{30 - 28 * total / 21:.1f}" for index, total in enumerate(self.totals))


@dataclass
class WeekEntry:
    week_start: datetime.date
    label: str  # "5 November 2026"
    scores: list  # (person, Score | None)
    reflections: list = field(default_factory=list)  # (person, Reflection)


@dataclass
class CoupleTrends:
    """A couple's check-ins as one reader may see them: the charts, the
    numbers behind them and the weeks, newest first."""

    csi_chart: object | None
    pulse_chart: object | None
    chart_rows: list  # (week label, [Score | None per partner]), newest first
    timeline: list[WeekEntry]


def couple_trends(reader, partners, scores_by_author) -> CoupleTrends:
    """`scores_by_author`: this couple's part of shared_scores(reader). One
    more query, for the reflections of those check-ins."""
    names = {person.pk: person for person in partners}
    by_week = [{score.week_start: score for score in scores_by_author.get(person.pk, [])} for person in partners]
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
    # A reflection the reader may read is one of a check-in they may read
    # (Reflection.objects.visible_to says so too): asking by those check-ins
    # reads this couple's rows alone, and their week and author are known.
    checkins = {
        score.checkin_id: (score.week_start, author) for author, trend in scores_by_author.items() for score in trend
    }
    reflections = Reflection.objects.visible_to(reader).filter(checkin_id__in=list(checkins))
    newest_first = sorted(
        reflections, key=lambda r: (-checkins[r.checkin_id][0].toordinal(), checkins[r.checkin_id][1], r.pk)
    )
    for reflection in newest_first:
        week, author = checkins[reflection.checkin_id]
        timeline[week].reflections.append((names.get(author), reflection))
    csi_chart = pulse_chart = None
    if chart_weeks:
        csi_chart = build_chart(
            "CSI-4 total (0 to 21)",
            chart_weeks,
            _lines(partners, by_week, "csi_total"),
            0,
            21,
            [0, 7, 13.5, 21],
            threshold=DISTRESS_CUTOFF,
        )
        pulse_chart = build_chart(
            "Trust pulse (1 to 10)", chart_weeks, _lines(partners, by_week, "trust_pulse"), 1, 10, [1, 4, 7, 10]
        )
    return CoupleTrends(
        csi_chart=csi_chart,
        pulse_chart=pulse_chart,
        chart_rows=[(labels[week], [scores_of.get(week) for scores_of in by_week]) for week in reversed(chart_weeks)],
        timeline=list(timeline.values()),
    )


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
