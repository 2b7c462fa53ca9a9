"""Demo history: alice and bob part-way through modules 1 to 3, with a
commitment each and a few weeks of kept and missed days. Idempotent: answers
that exist are left alone."""

import datetime

from django.utils import timezone

from exercises import services
from exercises.models import Commitment, CommitmentLog, Completion, Exercise, Response

# (module slug, exercise slug, alice's answers, bob's answers, completed by)
# Answers are given in step order; a missing step means "not answered yet".
SPEAKER = {
    "how-it-works": {"read": True},
    "choose-a-topic": {"choices": ["Something ordinary from this week"]},
    "ground-rules": {
        "items": ["I will not interrupt while my partner is speaking", "Either of us can ask for a pause at any time"]
    },
    "take-turns": {"read": True},
}
DEMO_ANSWERS = [
    (
        "open-communication",
        "speaker-and-listener",
        {
            **SPEAKER,
            "felt-heard": {"number": 7},
            "what-helped": {
                "text": "You didn't look at your phone once, and you said back the part about feeling alone."
            },
            "say-again": {"text": "That the evenings are the hardest part for me."},
        },
        {
            **SPEAKER,
            "felt-heard": {"number": 6},
            "what-helped": {"text": "You let me finish before answering."},
            "say-again": {"text": "That I want to keep trying, even when I get it wrong."},
        },
        ("alice", "bob"),
    ),
    (
        "open-communication",
        "check-in-rhythm",
        {
            "why-a-rhythm": {"read": True},
            "weekly-time": {"weekday": 6, "time": "19:00"},
            "check-in-length": {"choices": ["30 minutes"]},
        },
        {"why-a-rhythm": {"read": True}, "weekly-time": {"weekday": 6, "time": "19:00"}},
        (),
    ),
    (
        "acknowledge-hurt",
        "name-the-feelings",
        {
            "feelings-have-names": {"read": True},
            "what-i-feel": {"items": ["Anger", "Sadness or grief", "Hope"]},
            "raw-words": {"text": "(Alice's private words: only she can read this.)"},
            "how-strong": {"number": 6},
        },
        {"feelings-have-names": {"read": True}, "what-i-feel": {"items": ["Guilt", "Shame", "Fear"]}},
        (),
    ),
    (
        "acknowledge-hurt",
        "acknowledge-without-defending",
        {
            "what-acknowledging-means": {"read": True},
            "what-hurts": {"text": "The months of not knowing, and wondering what else I missed."},
        },
        {"what-acknowledging-means": {"read": True}},
        (),
    ),
    (
        "consistent-actions",
        "small-commitments",
        {
            "a-good-commitment": {"read": True},
            "what-would-help": {"text": "A message if you're going to be more than fifteen minutes late."},
            "before-you-commit": {"items": ["It is something I control", "Anyone could tell whether it happened"]},
            "my-commitment": {"text": "I will ask how your day was before talking about mine"},
            "keeping-track": {"read": True},
        },
        {
            "a-good-commitment": {"read": True},
            "what-would-help": {"text": "Asking me how my day went, even on the hard days."},
            "before-you-commit": {
                "items": ["It is something I control", "I can keep it on a bad day, not only a good one"]
            },
            "my-commitment": {"text": "I will text if I am running more than 15 minutes late"},
            "keeping-track": {"read": True},
        },
        ("alice", "bob"),
    ),
]
# Days ago -> (status, note), for the commitments of each person.
DEMO_LOGS = {
    "alice": {
        1: ("kept", ""),
        2: ("kept", ""),
        3: ("missed", "A long day; I went straight to my own news."),
        5: ("kept", ""),
        6: ("kept", ""),
        9: ("kept", ""),
    },
    "bob": {
        1: ("kept", ""),
        2: ("kept", ""),
        4: ("kept", ""),
        5: ("missed", "Phone died on the train. I told you as soon as I was home."),
        8: ("kept", ""),
        10: ("kept", ""),
    },
}


def seed(alice, bob, therapist, relationship, stdout):
    people = {"alice": alice, "bob": bob}
    for module_slug, exercise_slug, alice_answers, bob_answers, completed_by in DEMO_ANSWERS:
        exercise = Exercise.objects.current().get(module__slug=module_slug, slug=exercise_slug)
        steps = list(exercise.steps.current().order_by("position"))
        # Step by step, alice then bob: a step answered together opens the
        # next one only once both have answered it.
        for step in steps:
            for name, answers in (("alice", alice_answers), ("bob", bob_answers)):
                person = people[name]
                if step.key not in answers:
                    continue
                if Response.objects.filter(relationship=relationship, step=step, author=person).exists():
                    continue
                if Completion.objects.filter(relationship=relationship, exercise=exercise, person=person).exists():
                    continue
                services.save_answer(person, relationship, step, dict(answers[step.key]))
        for name in completed_by:
            if not Completion.objects.filter(
                relationship=relationship, exercise=exercise, person=people[name]
            ).exists():
                services.complete_exercise(people[name], relationship, exercise)
    today = timezone.localdate()
    for name, days in DEMO_LOGS.items():
        commitment = Commitment.objects.filter(relationship=relationship, author=people[name]).first()
        if commitment is None:
            continue
        # Made a fortnight ago, so its history has somewhere to start.
        started = timezone.now() - datetime.timedelta(days=14)
        Commitment.objects.filter(pk=commitment.pk, created_at__gt=started).update(created_at=started)
        for days_ago, (status, note) in days.items():
            CommitmentLog.objects.get_or_create(
                commitment=commitment,
                day=today - datetime.timedelta(days=days_ago),
                defaults={"status": status, "note": note},
            )
    stdout.write("Exercises: alice and bob are part-way through modules 1 to 3, with commitments logged.")
