def card(request, relationship):
    """The dashboard card of this app (see trustwork.views.DASHBOARD_CARDS)."""
    return None
