"""No Docker engine runs here, so the compose file is checked by reading it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_the_six_services():
    assert set(_compose()["services"]) == {"web", "worker", "beat", "postgres", "redis", "mailpit"}


def test_every_service_has_a_health_check():
    for name, service in _compose()["services"].items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_web_worker_and_beat_run_the_right_commands_from_one_image():
    services = _compose()["services"]
    assert "gunicorn trustwork.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A trustwork worker")
    assert services["beat"]["command"].startswith("celery -A trustwork beat")
    assert {services[name]["build"] for name in ("web", "worker", "beat")} == {"."}
    assert (ROOT / "Dockerfile").exists()


def test_the_app_services_are_wired_to_postgres_redis_and_mailpit():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://") and "@postgres:" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["EMAIL_HOST"] == "mailpit"
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}
