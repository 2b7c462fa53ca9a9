from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "trustwork.care"
    label = "care"
    verbose_name = "Therapist review"
