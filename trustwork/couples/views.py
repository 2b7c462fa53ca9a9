from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from trustwork import ratelimits
from trustwork.couples import services
from trustwork.couples.access import current_relationship, get_relationship_for_user
from trustwork.couples.forms import InviteForm
from trustwork.couples.models import Invitation


@login_required
def start(request):
    relationship = current_relationship(request.user)
    if relationship:
        return redirect("couples:detail", relationship.code)
    if request.method == "POST":
        try:
            relationship = services.start_relationship(request.user)
        except services.CouplesError as error:
            messages.error(request, error.message)
            return redirect("home")
        messages.success(request, "Your shared record is ready. Now invite your partner.")
        return redirect("couples:detail", relationship.code)
    return render(request, "couples/start.html")


@login_required
def detail(request, code):
    relationship = get_relationship_for_user(request.user, code)
    return render(request, "couples/detail.html", _detail_context(request, relationship, InviteForm()))


def _detail_context(request, relationship, invite_form):
    return {
        "relationship": relationship,
        "partner": relationship.partner_of(request.user),
        "pending_invitation": relationship.invitations.pending().first(),
        "invite_form": invite_form,
    }


@login_required
def invite(request, code):
    relationship = get_relationship_for_user(request.user, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if too_many := ratelimits.limit(request, "invite_partner"):
        return too_many
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_partner(relationship, request.user, form.cleaned_data["email"])
        except services.CouplesError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, f"We sent an invitation to {invitation.email}.")
            return redirect("couples:detail", relationship.code)
    context = _detail_context(request, relationship, form)
    return render(request, "couples/detail.html", context, status=400)


@login_required
def end(request, code):
    relationship = get_relationship_for_user(request.user, code)
    if request.method == "POST":
        services.end_relationship(relationship, request.user)
        messages.success(
            request,
            "The shared record has ended. Your partner can no longer see anything in it. "
            "What you wrote stays yours: you can export or delete it from your account.",
        )
        return redirect("home")
    return render(request, "couples/end.html", {"relationship": relationship})


def invitation(request, code):
    """Anyone holding the link may see whose invitation it is; accepting needs
    the invited address to be signed in."""
    invitation = get_object_or_404(Invitation.objects.select_related("invited_by", "relationship"), code=code)
    problem = services.invitation_problem(invitation, request.user) if request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            relationship = services.accept_invitation(code, request.user)
        except services.CouplesError as error:
            problem, status = error.message, 400
        else:
            messages.success(request, "You have joined your shared record. Welcome.")
            return redirect("couples:detail", relationship.code)
    elif not request.user.is_authenticated and not invitation.is_pending:
        problem = "This invitation can no longer be used. Ask your partner to send a new one."
    return render(request, "couples/invitation.html", {"invitation": invitation, "problem": problem}, status=status)
