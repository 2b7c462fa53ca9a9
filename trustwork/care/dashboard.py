from django.db.models import Prefetch

from trustwork.care.models import Consent, ExerciseSuggestion

SUGGESTIONS_SHOWN = 3


def card(request, relationship):
    """The couple's dashboard card (see trustwork.views.DASHBOARD_CARDS): the
    therapist's suggestions, where each link stands, and the way to the log."""
    links = list(
        relationship.care_links.open()
        .select_related("therapist__therapist_profile")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.all()))
    )
    suggestions = list(
        ExerciseSuggestion.objects.visible_to(request.user)
        .filter(relationship=relationship)
        .select_related("exercise__module")[:SUGGESTIONS_SHOWN]
    )
    waiting_for_me = [link for link in links if link.consent_of(request.user) is None]
    return {
        "template": "care/_card.html",
        "relationship": relationship,
        "care_links": links,
        "suggestions": suggestions,
        "waiting_for_me": waiting_for_me,
    }
