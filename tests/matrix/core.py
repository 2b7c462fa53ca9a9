"""Routes of the platform: home, safety, health, allauth, accounts, couples."""

from tests.matrix import REDIRECT, THERAPISTS, Route, everyone, partners_only, signed_in

BOGUS_KEY = "MQ:1tAbCd:bogus-key"

ROUTES = {
    # A therapist without a couple of their own is sent to their care dashboard.
    "home": Route(everyone(200) | dict.fromkeys(THERAPISTS, REDIRECT)),
    "safety": Route(everyone(200)),
    "healthz": Route(everyone(200)),
    # allauth: pages for signed-out people send signed-in ones home.
    "account_login": Route(signed_in(REDIRECT, anonymous=200)),
    "account_signup": Route(signed_in(REDIRECT, anonymous=200)),
    "account_logout": Route(signed_in(200, anonymous=REDIRECT)),
    "account_inactive": Route(everyone(200)),
    "account_reauthenticate": Route(signed_in(200)),
    "account_email": Route(signed_in(200)),
    "account_email_verification_sent": Route(everyone(200)),
    "account_change_password": Route(signed_in(200)),
    "account_set_password": Route(signed_in(REDIRECT)),
    "account_reset_password": Route(everyone(200)),
    "account_reset_password_done": Route(everyone(200)),
    "account_reset_password_from_key": Route(everyone(200), kwargs=lambda world: {"uidb36": "1", "key": "bogus-key"}),
    "account_reset_password_from_key_done": Route(everyone(200)),
    "account_confirm_login_code": Route(signed_in(REDIRECT)),
    "account_confirm_email": Route(everyone(200), kwargs=lambda world: {"key": BOGUS_KEY}),
    "mfa_index": Route(signed_in(200)),
    "mfa_authenticate": Route(signed_in(REDIRECT)),
    # Therapists have TOTP switched on (tests/matrix/care.py), so MFA pages treat them differently.
    "mfa_reauthenticate": Route(signed_in(REDIRECT) | {role: 200 for role in THERAPISTS}),
    # Setting up or changing MFA asks for the password again first.
    "mfa_activate_totp": Route(signed_in(REDIRECT)),
    "mfa_deactivate_totp": Route(signed_in(404) | {role: REDIRECT for role in THERAPISTS}),
    "mfa_view_recovery_codes": Route(signed_in(404)),
    "mfa_generate_recovery_codes": Route(signed_in(REDIRECT)),
    "mfa_download_recovery_codes": Route(signed_in(404)),
    "usersessions_list": Route(signed_in(200)),
    "accounts:profile": Route(signed_in(200)),
    "accounts:data": Route(signed_in(200)),
    "accounts:export_json": Route(signed_in(200)),
    "accounts:export_page": Route(signed_in(200)),
    "delete_account": Route(signed_in(200)),
    # The shared record.
    # Someone already in a relationship is sent to it; staff and therapists have none.
    "couples:start": Route(signed_in(REDIRECT) | {"staff": 200} | {role: 200 for role in THERAPISTS}),
    "couples:detail": Route(partners_only(), kwargs=lambda world: {"code": world.relationship.code}),
    "couples:invite": Route(partners_only(405), kwargs=lambda world: {"code": world.relationship.code}),
    "couples:end": Route(partners_only(), kwargs=lambda world: {"code": world.relationship.code}),
    "couples:invitation": Route(everyone(200), kwargs=lambda world: {"code": world.invitation.code}),
}
