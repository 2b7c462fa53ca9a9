"""Test set-up: personas, service detection and test-only settings.

Tests marked postgres, redis or browser run when the service is there and are
skipped with a reason when it is not, unless TRUSTWORK_REQUIRE_SERVICES=1, in
which case a missing service stops the run with an error.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests.factories import UserFactory, make_couple
from tests.matrix import People

CHROMIUM = os.environ.get("TRUSTWORK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("TRUSTWORK_REQUIRE_SERVICES") == "1"


def _postgres_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "PostgreSQL is not configured (set DATABASE_URL)"
    return None


def _redis_missing() -> str | None:
    if not settings.REDIS_URL:
        return "Redis is not configured (set REDIS_URL)"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at REDIS_URL does not answer: {error}"
    return None


def _browser_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    return None


SERVICE_CHECKS = {"postgres": _postgres_missing, "redis": _redis_missing, "browser": _browser_missing}


def pytest_collection_modifyitems(config, items):
    missing = {}
    for marker, check in SERVICE_CHECKS.items():
        if any(item.get_closest_marker(marker) for item in items):
            reason = check()
            if reason:
                missing[marker] = reason
    if missing and REQUIRE_SERVICES:
        raise pytest.UsageError("TRUSTWORK_REQUIRE_SERVICES=1 but these are missing: " + "; ".join(missing.values()))
    for item in items:
        for marker, reason in missing.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The test client speaks plain HTTP; production redirects would hide every page.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Argon2 is the production hasher (see test_settings); tests hash hundreds
    # of passwords, so they use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits live in the cache; one test's attempts must not
    # count against the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(db):
    partner_a = UserFactory(display_name="Alex", email="alex@example.com")
    partner_b = UserFactory(display_name="Sam", email="sam@example.com")
    make_couple(partner_a, partner_b)
    outsider = UserFactory(display_name="Outsider", email="outsider@example.com")
    make_couple(outsider, UserFactory(display_name="Outsider's partner"))
    staff = UserFactory(display_name="Staff", email="staff@example.com", is_staff=True, is_superuser=True)
    return People(partner_a=partner_a, partner_b=partner_b, outsider=outsider, staff=staff)


@pytest.fixture
def therapist(db):
    """A therapist with a profile and TOTP switched on, not yet linked to anyone."""
    from tests.care_helpers import make_therapist

    return make_therapist(display_name="Rivera", email="rivera@example.com")


@pytest.fixture
def care_link(people, therapist):
    """An active care link from the couple of `people` to `therapist`: both agreed, accepted."""
    from tests.care_helpers import link

    return link(people.relationship, therapist)


@pytest.fixture
def client_for(client, db):
    """client_for(user) -> a test client signed in as that person (None: anonymous)."""
    from django.test import Client

    def make(user):
        new_client = Client()
        if user is not None:
            new_client.force_login(user)
        return new_client

    return make
