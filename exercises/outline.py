"""The exercise content every page needs (modules, exercises, steps), kept in
each process's memory and checked against ContentRevision's token.

Content changes only when it is loaded from exercises/content/ (a deploy), so
reading all 109 steps with their exercise and module on every request was
almost all of the dashboard's time. Now a page pays one query for the token;
the steps are read again only when the token has changed.

The steps returned are shared by every request this process answers: treat
them as read-only. Never set attributes on them (a person's answer, say):
they would show in the next person's page. Per-person state goes in the
dataclasses of exercises/progress.py.
"""

from exercises.models import ContentRevision, Step

# (token, steps): replaced as one tuple, so a thread never pairs one
# token with another content's steps.
_cached: tuple = (None, ())


def _load() -> tuple[Step, ...]:
    return tuple(
        Step.objects.current()
        .filter(exercise__is_retired=False, exercise__module__is_retired=False)
        .select_related("exercise__module")
        .order_by("exercise__module__number", "exercise__position", "position")
    )


def current_outline() -> tuple[Step, ...]:
    """Every current step, in order, with its exercise and module (one query
    while the content is unchanged, two when it has changed)."""
    global _cached
    token = ContentRevision.current_token()
    if token is None:
        return _load()  # never bumped yet (a bare test database): don't keep it
    cached_token, steps = _cached
    if cached_token != token:
        steps = _load()
        _cached = (token, steps)
    return steps
