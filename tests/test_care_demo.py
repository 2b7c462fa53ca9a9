"""seed_demo links therapist@example.com to alice and bob and two more couples,
with TOTP on from a known secret, so the therapist's side can be tried at once."""

import io
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core.management import call_command

from trustwork.accounts.models import User
from trustwork.care.access import relationships_in_care_of
from trustwork.care.demo import TOTP_SECRET
from trustwork.care.models import AccessLog, TherapistProfile


def _seed(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_links_the_therapist_to_alice_and_bob_and_two_more_couples(db, settings):
    _seed(settings)
    therapist = User.objects.get(email="therapist@example.com")
    couples = list(relationships_in_care_of(therapist))
    assert len(couples) == 3
    names = [{p.email for p in couple.active_members()} for couple in couples]
    assert {"alice@example.com", "bob@example.com"} in names
    profile = TherapistProfile.objects.get(user=therapist)
    assert profile.verified
    assert AccessLog.objects.filter(therapist=therapist).count() == 3


def test_it_switches_totp_on_with_the_printed_secret(db, settings):
    output = _seed(settings)
    assert "JBSWY3DPEHPK3PXP" in output
    therapist = User.objects.get(email="therapist@example.com")
    totp = TOTP(Authenticator.objects.get(user=therapist, type=Authenticator.Type.TOTP))
    assert totp.validate_code(format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30)))


def test_the_demo_therapist_dashboard_shows_three_couples_with_flags(db, settings, client_for):
    _seed(settings)
    therapist = User.objects.get(email="therapist@example.com")
    text = client_for(therapist).get("/care/").content.decode()
    for couple in ("Alice and Bob", "Carmen and Dev", "Jo and Kai"):
        assert couple in text
    assert "dropped by" in text
    assert "No check-in shared with you for 3 weeks." in text
