"""What a therapist sees of their couples: the summaries that check-ins
(checkins/summaries.py) and exercises (exercises/summaries.py) make for a
reader, put together with what care adds (the flags), in a fixed number of
queries whatever the number of couples or weeks.

Every summary reads through the models' `visible_to(reader)`, with the
therapist's reader from care.access: only `care` items of couples with an
active, consented link.

A dashboard row is kept in Django's cache under a key of the therapist, the
couple and its version, the current week (the flags count quiet weeks) and
the exercise content's revision (trustwork/caching.py): a row is made again
only when something it shows has changed. Who may see which couple is
decided on every request before any key is made.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import NamedTuple

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format

from checkins.models import DISTRESS_CUTOFF
from checkins.summaries import PartnerTrend, couple_trends, last_shared_week, shared_scores
from exercises.models import ContentRevision
from exercises.outline import current_outline
from exercises.progress import Bar
from exercises.summaries import answers_counted, counted_steps, module_bars, shared_answers
from trustwork import caching
from trustwork.care.access import therapist_reader
from trustwork.couples.models import Membership

DROP_ALERT = 5  # points of CSI-4 total, from one shared week to the next
QUIET_WEEKS = 2  # whole weeks without a shared check-in
TREND_WEEKS = 8  # weeks in the dashboard's small trend


@dataclass
class CoupleSummary:
    relationship: object
    partners: list
    trends: list[PartnerTrend]
    last_week: datetime.date | None
    current_week: datetime.date
    modules: list
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
    """The dashboard's table rows, one per couple, as HTML drawn by the
    template's couple-row partial: the last TREND_WEEKS shared scores of each
    partner, the couple's progress in all modules and the flags. Kept rows
    cost one query for all (the content's revision); the missing ones are
    made together in a fixed number of queries."""
    reader = therapist_reader(therapist, relationships)
    revision = ContentRevision.current_token()
    keys = {
        relationship.pk: caching.make_key(
            "care-dashboard-row",
            *caching.couple_parts(reader, relationship),
            relationship.rhythm.current_week_start(),
            revision,
        )
        for relationship in relationships
    }
    by_pk = {relationship.pk: relationship for relationship in relationships}
    rows = caching.kept_many(keys, lambda missing: _make_rows(therapist, [by_pk[pk] for pk in missing]))
    return [rows[relationship.pk] for relationship in relationships]


def _make_rows(therapist, relationships) -> dict[int, str]:
    reader = therapist_reader(therapist, relationships)
    partners_of = _partners_by_couple([relationship.pk for relationship in relationships])
    steps = counted_steps(current_outline())
    scores = shared_scores(reader)
    answered = answers_counted(reader, steps)
    # One reverse() for all the links: they differ only by the couple's code.
    placeholder = str(uuid.UUID(int=0))
    link = reverse("care:review", args=[placeholder])
    made = {}
    for relationship in relationships:
        partners, mine = partners_of.get(relationship.pk, []), scores.get(relationship.pk, {})
        done = sum(answered.get(relationship.pk, {}).values())
        progress = Bar(done, len(steps) * len(partners))
        totals = {author: [score.csi_total for score in trend[-TREND_WEEKS:]] for author, trend in mine.items()}
        last_week = last_shared_week(mine)
        summary = _summary(relationship, partners, totals, last_week, [], progress)
        row = DashboardRow(
            url=link.replace(placeholder, str(relationship.code)),
            names=summary.names,
            last_week=date_format(last_week, "j M Y") if last_week else "",
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


def _partners_by_couple(relationship_ids) -> dict[int, list[Partner]]:
    """relationship -> its current partners, in one query (names only: no
    model is built for a row of the dashboard)."""
    rows = (
        Membership.objects.current()
        .filter(relationship_id__in=relationship_ids)
        .order_by("user_id")
        .values_list("relationship_id", "user_id", "user__display_name")
    )
    found: dict[int, list[Partner]] = {}
    for relationship_id, user_id, display_name in rows:
        found.setdefault(relationship_id, []).append(Partner(user_id, display_name))
    return found


# --- A couple's page -----------------------------------------------------------


def couple_page(therapist, relationship, outline=None) -> dict:
    """Everything on a couple's page for their therapist. `outline`: the
    content outline, when the caller has it already."""
    reader = therapist_reader(therapist, [relationship])
    partners = sorted(relationship.active_members(), key=lambda person: person.pk)
    names = {person.pk: person for person in partners}
    scores = shared_scores(reader).get(relationship.pk, {})
    steps = counted_steps(current_outline() if outline is None else outline)
    modules, progress = module_bars(steps, partners, answers_counted(reader, steps).get(relationship.pk, {}))
    totals = {author: [score.csi_total for score in trend] for author, trend in scores.items()}
    trends = couple_trends(reader, partners, scores)
    return {
        "summary": _summary(relationship, partners, totals, last_shared_week(scores), modules, progress),
        "timeline": trends.timeline,
        "answers": [(names.get(author), answer, text) for author, answer, text in shared_answers(reader, relationship)],
        "csi_chart": trends.csi_chart,
        "pulse_chart": trends.pulse_chart,
        "chart_rows": trends.chart_rows,
    }
