from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "trustwork.couples"
    label = "couples"
    verbose_name = "Couples"
