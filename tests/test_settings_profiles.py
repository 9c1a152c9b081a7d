"""The settings profiles: embedded default, PostgreSQL via DATABASE_URL, production's refusals."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; from django.db import connection;"
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'debug': s.DEBUG, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE,"
    "'cache': s.CACHES['default']['BACKEND'], 'media_url': s.MEDIA_URL, 'media': str(s.MEDIA_ROOT),"
    "'static_root': str(s.STATIC_ROOT)}))"
)
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "PORTAL_VAR_DIR",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_python(code, module, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def probe(module="songjiang_pilot.settings.base", **env):
    import json

    result = run_python(PROBE, module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_environment_gives_the_embedded_defaults():
    values = probe()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "var" / "db.sqlite3")
    assert values["eager"] is True  # no broker: tasks run in-process
    assert values["debug"] is True
    assert values["lang"] == "zh-hans"
    assert values["tz"] == "Asia/Shanghai"
    assert values["media"].startswith(str(ROOT / "var"))
    assert not values["media"].startswith(values["static_root"])


def test_database_url_switches_to_postgresql_through_psycopg2():
    values = probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/songjiang_pilot",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        REDIS_URL="redis://127.0.0.1:6379/14",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["cache"] == "songjiang_pilot.cache.ResilientRedisCache"  # Redis, degrading to memory when down
    driver = run_python(
        "import django.db.backends.postgresql.psycopg_any as p; print(p.is_psycopg3)", "songjiang_pilot.settings.base"
    )
    assert driver.stdout.strip() == "False", "psycopg 3 must not be installed beside psycopg2"


def test_production_refuses_to_start_without_its_secret_key():
    result = run_python(
        "import django; django.setup()",
        "songjiang_pilot.settings.production",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/songjiang_pilot",
        REDIS_URL="redis://127.0.0.1:6379/14",
        DJANGO_ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_or_development_secret_key():
    result = run_python(
        "import django; django.setup()",
        "songjiang_pilot.settings.production",
        DJANGO_SECRET_KEY="short",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/14",
        DJANGO_ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode != 0
    assert "50 characters" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "9f2c1e8b7a6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/songjiang_pilot",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "DJANGO_ALLOWED_HOSTS": "portal.example",
}


def test_production_passes_the_deployment_checks():
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.production", **PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_secure_and_can_run_over_plain_http_on_loopback():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, list(s.SECURE_PROXY_SSL_HEADER), s.DEBUG]))"
    )
    import json

    secure = run_python(code, "songjiang_pilot.settings.production", **PRODUCTION_ENV)
    assert json.loads(secure.stdout) == [True, True, True, 31536000, ["HTTP_X_FORWARDED_PROTO", "https"], False]
    plain = run_python(code, "songjiang_pilot.settings.production", DJANGO_ALLOW_PLAIN_HTTP="true", **PRODUCTION_ENV)
    assert json.loads(plain.stdout)[:4] == [False, False, False, 0]
