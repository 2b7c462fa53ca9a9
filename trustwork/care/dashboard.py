from django.template.loader import render_to_string

from trustwork.care import couple_cache
from trustwork.care.models import ExerciseSuggestion
from trustwork.couples.access import partner_reader

SUGGESTIONS_SHOWN = 3


def card(request, relationship):
    """The couple's dashboard card (see trustwork.views.DASHBOARD_CARDS): the
    therapist's suggestions, where each link stands, and the way to the log.
    Kept per partner in couple_cache until a link, a consent, a suggestion or
    a therapist's profile of theirs, or the exercise content, is saved; made
    in two queries."""
    html = couple_cache.cached_per_couple(
        couple_cache.CARD,
        request.user,
        [relationship],
        {relationship.pk: ""},
        lambda _: {relationship.pk: _html(request.user, relationship)},
    )[relationship.pk]
    return {"template": "care/_card_cached.html", "html": html}


def _html(reader, relationship) -> str:
    links = list(
        relationship.care_links.open().with_consents_counted(reader).select_related("therapist__therapist_profile")
    )
    suggestions = list(
        ExerciseSuggestion.objects.visible_to(partner_reader(reader, relationship)).select_related("exercise__module")[
            :SUGGESTIONS_SHOWN
        ]
    )
    card = {
        "relationship": relationship,
        "care_links": links,
        "suggestions": suggestions,
        "waiting_for_me": [link for link in links if not link.reader_consented],
    }
    return render_to_string("care/_card.html", {"card": card})
