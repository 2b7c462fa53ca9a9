from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from kombu import Connection

from trustwork.care.access import is_therapist
from trustwork.celery import app as celery_app
from trustwork.couples.access import current_relationship

# Each product app adds a card to the dashboard: a function taking
# (request, relationship) and returning a context dict with a "template" key,
# or None when it has nothing to show.
DASHBOARD_CARDS = [
    "checkins.dashboard.card",
    "exercises.dashboard.card",
    "trustwork.care.dashboard.card",
]


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
        for path in DASHBOARD_CARDS:
            card = import_string(path)(request, relationship)
            if card:
                cards.append(card)
    context = {
        "relationship": relationship,
        "partner": partner,
        # Only someone still waiting for their partner is shown the invitation.
        "pending_invitation": relationship.invitations.pending().first() if relationship and not partner else None,
        "cards": cards,
    }
    return render(request, "home.html", context)


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
