"""The reminders keep, for each person, whether they have an exercise they
started and have not completed (ReminderFacts.exercise_in_progress); from now
on exercises.services tells them on every answer and completion. This writes
it for the people already here."""

from django.db import migrations


def copy_in_progress(apps, schema_editor):
    Response = apps.get_model("exercises", "Response")
    Completion = apps.get_model("exercises", "Completion")
    ReminderFacts = apps.get_model("reminders", "ReminderFacts")
    started = set(
        Response.objects.filter(
            relationship__ended_at__isnull=True,
            step__is_retired=False,
            step__exercise__is_retired=False,
            step__exercise__module__is_retired=False,
        ).values_list("author_id", "relationship_id", "step__exercise_id")
    )
    completed = set(Completion.objects.values_list("person_id", "relationship_id", "exercise_id"))
    for user_id in {author for author, *_ in started - completed}:
        ReminderFacts.objects.update_or_create(user_id=user_id, defaults={"exercise_in_progress": True})


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0002_content_revision"),
        ("reminders", "0002_facts_pushed_down"),
    ]

    operations = [migrations.RunPython(copy_in_progress, migrations.RunPython.noop)]
