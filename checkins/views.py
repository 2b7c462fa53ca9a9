import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as format_date

from checkins import services
from checkins.charts import build_chart
from checkins.forms import CheckInForm, RhythmForm, initial_from
from checkins.models import DISTRESS_CUTOFF, CheckIn, Reflection
from exercises.services import commitments_for_week
from trustwork import caching
from trustwork.couples.access import get_relationship_for_user, partner_reader
from trustwork.couples.services import set_rhythm
from trustwork.rhythm import WEEK

# Weeks on one page of the history, and so in its charts: a season of weeks
# to see a trend in, at a cost that does not grow with the couple's history.
HISTORY_WEEKS = 12


def _visible_checkins(user, relationship):
    return CheckIn.objects.visible_to(partner_reader(user, relationship)).select_related("author")


def _submitted_authors(relationship, week_start) -> set[int]:
    # Whether each partner has checked in (never when, never what).
    return set(relationship.checkins.submitted().filter(week_start=week_start).values_list("author_id", flat=True))


def _week_from_url(relationship, text) -> datetime.date:
    try:
        week_start = datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404("No such week")
    if week_start > relationship.rhythm.current_week_start():
        raise Http404("That week hasn't started")
    return week_start


def _form_context(request, relationship, form, week_start, draft=None):
    return {
        "relationship": relationship,
        "partner": relationship.partner_of(request.user),
        "form": form,
        "week_start": week_start,
        "week_opens_closes": relationship.rhythm.week_window(week_start),
        "draft": draft,
        "distress_cutoff": DISTRESS_CUTOFF,
        # What each of you set out to do this week (exercises, module 3), to look back on.
        "commitments": commitments_for_week(relationship, week_start),
    }


@login_required
def checkin(request, code):
    """This week's check-in: the form (GET), and sending it (POST)."""
    relationship = get_relationship_for_user(request.user, code)
    week_start = relationship.rhythm.current_week_start()
    if request.method == "POST":
        return _submit(request, relationship)
    mine = (
        CheckIn.objects.written_by(partner_reader(request.user, relationship))
        .filter(week_start=week_start)
        .prefetch_related("reflections")
        .first()
    )
    if mine and mine.is_submitted:
        return redirect("checkins:week", relationship.code, week_start.isoformat())
    answers = initial_from(mine) if mine else {}
    form = CheckInForm(initial={"week_start": week_start, **answers})
    context = _form_context(request, relationship, form, week_start, mine)
    # The questions with the person's answers so far: a blank form is the same
    # for everyone, a draft is its author's. Kept under a key of exactly that.
    whose = caching.couple_parts(partner_reader(request.user, relationship), relationship) if mine else ("blank",)
    key = caching.make_key("checkin-fields", *whose, sorted(answers.items()))
    context["fields_html"] = caching.kept(
        key, lambda: render_to_string("checkins/checkin.html#checkin-fields", context)
    )
    return render(request, "checkins/checkin.html", context)


def _submit(request, relationship):
    form = CheckInForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            checkin = services.submit_checkin(
                relationship, request.user, form.cleaned_data["week_start"], form.answers()
            )
        except services.AlreadySubmitted as repeat:
            messages.info(request, repeat.message)
            return redirect("checkins:week", relationship.code, repeat.checkin.week_start.isoformat())
        except services.CheckInError as error:
            problem = error.message
        else:
            messages.success(request, "Thank you. Your check-in for this week is in.")
            return redirect("checkins:week", relationship.code, checkin.week_start.isoformat())
    return _show_again(request, relationship, problem)


def _show_again(request, relationship, problem=None, draft=False):
    """Nothing is saved from a check-in with problems: the page comes back with
    every answer in place, so the person only fixes what is marked. A page
    left open from an earlier week is moved on to this week."""
    week_start = relationship.rhythm.current_week_start()
    if problem is None and request.POST.get("week_start") != week_start.isoformat():
        problem = services.WEEK_IS_OVER
    data = request.POST.copy()
    data["week_start"] = week_start.isoformat()
    shown = CheckInForm(data, draft=draft)
    shown.is_valid()
    if problem:
        shown.add_error(None, problem)
    context = _form_context(request, relationship, shown, week_start)
    return render(request, "checkins/checkin.html", context, status=400)


@login_required
def draft(request, code):
    """Keep a half-finished check-in as the person types (htmx), or on a
    'Save for later' press without JavaScript."""
    relationship = get_relationship_for_user(request.user, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CheckInForm(request.POST, draft=True)
    form.is_valid()
    problem, saved, already_sent = None, None, None
    week_start = form.cleaned_data.get("week_start")
    if week_start is None:
        problem = "We couldn't tell which week this is. Please reload the page; your answers are still on it."
    else:
        try:
            saved = services.save_draft(relationship, request.user, week_start, form.answers())
        except services.AlreadySubmitted as repeat:
            problem = "This week's check-in has already been sent, so this copy wasn't saved."
            already_sent = repeat.checkin
        except services.CheckInError as error:
            problem = error.message
    field_problems = bool(form.errors)
    if request.htmx:
        context = {"saved": saved, "problem": problem, "field_problems": field_problems}
        return render(request, "checkins/checkin.html#draft-status", context)
    if already_sent:
        messages.info(request, problem)
        return redirect("checkins:week", relationship.code, already_sent.week_start.isoformat())
    if problem:
        # Without JavaScript the answers live only in this request: show them again.
        return _show_again(request, relationship, None if week_start is None else problem)
    if field_problems:
        return _show_again(request, relationship, "We kept your draft, except the answers marked below.", draft=True)
    messages.success(request, "Your draft is saved. Come back to it any time this week.")
    return redirect("checkins:checkin", relationship.code)


@login_required
def week(request, code, week):
    """One week side by side: mine, and my partner's once it is revealed."""
    relationship = get_relationship_for_user(request.user, code)
    week_start = _week_from_url(relationship, week)
    checkins = list(
        _visible_checkins(request.user, relationship)
        .filter(week_start=week_start)
        .prefetch_related(
            Prefetch(
                "reflections",
                queryset=Reflection.objects.visible_to(partner_reader(request.user, relationship)).exclude(text=""),
                to_attr="readable_reflections",
            )
        )
    )
    for item in checkins:
        item.readable_reflections.sort(key=lambda reflection: reflection.prompt_order)
    mine = next((c for c in checkins if c.author_id == request.user.pk), None)
    theirs = next((c for c in checkins if c.author_id != request.user.pk), None)
    submitted = _submitted_authors(relationship, week_start)
    partner = relationship.partner_of(request.user)
    context = {
        "relationship": relationship,
        "partner": partner,
        "week_start": week_start,
        "week_window": relationship.rhythm.week_window(week_start),
        "is_current": week_start == relationship.rhythm.current_week_start(),
        "week_has_ended": relationship.rhythm.has_ended(week_start),
        "mine": mine,
        "theirs": theirs,
        "partner_submitted": bool(partner and partner.pk in submitted),
        "distress_cutoff": DISTRESS_CUTOFF,
    }
    return render(request, "checkins/week.html", context)


@login_required
def share(request, code, week):
    relationship = get_relationship_for_user(request.user, code)
    week_start = _week_from_url(relationship, week)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mine = _visible_checkins(request.user, relationship).filter(author=request.user, week_start=week_start).first()
    if mine is None:
        raise Http404("No check-in of yours that week")
    try:
        services.share_early(mine, request.user)
    except services.CheckInError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your check-in for that week is now shared with your partner.")
    return redirect("checkins:week", relationship.code, week_start.isoformat())


def _history_page(relationship, before):
    """The first and last week of one page of the history: the HISTORY_WEEKS
    weeks that end with this week, or with the week before `before` (from
    the URL), and the first date of the page after it (None for this week's)."""
    if before is None:
        newest = relationship.rhythm.current_week_start()
        return newest - WEEK * (HISTORY_WEEKS - 1), newest, None
    newest = relationship.rhythm.week_start_of_day(_week_from_url(relationship, before)) - WEEK
    # Up to the next page's first week, not only to `newest`: a check-in keeps
    # the week start of the rhythm it was written under.
    return newest - WEEK * (HISTORY_WEEKS - 1), newest, newest + WEEK


def _timeline(relationship, user, newest, checkins, submitted_pairs, goes_back_to):
    """One row for each week of the page, newest first: each week with a
    check-in, and every week from `newest` back to `goes_back_to`, so gaps
    show. Each row has what its line of the timeline and of the charts'
    table say, worked out here so the template only prints it."""
    current = relationship.rhythm.current_week_start()
    all_weeks = {c.week_start for c in checkins} | {week for _, week in submitted_pairs}
    step = newest
    while step >= goes_back_to:
        all_weeks.add(step)
        step -= WEEK
    partner = relationship.partner_of(user)
    mine = {c.week_start: c for c in checkins if c.author_id == user.pk}
    theirs = {c.week_start: c for c in checkins if c.author_id != user.pk}
    rows = []
    for week_start in sorted(all_weeks, reverse=True):
        my_checkin, their_checkin = mine.get(week_start), theirs.get(week_start)
        my_scores = my_checkin if my_checkin and my_checkin.is_submitted else None
        partner_submitted = partner is not None and (partner.pk, week_start) in submitted_pairs
        if my_scores:
            my_status = "checked in"
        elif my_checkin and week_start == current:
            my_status = "draft"
        else:
            my_status = "no check-in"
        rows.append(
            {
                "week_start": week_start,
                "week_label": format_date(week_start, "j F Y"),
                "url": reverse("checkins:week", args=[relationship.code, week_start.isoformat()]),
                "is_current": week_start == current,
                "mine": my_checkin,
                "theirs": their_checkin,
                "partner_submitted": partner_submitted,
                "my_status": my_status,
                "their_status": "shared" if their_checkin else "checked in" if partner_submitted else "no check-in",
                "my_csi": my_scores.csi_total if my_scores else None,
                "their_csi": their_checkin.csi_total if their_checkin else None,
                "my_pulse": my_scores.trust_pulse if my_scores else None,
                "their_pulse": their_checkin.trust_pulse if their_checkin else None,
            }
        )
    return rows, mine, theirs


@login_required
def history(request, code, before=None):
    """Past weeks and trends, HISTORY_WEEKS weeks a page, newest first: the
    timeline, both charts and their table for the weeks of the page, and
    plain links to earlier and later weeks. The page is kept under a key of
    the reader, the couple's version (every check-in begun or sent, a name,
    a rhythm bumps it), this week and the page's weeks."""
    relationship = get_relationship_for_user(request.user, code)
    page = _history_page(relationship, before)
    reader = partner_reader(request.user, relationship)
    current = relationship.rhythm.current_week_start()
    key = caching.make_key("history", *caching.couple_parts(reader, relationship), current, *page)
    body = caching.kept(
        key,
        lambda: render_to_string("checkins/history.html#history", _history(request.user, relationship, before, page)),
    )
    return render(request, "checkins/history.html", {"relationship": relationship, "body": body})


def _history(user, relationship, before, page) -> dict:
    partner = relationship.partner_of(user)
    oldest, newest, next_page_starts = page
    on_page = {"week_start__gte": oldest}
    if next_page_starts:
        on_page["week_start__lt"] = next_page_starts
    checkins = list(CheckIn.objects.visible_to(partner_reader(user, relationship)).filter(**on_page))
    submitted_pairs = set(relationship.checkins.submitted().filter(**on_page).values_list("author_id", "week_start"))
    # Whether the timeline goes on before this page: it starts with the first
    # week in which I wrote a check-in or either of us sent one.
    goes_on_earlier = relationship.checkins.filter(
        Q(author=user) | Q(submitted_at__isnull=False), week_start__lt=oldest
    ).exists()
    if goes_on_earlier:
        goes_back_to = oldest
    else:
        first_weeks = [c.week_start for c in checkins] + [week for _, week in submitted_pairs]
        # With no check-in at all yet, this week's row alone (on the first page).
        goes_back_to = min(first_weeks, default=newest if before is None else newest + WEEK)
    rows, mine, theirs = _timeline(relationship, user, newest, checkins, submitted_pairs, goes_back_to)
    chart_weeks = sorted(row["week_start"] for row in rows)
    partner_name = (partner.display_name if partner else "") or "Your partner"

    def values(by_week, attribute):
        return {week_start: getattr(c, attribute) for week_start, c in by_week.items() if c.is_submitted}

    csi_chart = build_chart(
        "CSI-4 total by week (0 to 21)",
        chart_weeks,
        [
            ("You", "series-me", values(mine, "csi_total")),
            (partner_name, "series-partner", values(theirs, "csi_total")),
        ],
        low=0,
        high=21,
        ticks=[0, 7, 14, 21],
        threshold=DISTRESS_CUTOFF,
    )
    pulse_chart = build_chart(
        "Trust pulse by week (average of three ratings, 1 to 10)",
        chart_weeks,
        [
            ("You", "series-me", values(mine, "trust_pulse")),
            (partner_name, "series-partner", values(theirs, "trust_pulse")),
        ],
        low=1,
        high=10,
        ticks=[1, 4, 7, 10],
    )
    context = {
        "relationship": relationship,
        "partner": partner,
        "partner_name": partner_name,
        "rows": rows,
        "csi_chart": csi_chart,
        "pulse_chart": pulse_chart,
        "has_any": bool(checkins),
        "is_first_page": before is None,
        "earlier_url": _history_url(relationship, oldest) if goes_on_earlier else None,
        "later_url": None if before is None else _history_url(relationship, newest + WEEK * (HISTORY_WEEKS + 1)),
        "distress_cutoff": DISTRESS_CUTOFF,
    }
    return context


def _history_url(relationship, before):
    if before > relationship.rhythm.current_week_start():
        return reverse("checkins:history", args=[relationship.code])
    return reverse("checkins:history_before", args=[relationship.code, before.isoformat()])


@login_required
def rhythm(request, code):
    relationship = get_relationship_for_user(request.user, code)
    form = RhythmForm.for_relationship(relationship, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            set_rhythm(relationship, weekday=data["checkin_weekday"], time=data["checkin_time"], zone=data["time_zone"])
            messages.success(request, "Your check-in rhythm is saved.")
            return redirect("checkins:checkin", relationship.code)
        return render(request, "checkins/rhythm.html", {"relationship": relationship, "form": form}, status=400)
    return render(request, "checkins/rhythm.html", {"relationship": relationship, "form": form})
