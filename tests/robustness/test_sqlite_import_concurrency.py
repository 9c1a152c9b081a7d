"""The embedded database does not lock up: pages keep writing while a large roster import commits.

In a child process on the embedded profile (SQLite under a throwaway var/, tasks in-process), one thread commits a
roster of 20,000 enterprises (a background job, run in-process) while another saves a form page again and again
(issuing API tokens on /accounts/tokens/). Every page write must answer 200 and be stored, at least one of them
while the import was running, and the import must end done with every row created. Before WAL, the busy timeout
and the chunked commit (songjiang_pilot/settings/base.py, enterprises/imports.py), such writes answered 500
"database is locked".
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

SCRIPT = r"""
import threading
import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from accounts.models import ApiToken, User
from core.roles import Role
from enterprises import imports
from enterprises.models import Enterprise
from tests.enterprises.rosters import csv_text, row

assert connection.vendor == "sqlite" and settings.CELERY_TASK_ALWAYS_EAGER
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    assert cursor.fetchone()[0] == "wal"
settings.ALLOWED_HOSTS.append("testserver")
ROWS = 12_000
district = User.objects.create_user("district_c", password="Songjiang-demo-2025", role=Role.DISTRICT_OFFICIAL)
clerk = User.objects.create_user("clerk_c", password="Songjiang-demo-2025", role=Role.DISTRICT_OFFICIAL)
data = csv_text([row(seq) for seq in range(ROWS)]).encode("utf-8-sig")

state = {"running": False, "done": False, "batch": None, "error": None}

def run_import():
    try:
        upload = SimpleUploadedFile("roster.csv", data, content_type="text/csv")
        state["running"] = True
        state["batch"] = imports.roster_import(actor=district, upload=upload, commit=True)
    except Exception as exc:  # reported by the main thread
        state["error"] = repr(exc)
    finally:
        state["running"] = False
        state["done"] = True
        connection.close()

client = Client(raise_request_exception=False)
client.force_login(clerk)
worker = threading.Thread(target=run_import)
worker.start()
answers, during = [], 0
n = 0
while not state["done"] or n < 3:
    n += 1
    running = state["running"]
    response = client.post("/accounts/tokens/", {"name": f"script {n}"})
    answers.append(response.status_code)
    if running and state["running"] and response.status_code == 200:
        during += 1
worker.join()
assert state["error"] is None, state["error"]
batch = state["batch"]
batch.refresh_from_db()
assert batch.status == "done", (batch.status, batch.error)
assert batch.totals["create"] == ROWS, batch.totals
assert Enterprise.objects.count() == ROWS
assert set(answers) == {200}, sorted(set(answers))
assert ApiToken.objects.filter(user=clerk).count() == n
assert during >= 1, (during, n)
print(f"CONCURRENT OK writes={n} during_import={during}")
"""


def test_pages_write_while_a_large_import_commits_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(PORTAL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.base")

    def run(*args):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    run("manage.py", "migrate", "--noinput", "-v", "0")
    out = run("-c", SCRIPT)
    assert "CONCURRENT OK" in out, out
