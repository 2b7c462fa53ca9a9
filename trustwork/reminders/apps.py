from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "trustwork.reminders"
    label = "reminders"
    verbose_name = "Reminders"
