"""The harness's own database, settings and static files.

The bench never touches the database named in DATABASE_URL: it drops and
creates a database of its own (BENCH_DATABASE, default tw_bench) on the same
server, so every run starts from the same empty state. The web server, the
Celery worker and this process all get the environment built here, with
production settings: DEBUG off, a random SECRET_KEY, the manifest static
storage, and only the HTTPS-only switches turned off for plain HTTP on
127.0.0.1.
"""

import os
import secrets
import sys
import tempfile
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "tw_bench")


class BenchSetupError(Exception):
    pass


def _database_urls(database_url: str, name: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchSetupError("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name.")
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    return bench, maintenance


def fresh_database(database_url: str, name: str = BENCH_DATABASE) -> str:
    """Drop and create the bench database; return its URL."""
    bench_url, maintenance_url = _database_urls(database_url, name)
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return bench_url


def production_environment(database_url: str, redis_url: str) -> dict[str, str]:
    var_dir = tempfile.mkdtemp(prefix="trustwork-bench-")
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TRUSTWORK_VAR_DIR": var_dir,
        "STATIC_MANIFEST": "1",
        # Plain HTTP on 127.0.0.1: no TLS to redirect to or to mark cookies for.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise BenchSetupError(f"The benchmark needs {name} (PostgreSQL and Redis, as in production).")
    return value


def start_django(environment: dict[str, str]) -> None:
    """Configure this process like the server, then migrate and collect static files."""
    os.environ.update(environment)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def python() -> str:
    return sys.executable
