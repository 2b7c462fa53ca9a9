def card(request, relationship):
    """The dashboard card of this app (see trustwork.views.DASHBOARD_CARDS):
    whether each of us has checked in this week, and the way on."""
    user = request.user
    partner = relationship.partner_of(user)
    week_start = relationship.rhythm.current_week_start()
    # Only whether each has checked in: never when, never what.
    states = dict(
        relationship.checkins.filter(week_start=week_start).order_by().values_list("author_id", "submitted_at")
    )
    i_have = states.get(user.pk) is not None
    has_draft = user.pk in states and not i_have
    partner_has = partner is not None and states.get(partner.pk) is not None
    return {
        "template": "checkins/_card.html",
        "relationship": relationship,
        "partner": partner,
        "week_start": week_start,
        "i_have_checked_in": i_have,
        "i_have_a_draft": has_draft,
        "partner_has_checked_in": partner_has,
        "both_in": i_have and partner_has,
    }
