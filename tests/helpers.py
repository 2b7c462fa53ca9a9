from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def count_queries(client, path, status=200):
    """The SQL queries one GET of `path` costs once warm. The first GET fills
    what a running process keeps between requests (the cached session, the
    exercise content outline, the template loaders); the second is counted."""
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == status, path
    return len(context.captured_queries)


def reader_of(user):
    """The reader the access helpers give this person on their pages: a
    therapist through their active care links, anyone else through the couple
    they are a partner of now."""
    from trustwork.care.access import is_therapist, relationships_in_care_of, therapist_reader
    from trustwork.couples.access import reader_for

    if is_therapist(user):
        return therapist_reader(user, relationships_in_care_of(user))
    return reader_for(user)
