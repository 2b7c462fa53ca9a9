"""Django admin: staff only. Every registered model's pages are enumerated."""

from django.contrib import admin

from tests.matrix import LOGIN, REDIRECT, Route

# The staff persona is signed in without two-factor authentication, so every
# admin page sends it away to set MFA up or enter a code (trustwork/accounts/
# staff_mfa.py). What staff who did use MFA get is in STAFF_WITH_MFA (200 when
# not listed); tests/test_admin_mfa.py walks every admin route with it.
STAFF_ONLY = {"*": REDIRECT}
STAFF_WITH_MFA = {"admin:login": REDIRECT, "admin:logout": 405, "admin:autocomplete": 403, "admin:view_on_site": 404}


def _object_kwargs(model):
    def kwargs(world):
        obj = model._default_manager.order_by("pk").first()
        return {"object_id": obj.pk}

    return kwargs


def _routes():
    routes = {
        "admin:index": Route(STAFF_ONLY),
        # Signing in to the admin is allauth's sign-in; people who aren't staff are refused.
        "admin:login": Route({"*": 403, "anonymous": LOGIN, "staff": REDIRECT}),
        "admin:logout": Route(STAFF_ONLY),
        "admin:password_change": Route(STAFF_ONLY),
        "admin:password_change_done": Route(STAFF_ONLY),
        "admin:jsi18n": Route(STAFF_ONLY),
        "admin:autocomplete": Route(STAFF_ONLY),
        "admin:view_on_site": Route(STAFF_ONLY, kwargs=lambda world: {"content_type_id": 1, "object_id": 1}),
    }
    # Django's UserAdmin names its password page after auth.User whatever the model.
    routes["admin:auth_user_password_change"] = Route(
        STAFF_ONLY, kwargs=lambda world: {"id": world.people.partner_a.pk}
    )
    app_labels = {model._meta.app_label for model in admin.site._registry}
    for label in app_labels:
        routes.setdefault("admin:app_list", Route(STAFF_ONLY, kwargs=lambda world, label=label: {"app_label": label}))
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        routes[f"{prefix}_changelist"] = Route(STAFF_ONLY)
        routes[f"{prefix}_add"] = Route(STAFF_ONLY)
        for view in ("change", "history", "delete"):
            routes[f"{prefix}_{view}"] = Route(STAFF_ONLY, kwargs=_object_kwargs(model))
    return routes


ROUTES = _routes()


def setup_world(world):
    """Give every registered model one row, so its change pages can be opened."""
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    somebody = UserFactory()
    Group.objects.get_or_create(name="Support")
    Authenticator.objects.create(user=somebody, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"})
    UserSession.objects.create(user=somebody, ip="127.0.0.1", session_key="matrix-session", user_agent="test")
