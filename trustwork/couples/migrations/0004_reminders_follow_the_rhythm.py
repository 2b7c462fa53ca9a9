"""The reminders keep their own copy of each complete couple's rhythm
(trustwork.reminders.models.ReminderFacts); from now on the couples services
push it down on every change. This writes the copy for the couples already
here."""

from django.db import migrations


def copy_rhythms(apps, schema_editor):
    Relationship = apps.get_model("couples", "Relationship")
    ReminderFacts = apps.get_model("reminders", "ReminderFacts")
    for relationship in Relationship.objects.filter(ended_at__isnull=True).prefetch_related("memberships"):
        partners = [m.user_id for m in relationship.memberships.all() if m.is_active]
        if len(partners) != 2:
            continue
        for user_id in partners:
            ReminderFacts.objects.update_or_create(
                user_id=user_id,
                defaults={
                    "checkin_weekday": relationship.checkin_weekday,
                    "checkin_time": relationship.checkin_time,
                    "checkin_zone": relationship.time_zone,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("couples", "0003_relationship_version"),
        ("reminders", "0002_facts_pushed_down"),
    ]

    operations = [migrations.RunPython(copy_rhythms, migrations.RunPython.noop)]
