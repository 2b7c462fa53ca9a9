from django.apps import AppConfig


class TrustworkConfig(AppConfig):
    """The project itself, as the app at the top of the layers: what puts
    every app together (the home page, account deletion, the demo)."""

    name = "trustwork"
    verbose_name = "trustwork"
