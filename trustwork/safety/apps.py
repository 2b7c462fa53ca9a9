from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "trustwork.safety"
    label = "safety"
    verbose_name = "Safety"
