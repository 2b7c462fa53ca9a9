"""Twelve weeks of check-in history for the demo couple (see seed_demo).

Some weeks are missing, a few reflections are private, and the numbers move:
a hard start, a setback around week seven, and a slow climb. Idempotent: once
the couple has any check-in, nothing is added.
"""

import datetime

from checkins.models import CheckIn, Reflection
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

WEEKS = 12
# Per week, oldest first: (alice's CSI-4 items, trust pulse) and bob's; None = no check-in.
ALICE = [
    ((1, 1, 2, 1), (3, 3, 4)),
    ((2, 1, 2, 2), (3, 4, 4)),
    ((2, 2, 2, 2), (4, 4, 5)),
    None,
    ((3, 2, 3, 2), (5, 5, 5)),
    ((3, 3, 3, 3), (5, 6, 6)),
    ((2, 2, 2, 2), (4, 4, 3)),
    ((3, 2, 3, 3), (5, 5, 5)),
    ((3, 3, 3, 3), (6, 6, 6)),
    ((4, 3, 3, 3), (6, 7, 7)),
    ((4, 3, 4, 3), (7, 7, 7)),
    ((4, 4, 4, 4), (7, 8, 8)),
]
BOB = [
    ((2, 2, 2, 2), (5, 3, 4)),
    ((2, 2, 3, 2), (5, 4, 5)),
    None,
    ((3, 2, 3, 2), (6, 4, 5)),
    ((3, 3, 3, 3), (6, 5, 6)),
    ((3, 3, 3, 3), (6, 6, 6)),
    None,
    ((3, 3, 3, 2), (6, 5, 6)),
    ((3, 3, 4, 3), (7, 6, 7)),
    ((4, 3, 4, 3), (7, 7, 7)),
    ((4, 4, 4, 3), (7, 7, 8)),
    ((4, 4, 4, 4), (8, 8, 8)),
]
EMOTIONS = [
    ["anger", "hurt", "sadness"],
    ["hurt", "confusion"],
    ["sadness", "hope"],
    ["anxiety", "hope"],
    ["hope", "calm"],
    ["relief", "hope"],
    ["disappointment", "sadness"],
    ["hope"],
    ["calm", "closeness"],
    ["hope", "gratitude"],
    ["closeness", "relief"],
    ["gratitude", "calm"],
]
BOB_EMOTIONS = [
    ["guilt", "shame"],
    ["guilt", "anxiety"],
    None,
    ["shame", "hope"],
    ["hope"],
    ["relief", "hope"],
    None,
    ["guilt", "hope"],
    ["calm"],
    ["gratitude", "hope"],
    ["closeness"],
    ["gratitude", "calm"],
]
REFLECTIONS = {
    "alice": [
        ("went_well", "We talked on Sunday without it turning into a fight.", Visibility.PARTNER),
        ("i_need", "To hear where you are when you're late, before I have to ask.", Visibility.PARTNER),
        ("to_discuss", "Whether we want to see a counsellor together.", Visibility.CARE),
        ("commitments", "I kept our walk on Wednesday. I missed the phone-free dinner.", Visibility.PARTNER),
    ],
    "bob": [
        ("went_well", "I answered the hard questions instead of going quiet.", Visibility.PARTNER),
        ("i_need", "Some patience when I get defensive; I am working on it.", Visibility.PARTNER),
        ("to_discuss", "I still feel a lot of shame and don't know how to say it yet.", Visibility.PRIVATE),
        ("commitments", "I texted when plans changed, every time this week.", Visibility.PARTNER),
    ],
}
PRIVATE_NOTE = {
    "alice": ("i_need", "Honestly I'm not sure yet whether I can do this. Writing it here helps.", Visibility.PRIVATE),
}


def _add(relationship, author, week_start, answers, emotions, reflections):
    (happiness, warm, rewarding, satisfied), (trust, heard, matched) = answers
    opens, _ = relationship.rhythm.week_window(week_start)
    submitted_at = opens + datetime.timedelta(days=6, hours=19)
    checkin = CheckIn.objects.create(
        relationship=relationship,
        author=author,
        week_start=week_start,
        created_at=submitted_at - datetime.timedelta(minutes=25),
        updated_at=submitted_at,
        submitted_at=submitted_at,
        csi_happiness=happiness,
        csi_warm=warm,
        csi_rewarding=rewarding,
        csi_satisfied=satisfied,
        trust_partner=trust,
        felt_heard=heard,
        actions_matched_words=matched,
        emotions=emotions,
    )
    Reflection.objects.bulk_create(
        Reflection(checkin=checkin, prompt=prompt, text=text, visibility=visibility)
        for prompt, text, visibility in reflections
    )


def seed(alice, bob, therapist, relationship, stdout):
    if relationship.checkins.exists():
        stdout.write("Check-ins: demo history already there.")
        return
    current = relationship.rhythm.current_week_start()
    for index in range(WEEKS):
        week_start = current - WEEK * (WEEKS - index)
        if ALICE[index]:
            reflections = list(REFLECTIONS["alice"])
            if index in (1, 6):
                reflections[1] = PRIVATE_NOTE["alice"]
            _add(relationship, alice, week_start, ALICE[index], EMOTIONS[index], reflections)
        if BOB[index]:
            reflections = REFLECTIONS["bob"] if index % 3 == 0 else REFLECTIONS["bob"][:2]
            _add(relationship, bob, week_start, BOB[index], BOB_EMOTIONS[index], reflections)
    stdout.write(f"Check-ins: {WEEKS} weeks of history for alice and bob, this week left open.")
