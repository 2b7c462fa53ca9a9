"""Check-in test data: complete answers, a submitted check-in, weeks of history."""

from tests.factories import GOOD_ANSWERS, CheckInFactory
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

__all__ = ["GOOD_ANSWERS", "form_data", "make_history", "submit_for"]


def form_data(relationship, **overrides) -> dict:
    """A complete, valid POST of the check-in form for the current week."""
    data = {
        "week_start": relationship.rhythm.current_week_start().isoformat(),
        **{name: str(value) for name, value in GOOD_ANSWERS.items()},
        "emotions": ["hope", "sadness"],
        "went_well_text": "We went for a walk and talked.",
        "went_well_visibility": "partner",
        "i_need_text": "A quiet evening together.",
        "i_need_visibility": "care",
        "to_discuss_text": "Something only I should read.",
        "to_discuss_visibility": "private",
        "commitments_text": "",
        "commitments_visibility": "partner",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit_for(author, relationship, week_start=None, submitted=True, reflections=None, **answers):
    """A check-in of `author` (a draft with `submitted=False`) and its reflections:
    by default one shared with the partner and one kept private."""
    if reflections is None:
        reflections = [
            ("went_well", f"{author.display_name} shared this", Visibility.PARTNER),
            ("to_discuss", f"{author.display_name} kept this private", Visibility.PRIVATE),
        ]
    extra = {} if submitted else {"submitted_at": None}
    week = {"week_start": week_start} if week_start else {}
    return CheckInFactory(relationship=relationship, author=author, reflections=reflections, **week, **extra, **answers)


def make_history(relationship, first, second, count: int, include_current=False, skip=0):
    """`count` past weeks in which both partners checked in, going back from
    last week (or this week), after skipping the `skip` most recent ones."""
    current = relationship.rhythm.current_week_start()
    offset = (0 if include_current else 1) + skip
    for index in range(count):
        week_start = current - WEEK * (index + offset)
        submit_for(first, relationship, week_start, csi_happiness=index % 7)
        submit_for(second, relationship, week_start, trust_partner=1 + index % 10)
