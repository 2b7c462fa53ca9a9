from django.apps import apps

# The apps whose rows a rejected request must leave exactly as they were.
OUR_APPS = ("accounts", "couples", "checkins", "exercises", "reminders", "care", "account", "mfa", "safety")


def snapshot():
    """Every row of our apps, for asserting that a rejected request changed nothing."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            rows = list(model._default_manager.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)  # signing in a test client may touch it
            state[model._meta.label] = rows
    return state


def page_text(response):
    """The response body as text, for asserting what the person reads."""
    return response.content.decode()
