from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from kombu import Connection

from checkins import dashboard as checkins_dashboard
from exercises import dashboard as exercises_dashboard
from trustwork import deletion, ratelimits
from trustwork.accounts import services as account_services
from trustwork.accounts.forms import DeleteAccountForm
from trustwork.care import dashboard as care_dashboard
from trustwork.care.access import is_therapist
from trustwork.celery import app as celery_app
from trustwork.couples.access import current_relationship

# Each product app adds a card to the dashboard: a function taking
# (request, relationship) and returning the card's HTML, or "" when it has
# nothing to show.
DASHBOARD_CARDS = [checkins_dashboard.card, exercises_dashboard.card, care_dashboard.card]


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    relationship = current_relationship(request.user)
    if relationship is None and is_therapist(request.user):
        # A therapist's home is the list of couples who invited them.
        return redirect("care:dashboard")
    partner = relationship.partner_of(request.user) if relationship else None
    cards = []
    if partner:
        cards = [html for make_card in DASHBOARD_CARDS if (html := make_card(request, relationship))]
    context = {
        "relationship": relationship,
        "partner": partner,
        # Only someone still waiting for their partner is shown the invitation.
        "pending_invitation": relationship.invitations.pending().first() if relationship and not partner else None,
        "cards": cards,
    }
    return render(request, "home.html", context)


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if too_many := ratelimits.limit(request, "delete_account"):
            return too_many
        if form.is_valid():
            try:
                account_services.check_identity(request.user, form.cleaned_data["password"], form.cleaned_data["code"])
            except account_services.AccountError as error:
                form.add_error(None, error.message)
            else:
                deletion.delete_account(request.user)
                logout(request)
                messages.success(request, "Your account and everything you wrote are deleted. Take care of yourself.")
                return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


def safety(request):
    return render(request, "safety.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    try:
        with Connection(
            celery_app.conf.broker_url, transport_options=celery_app.conf.broker_transport_options, connect_timeout=2
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
def healthz(request):
    checks = {
        "database": "ok" if _database_ok() else "down",
        "broker": "ok" if _broker_ok() else "down",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
