"""Taking and deleting a private safety check. Nothing here sends mail or
notifies anyone: the partner and any therapist never learn a check exists."""

from django.db import transaction

from trustwork.safety.models import QUESTIONS, SafetyCheck, outcome_for


def take_safety_check(person, answers: dict) -> SafetyCheck:
    values = {name: answers[name] for name, _, _ in QUESTIONS}
    return SafetyCheck.objects.create(person=person, outcome=outcome_for(values), **values)


def delete_safety_check(check: SafetyCheck) -> None:
    with transaction.atomic():
        check.delete()
