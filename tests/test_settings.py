import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from trustwork import env

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_it_refuses_a_boolean_it_cannot_read(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG="):
        env.boolean("SOME_FLAG", False)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("Off", False), ("0", False)])
def test_it_reads_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env.boolean("SOME_FLAG", not expected) is expected


def test_it_refuses_a_number_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER='ten' is not a whole number"):
        env.integer("SOME_NUMBER", 1)


def test_it_names_a_missing_required_variable(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET must be set"):
        env.string("SOME_SECRET")


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a.example, ,b.example ")
    assert env.string_list("SOME_HOSTS", []) == ["a.example", "b.example"]


def test_it_hashes_passwords_with_argon2_first():
    from trustwork import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_its_content_security_policy_allows_no_inline_code_or_eval():
    policy = " ".join(" ".join(values) for values in settings.SECURE_CSP.values())
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "'self'" in " ".join(settings.SECURE_CSP["script-src"])


def _run_manage(*args, extra_env):
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **extra_env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_with_three_variables():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        extra_env={
            "SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-secret-key-y" * 2,
            "ALLOWED_HOSTS": "trustwork.example",
            "DEBUG": "0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run_manage("check", extra_env={"ALLOWED_HOSTS": "trustwork.example", "DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_name_a_bad_value():
    result = _run_manage("check", extra_env={"SECRET_KEY": "k", "DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    source = (ROOT / "trustwork" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read, "no environment variables found in settings.py"
    assert read - listed == set(), f"variables missing from .env.example: {sorted(read - listed)}"
