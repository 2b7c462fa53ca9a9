"""Check-in test data: complete answers, a submitted check-in, weeks of history."""

import datetime

from checkins.models import CheckIn, Reflection
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

GOOD_ANSWERS = {
    "csi_happiness": 3,
    "csi_warm": 3,
    "csi_rewarding": 2,
    "csi_satisfied": 3,
    "trust_partner": 6,
    "felt_heard": 5,
    "actions_matched_words": 7,
}


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
    week_start = week_start or relationship.rhythm.current_week_start()
    opens, _ = relationship.rhythm.week_window(week_start)
    checkin = CheckIn.objects.create(
        relationship=relationship,
        author=author,
        week_start=week_start,
        submitted_at=opens + datetime.timedelta(hours=1) if submitted else None,
        emotions=["hope"],
        **{**GOOD_ANSWERS, **answers},
    )
    if reflections is None:
        reflections = [
            ("went_well", f"{author.display_name} shared this", Visibility.PARTNER),
            ("to_discuss", f"{author.display_name} kept this private", Visibility.PRIVATE),
        ]
    Reflection.objects.bulk_create(
        Reflection(checkin=checkin, prompt=prompt, text=text, visibility=visibility)
        for prompt, text, visibility in reflections
    )
    return checkin


def make_history(relationship, first, second, count: int, include_current=False, skip=0):
    """`count` past weeks in which both partners checked in, going back from
    last week (or this week), after skipping the `skip` most recent ones."""
    current = relationship.rhythm.current_week_start()
    offset = (0 if include_current else 1) + skip
    for index in range(count):
        week_start = current - WEEK * (index + offset)
        submit_for(first, relationship, week_start, csi_happiness=index % 7)
        submit_for(second, relationship, week_start, trust_partner=1 + index % 10)
