import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from exercises import services
from exercises.forms import (
    AnswerForm,
    ChangeAgreementForm,
    CommitmentForm,
    LogForm,
    ProposeAgreementForm,
    RespondForm,
)
from exercises.models import (
    Agreement,
    AgreementRevision,
    Commitment,
    CommitmentLog,
    Exercise,
    Module,
    Response,
    RevisionStatus,
)
from exercises.progress import current_steps, load_progress
from trustwork.couples.access import current_relationship, get_relationship_for_user, partner_reader

HISTORY_WEEKS = 6


def _couple(request, code):
    relationship = get_relationship_for_user(request.user, code)
    return relationship, relationship.partner_of(request.user)


@login_required
def start(request):
    """The way in from the navigation: the person's own modules page."""
    relationship = current_relationship(request.user)
    if relationship is None:
        messages.info(request, "The exercises open once you have started your shared record.")
        return redirect("home")
    return redirect("exercises:modules", relationship.code)


@login_required
def modules(request, code):
    relationship, partner = _couple(request, code)
    progress = load_progress(request.user, relationship, partner)
    return render(
        request,
        "exercises/modules.html",
        {"relationship": relationship, "partner": partner, "progress": progress, "next": progress.next_step()},
    )


@login_required
def progress_view(request, code):
    relationship, partner = _couple(request, code)
    progress = load_progress(request.user, relationship, partner)
    return render(
        request, "exercises/progress.html", {"relationship": relationship, "partner": partner, "progress": progress}
    )


@login_required
def module(request, code, module):
    relationship, partner = _couple(request, code)
    module = get_object_or_404(Module.objects.current(), slug=module)
    progress = load_progress(request.user, relationship, partner, list(current_steps(exercise__module=module)))
    module_progress = progress.modules[0] if progress.modules else None
    return render(
        request,
        "exercises/module.html",
        {"relationship": relationship, "partner": partner, "module": module, "module_progress": module_progress},
    )


def _exercise(module_slug, exercise_slug) -> Exercise:
    return get_object_or_404(
        Exercise.objects.current().select_related("module"), module__slug=module_slug, slug=exercise_slug
    )


@login_required
def exercise(request, code, module, exercise, step=None):
    relationship, partner = _couple(request, code)
    exercise = _exercise(module, exercise)
    state = _exercise_state(request.user, relationship, partner, exercise)
    shown = state.position.step or state.steps[-1]
    problem, status, form = None, 200, None
    if step is not None:
        shown = next((s for s in state.steps if s.key == step), None)
        if shown is None:
            messages.info(request, "That step is no longer part of this exercise. Here is where you are now.")
            return redirect(_exercise_url(relationship, exercise))
    if request.method == "POST":
        if step is None:
            return HttpResponseNotAllowed(["GET"])
        form = AnswerForm(shown, request.POST)
        problem = services.why_step_is_closed(shown, state.steps, state.position)
        if problem is None and form.is_valid():
            try:
                services.save_answer(request.user, relationship, shown, form.to_value())
            except services.ExerciseError as error:
                problem = error.message
            else:
                return _after_answer(request, relationship, partner, exercise)
        # htmx swaps in only successful responses; the form and its message
        # must still appear, so only a plain POST hears 400.
        status = 200 if request.htmx else 400
    elif services.why_step_is_closed(shown, state.steps, state.position) and not state.position.completed:
        # A step further on than the person has reached: show where they are.
        messages.info(request, "That step opens once you have taken the ones before it.")
        return redirect(_exercise_url(relationship, exercise))
    context = _exercise_context(request, relationship, partner, exercise, state, shown, form, problem)
    template = "exercises/exercise.html#exercise-main" if request.htmx else "exercises/exercise.html"
    return render(request, template, context, status=status)


def _after_answer(request, relationship, partner, exercise):
    url = _exercise_url(relationship, exercise)
    if not request.htmx:
        return redirect(url)
    state = _exercise_state(request.user, relationship, partner, exercise)
    shown = state.position.step or state.steps[-1]
    context = _exercise_context(request, relationship, partner, exercise, state, shown, None, None)
    context["saved"] = True
    response = render(request, "exercises/exercise.html#exercise-main", context)
    response["HX-Push-Url"] = url
    return response


def _exercise_url(relationship, exercise):
    return reverse("exercises:exercise", args=[relationship.code, exercise.module.slug, exercise.slug])


def _exercise_state(user, relationship, partner, exercise):
    steps = list(current_steps(exercise=exercise))
    return load_progress(user, relationship, partner, steps).exercise(exercise.pk)


def _exercise_context(request, relationship, partner, exercise, state, shown, form, problem):
    visible = (
        Response.objects.visible_to(partner_reader(request.user, relationship))
        .filter(step__exercise=exercise)
        .only("author_id", "step_id", "value", "visibility")
    )
    mine, partners = {}, {}
    for response in visible:
        (mine if response.author_id == request.user.pk else partners)[response.step_id] = response
    my_answer = mine.get(shown.pk)
    if form is None and shown.type.asks_for_answer:
        form = AnswerForm(shown, initial=AnswerForm.initial_from(shown, my_answer.value if my_answer else {}))
    rows = []
    for step in state.steps:
        if step.pk in mine:
            label = "done"
        elif state.position.step and step.position > state.position.step.position:
            label = "later"
        else:
            label = "to do"
        rows.append({"step": step, "status": label, "is_shown": step.pk == shown.pk, "open": label != "later"})
    waiting_here = state.position.waiting and state.position.step == shown
    return {
        "relationship": relationship,
        "partner": partner,
        "module": exercise.module,
        "exercise": exercise,
        "state": state,
        "rows": rows,
        "step": shown,
        "form": form,
        "problem": problem,
        "my_answer": my_answer,
        "partner_answer": partners.get(shown.pk),
        "partner_answers": [
            (step, partners[step.pk])
            for step in state.steps
            if step.pk in partners and step.pk != shown.pk and step.type.asks_for_answer
        ],
        "waiting_here": waiting_here,
        "locked": state.position.completed,
    }


@login_required
def complete(request, code, module, exercise):
    relationship, partner = _couple(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    exercise = _exercise(module, exercise)
    try:
        services.complete_exercise(request.user, relationship, exercise)
    except services.ExerciseError as error:
        messages.error(request, error.message)
        return redirect(_exercise_url(relationship, exercise))
    messages.success(request, f"You have completed “{exercise.title}”. Well done for taking the time.")
    return redirect("exercises:module", relationship.code, exercise.module.slug)


# --- Commitments ----------------------------------------------------------------


def _commitments(user, relationship, today):
    since = today - datetime.timedelta(weeks=HISTORY_WEEKS)
    return list(
        Commitment.objects.visible_to(partner_reader(user, relationship))
        .select_related("author")
        .prefetch_related(
            Prefetch("logs", queryset=CommitmentLog.objects.filter(day__gte=since).order_by("-day"), to_attr="recent")
        )
        .order_by("ended_at", "created_at", "pk")
    )


def _week_history(logs, today):
    """Recent logs grouped by week (weeks begin on Monday), newest first."""
    weeks = {}
    for log in logs:
        week_start = log.day - datetime.timedelta(days=log.day.weekday())
        week = weeks.setdefault(week_start, {"week_start": week_start, "kept": 0, "missed": 0, "notes": []})
        week[log.status] += 1
        if log.note:
            week["notes"].append(log)
    return sorted(weeks.values(), key=lambda week: week["week_start"], reverse=True)


@login_required
def commitments(request, code):
    relationship, partner = _couple(request, code)
    today = timezone.localdate()
    form = CommitmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_commitment(request.user, relationship, form.cleaned_data["text"])
            except services.ExerciseError as error:
                form.add_error("text", error.message)
            else:
                messages.success(request, "Your commitment is in your tracker.")
                return redirect("exercises:commitments", relationship.code)
        status = 400
    return render(
        request,
        "exercises/commitments.html",
        _commitments_context(request, relationship, partner, today, form),
        status=status,
    )


def _commitments_context(request, relationship, partner, today, form, log_forms=None):
    items = _commitments(request.user, relationship, today)
    log_forms = log_forms or {}
    for commitment in items:
        commitment.history = _week_history(commitment.recent, today)
        commitment.is_mine = commitment.author_id == request.user.pk
        commitment.log_form = log_forms.get(commitment.pk) or LogForm(today=today, prefix=str(commitment.code))
    return {
        "relationship": relationship,
        "partner": partner,
        "mine": [c for c in items if c.is_mine],
        "theirs": [c for c in items if not c.is_mine],
        "form": form,
        "today": today,
    }


def _commitment(request, relationship, commitment_code) -> Commitment:
    return get_object_or_404(
        Commitment.objects.visible_to(partner_reader(request.user, relationship)), code=commitment_code
    )


@login_required
def log_commitment(request, code, commitment):
    relationship, partner = _couple(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    commitment = _commitment(request, relationship, commitment)
    today = timezone.localdate()
    form = LogForm(request.POST, today=today, prefix=str(commitment.code))
    problem = None
    if form.is_valid():
        try:
            services.log_commitment(request.user, commitment, **form.cleaned_data)
        except services.ExerciseError as error:
            problem = error.message
        else:
            messages.success(request, "Logged. Thank you for keeping track honestly.")
            return redirect("exercises:commitments", relationship.code)
    context = _commitments_context(request, relationship, partner, today, CommitmentForm(), {commitment.pk: form})
    context["problem"] = problem
    return render(request, "exercises/commitments.html", context, status=400)


@login_required
def end_commitment(request, code, commitment):
    relationship, _ = _couple(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    commitment = _commitment(request, relationship, commitment)
    try:
        services.end_commitment(request.user, commitment)
    except services.ExerciseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "That commitment has ended. Its history stays here.")
    return redirect("exercises:commitments", relationship.code)


# --- Agreements -----------------------------------------------------------------


def _agreements(user, relationship):
    return Agreement.objects.visible_to(partner_reader(user, relationship)).prefetch_related(
        Prefetch(
            "revisions",
            queryset=AgreementRevision.objects.select_related("proposed_by").order_by("proposed_at", "pk"),
        )
    )


def _describe(agreement, user):
    revisions = list(agreement.revisions.all())
    agreement.history = revisions
    agreement.in_force = next((r for r in reversed(revisions) if r.status == RevisionStatus.ACCEPTED), None)
    agreement.pending = next((r for r in reversed(revisions) if r.status == RevisionStatus.PROPOSED), None)
    agreement.latest = revisions[-1] if revisions else None
    agreement.my_turn = bool(agreement.pending and agreement.pending.proposed_by_id != user.pk)
    return agreement


@login_required
def agreements(request, code):
    relationship, partner = _couple(request, code)
    form = ProposeAgreementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.propose_agreement(request.user, relationship, form.cleaned_data["text"], form.cleaned_data["kind"])
            messages.success(request, "Your proposal is waiting for your partner's answer.")
            return redirect("exercises:agreements", relationship.code)
        status = 400
    items = [_describe(a, request.user) for a in _agreements(request.user, relationship)]
    return render(
        request,
        "exercises/agreements.html",
        {"relationship": relationship, "partner": partner, "agreements": items, "form": form},
        status=status,
    )


@login_required
def agreement(request, code, agreement):
    relationship, partner = _couple(request, code)
    agreement = get_object_or_404(
        Agreement.objects.visible_to(partner_reader(request.user, relationship)), code=agreement
    )
    today = timezone.localdate()
    suggested = services.suggested_revisit(relationship, today)
    respond_form = RespondForm(today=today, initial={"revisit_on": suggested})
    change_form = ChangeAgreementForm()
    status, problem = 200, None
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "respond":
            respond_form = RespondForm(request.POST, today=today)
            if respond_form.is_valid():
                data = respond_form.cleaned_data
                try:
                    services.respond_to_agreement(
                        request.user, agreement, data["answer"] == "accept", data["revisit_on"], data["change_note"]
                    )
                except services.ExerciseError as error:
                    problem = error.message
                else:
                    messages.success(request, "Thank you. Your answer is saved.")
                    return redirect("exercises:agreement", relationship.code, agreement.code)
        else:
            change_form = ChangeAgreementForm(request.POST)
            if change_form.is_valid():
                try:
                    services.propose_change(request.user, agreement, change_form.cleaned_data["text"])
                except services.ExerciseError as error:
                    change_form.add_error("text", error.message)
                else:
                    messages.success(request, "Your new wording is waiting for your partner's answer.")
                    return redirect("exercises:agreement", relationship.code, agreement.code)
    agreement = _describe(_agreements(request.user, relationship).get(pk=agreement.pk), request.user)
    return render(
        request,
        "exercises/agreement.html",
        {
            "relationship": relationship,
            "partner": partner,
            "agreement": agreement,
            "respond_form": respond_form,
            "change_form": change_form,
            "problem": problem,
        },
        status=status,
    )
