"""The embedded default that `make run` uses: SQLite, tasks in-process, migrate + seed_demo + main pages.

The rest of the suite runs on PostgreSQL; this test runs the same code in a child process with
no database, cache or broker variables, against a throwaway var/ directory. It ends with the walk of every route
with hostile parameters (tests/security/hostile_walk.py), so that "no 500 on any input" holds on SQLite too.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PAGES = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from core.services import health_check_request
assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
assert settings.CELERY_TASK_ALWAYS_EAGER
job = health_check_request()
job.refresh_from_db()
assert job.status == "done", job.status  # ran in-process
settings.ALLOWED_HOSTS.append("testserver")
for username, marker in [("admin", "用户"), ("district", "街镇"), ("finance", "试点企业"), ("auditor", "审计"),
                         ("unit_310117001", "岳阳街道"), ("provider1", "上海"), ("evaluator1", "上海")]:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "Songjiang-demo-2025"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and marker in body, (username, response.status_code)
    assert "退出登录" in body, username
    for path in ["/", "/api/v1/units/", "/api/v1/providers/", "/api/docs/"]:
        assert client.get(path).status_code == 200, (username, path)
from tests.security.hostile_walk import walk  # the walk of tests/security/test_hostile_parameters.py, on SQLite
from accounts.models import User
client = Client()
client.force_login(User.objects.get(username="admin"))
checked, errors = walk(client)
assert checked > 1000 and not errors, errors
print("SMOKE OK")
"""


def test_embedded_sqlite_profile_migrates_seeds_and_serves_the_main_pages(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(PORTAL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.base")

    def run(*args):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    run("manage.py", "migrate", "--noinput", "-v", "0")
    assert (tmp_path / "db.sqlite3").exists()
    seeded = run("manage.py", "seed_demo")
    assert "Songjiang-demo-2025" in seeded and "district" in seeded
    again = run("manage.py", "seed_demo")  # idempotent: a second run changes nothing
    assert again == seeded
    assert "SMOKE OK" in run("-c", PAGES)
