from django.template.loader import render_to_string

from exercises.models import ContentRevision
from trustwork import caching
from trustwork.care.models import ExerciseSuggestion
from trustwork.couples.access import partner_reader

SUGGESTIONS_SHOWN = 3


def card(request, relationship) -> str:
    """The couple's dashboard card (see trustwork.views.DASHBOARD_CARDS): the
    therapist's suggestions, where each link stands, and the way to the log.
    Kept under a key of the reader, the couple's version and the exercise
    content's revision (suggestions name exercises); made in two queries."""
    reader = partner_reader(request.user, relationship)
    key = caching.make_key("care-card", *caching.couple_parts(reader, relationship), ContentRevision.current_token())
    return caching.kept(key, lambda: _html(reader, relationship))


def _html(reader, relationship) -> str:
    links = list(
        relationship.care_links.open().with_consents_counted(reader.user).select_related("therapist__therapist_profile")
    )
    suggestions = list(
        ExerciseSuggestion.objects.visible_to(reader).select_related("exercise__module")[:SUGGESTIONS_SHOWN]
    )
    card = {
        "relationship": relationship,
        "care_links": links,
        "suggestions": suggestions,
        "waiting_for_me": [link for link in links if not link.reader_consented],
    }
    return render_to_string("care/_card.html", {"card": card})
