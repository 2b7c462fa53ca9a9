from django.core.management import call_command

from trustwork.accounts.models import User
from trustwork.safety.models import SafetyCheck


def test_the_demo_gives_alice_one_private_check_and_nobody_else_any(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    alice, bob = User.objects.get(email="alice@example.com"), User.objects.get(email="bob@example.com")
    assert SafetyCheck.objects.visible_to(alice).count() == 1
    assert not SafetyCheck.objects.visible_to(bob).exists()
    assert SafetyCheck.objects.count() == 1
