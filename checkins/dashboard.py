from django.template.loader import render_to_string

from trustwork import caching
from trustwork.couples.access import partner_reader


def card(request, relationship) -> str:
    """The dashboard card of this app (see trustwork.views.DASHBOARD_CARDS):
    whether each of us has checked in this week, and the way on. Kept under
    a key of the reader, the couple's version (a check-in begun or sent
    bumps it) and the week."""
    week_start = relationship.rhythm.current_week_start()
    reader = partner_reader(request.user, relationship)
    key = caching.make_key("checkin-card", *caching.couple_parts(reader, relationship), week_start)
    return caching.kept(key, lambda: _html(request.user, relationship, week_start))


def _html(user, relationship, week_start) -> str:
    partner = relationship.partner_of(user)
    # Only whether each has checked in: never when, never what.
    states = dict(
        relationship.checkins.filter(week_start=week_start).order_by().values_list("author_id", "submitted_at")
    )
    i_have = states.get(user.pk) is not None
    partner_has = partner is not None and states.get(partner.pk) is not None
    card = {
        "relationship": relationship,
        "partner": partner,
        "week_start": week_start,
        "i_have_checked_in": i_have,
        "i_have_a_draft": user.pk in states and not i_have,
        "partner_has_checked_in": partner_has,
        "both_in": i_have and partner_has,
    }
    return render_to_string("checkins/_card.html", {"card": card})
