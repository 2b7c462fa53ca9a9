from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from exercises.outline import current_outline
from exercises.summaries import exercises_to_suggest
from trustwork import ratelimits
from trustwork.care import review, services
from trustwork.care.access import (
    get_relationship_for_therapist,
    log_dashboard_view,
    relationships_in_care_of,
    therapist_profile,
    therapist_reader,
)
from trustwork.care.forms import ConsentForm, InviteTherapistForm, NoteForm, ProfileForm, SuggestionForm
from trustwork.care.models import AccessLog, CareLink, Consent, ExerciseSuggestion, TherapistNote
from trustwork.couples.access import get_relationship_for_user, partner_reader

ACCESS_LOG_LIMIT = 200

# --- The couple's side ---------------------------------------------------------


def _links(relationship):
    return (
        relationship.care_links.select_related("therapist__therapist_profile", "revoked_by", "invited_by")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.select_related("person")))
        .order_by("revoked_at", "-created_at")
    )


def _couple_context(request, relationship, invite_form):
    links = list(_links(relationship))
    for link in links:
        link.my_consent = link.consent_of(request.user)
    return {
        "relationship": relationship,
        "partner": relationship.partner_of(request.user),
        "links": links,
        "invite_form": invite_form,
    }


@login_required
def couple(request, code):
    relationship = get_relationship_for_user(request.user, code)
    return render(request, "care/couple.html", _couple_context(request, relationship, InviteTherapistForm()))


@login_required
def invite(request, code):
    relationship = get_relationship_for_user(request.user, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if too_many := ratelimits.limit(request, "invite_therapist"):
        return too_many
    form = InviteTherapistForm(request.POST)
    if form.is_valid():
        try:
            link = services.invite_therapist(relationship, request.user, form.cleaned_data["email"])
        except services.CareError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                f"We sent an invitation to {link.email}. They will see nothing until you have both agreed "
                "and they have accepted.",
            )
            return redirect("care:couple", relationship.code)
    return render(request, "care/couple.html", _couple_context(request, relationship, form), status=400)


def _link_for_partner(user, code) -> CareLink:
    links = CareLink.objects.for_partner(user).select_related("relationship", "therapist__therapist_profile")
    return get_object_or_404(links.prefetch_related("consents__person", "relationship__memberships__user"), code=code)


@login_required
def consent(request, code):
    link = _link_for_partner(request.user, code)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.give_consent(link, request.user)
            except services.CareError as error:
                messages.info(request, error.message)
            else:
                messages.success(request, "Thank you. You have agreed. You can change your mind at any time.")
            return redirect("care:couple", link.relationship.code)
        status = 400
    context = {
        "link": link,
        "relationship": link.relationship,
        "my_consent": link.consent_of(request.user),
        "form": form,
    }
    return render(request, "care/consent.html", context, status=status)


@login_required
def revoke(request, code):
    link = _link_for_partner(request.user, code)
    if request.method == "POST":
        try:
            services.revoke(link, request.user)
        except services.CareError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                "The link has ended. From now on the therapist can't open anything of yours. "
                "The link and its access log stay in your record.",
            )
        return redirect("care:couple", link.relationship.code)
    return render(request, "care/revoke.html", {"link": link, "relationship": link.relationship})


@login_required
def access_log(request, code):
    relationship = get_relationship_for_user(request.user, code)
    entries = list(AccessLog.objects.visible_to(partner_reader(request.user, relationship))[:ACCESS_LOG_LIMIT])
    return render(
        request,
        "care/access_log.html",
        {"relationship": relationship, "entries": entries, "limit": ACCESS_LOG_LIMIT},
    )


# --- The therapist's side ------------------------------------------------------


def therapist_required(view):
    """Signed in, with a therapist profile and TOTP switched on. Someone who is
    not a therapist gets 404 from couple pages, like any outsider."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = therapist_profile(request.user)
        if profile is None:
            raise Http404("Not a therapist page for you.")
        if not profile.has_totp:
            return _ask_for_totp(request)
        return view(request, *args, **kwargs)

    return wrapper


def _ask_for_totp(request):
    messages.info(
        request,
        "Before you see any couple, please switch on two-factor authentication with an authenticator app.",
    )
    return redirect("mfa_activate_totp")


@login_required
def profile(request):
    existing = getattr(request.user, "therapist_profile", None)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_profile(request.user, **{f: form.cleaned_data[f] for f in ProfileForm.Meta.fields})
            except services.CareError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Your therapist profile is saved.")
                return redirect(request.GET.get("next") if _safe_next(request) else "care:dashboard")
        status = 400
    return render(request, "care/profile.html", {"form": form, "profile": existing}, status=status)


def _safe_next(request) -> bool:
    target = request.GET.get("next")
    return bool(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})


@login_required
def dashboard(request):
    profile = therapist_profile(request.user)
    if profile is None:
        messages.info(request, "The therapist dashboard is for therapists. Set up a therapist profile to use it.")
        return redirect("care:profile")
    if not profile.has_totp:
        return _ask_for_totp(request)
    relationships = list(relationships_in_care_of(request.user).order_by("pk"))
    log_dashboard_view(request.user, relationships, "Dashboard")
    # Links they accepted, of couples not in their care yet: someone has still to agree.
    waiting = CareLink.objects.filter(therapist=request.user).open().exclude(relationship__in=relationships)
    return render(
        request,
        "care/dashboard.html",
        {"rows": review.dashboard_rows(request.user, relationships), "waiting_count": waiting.count()},
    )


def _review_context(request, relationship, note_form=None, suggestion_form=None):
    outline = current_outline()
    context = review.couple_page(request.user, relationship, outline)
    context.update(
        {
            "relationship": relationship,
            "notes": TherapistNote.objects.visible_to(request.user).filter(relationship=relationship),
            "suggestions": ExerciseSuggestion.objects.visible_to(
                therapist_reader(request.user, [relationship])
            ).select_related("exercise__module"),
            "note_form": note_form or NoteForm(),
            "suggestion_form": suggestion_form or SuggestionForm(exercises=exercises_to_suggest(outline)),
        }
    )
    return context


@therapist_required
def couple_review(request, code):
    relationship = get_relationship_for_therapist(request, code, "Couple page")
    return render(request, "care/review.html", _review_context(request, relationship))


@therapist_required
def add_note(request, code):
    relationship = get_relationship_for_therapist(request, code, "Couple page")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(request.user, relationship, form.cleaned_data["text"])
        if not request.htmx:
            messages.success(request, "Your note is saved. Only you can read it.")
            return redirect(reverse("care:review", args=[relationship.code]) + "#notes")
        form = NoteForm()
        saved = True
    else:
        saved = False
    if request.htmx:
        context = {
            "relationship": relationship,
            "note_form": form,
            "notes": TherapistNote.objects.visible_to(request.user).filter(relationship=relationship),
            "note_saved": saved,
        }
        # htmx swaps only 2xx answers, so the notes with their message come back as a 200.
        return render(request, "care/review.html#notes", context)
    return render(request, "care/review.html", _review_context(request, relationship, note_form=form), status=400)


@therapist_required
def suggest(request, code):
    relationship = get_relationship_for_therapist(request, code, "Couple page")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SuggestionForm(request.POST, exercises=exercises_to_suggest(current_outline()))
    if form.is_valid():
        suggestion = services.suggest_exercise(
            request.user, relationship, form.cleaned_data["exercise"], form.cleaned_data["message"]
        )
        messages.success(
            request, f"You suggested \u201c{suggestion.exercise.title}\u201d. The couple sees it on their home page."
        )
        return redirect(reverse("care:review", args=[relationship.code]) + "#suggestions")
    return render(request, "care/review.html", _review_context(request, relationship, suggestion_form=form), status=400)


def invitation(request, code):
    """A therapist opens the couple's invitation. Anyone holding the link sees
    who sent it; accepting needs the invited address, signed in."""
    link = get_object_or_404(CareLink.objects.select_related("invited_by", "relationship"), code=code)
    problem = None
    needs_profile = False
    status = 200
    if request.user.is_authenticated:
        problem = services.invitation_problem(link, request.user)
        needs_profile = problem == "Please set up your therapist profile first."
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.accept_invitation(code, request.user)
        except services.CareError as error:
            problem, status = error.message, 400
        else:
            messages.success(
                request,
                "You have accepted. You'll see the couple once both partners have agreed.",
            )
            return redirect("care:dashboard")
    return render(
        request,
        "care/invitation.html",
        {"link": link, "problem": problem, "needs_profile": needs_profile},
        status=status,
    )
