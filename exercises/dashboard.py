from exercises.progress import load_progress


def card(request, relationship):
    """The dashboard card of this app (see trustwork.views.DASHBOARD_CARDS):
    the next step to do and progress."""
    progress = load_progress(request.user, relationship, relationship.partner_of(request.user))
    return {
        "template": "exercises/dashboard_card.html",
        "relationship": relationship,
        "progress": progress,
        "next": progress.next_step(),
    }
