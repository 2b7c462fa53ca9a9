from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "checkins.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        # Keep next reminder times right when a rhythm, a membership or a
        # person's time zone changes, whoever's code made the change.
        from checkins.reminders import signals

        signals.connect()
