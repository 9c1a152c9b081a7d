"""Peak memory of the serving process per upload, in the embedded profile (SQLite, tasks in-process).

    .venv/bin/python bench/upload_memory.py                 # the hostile corpus, then 100,000-row csv and xlsx
    .venv/bin/python bench/upload_memory.py --hostile-only  # the corpus only (what the test runs)
    .venv/bin/python bench/upload_memory.py --big-only     # the 100,000-row files only
    .venv/bin/python bench/upload_memory.py --json          # one JSON line per file (the test reads it)

A child process migrates a throwaway SQLite database under a temporary var/ and posts each file to
``POST /api/v1/enterprises/import/`` (or the back-fill) with ``commit=true``, through Django's test client, in
the process itself: the process that serves is the one measured. Before each file it writes 5 to
``/proc/self/clear_refs``, which resets Linux's high-water mark (VmHWM) to the current resident size; after the
answer it reads VmHWM from ``/proc/self/status``. "Δ peak" is VmHWM minus VmRSS just before the post. The
request body is encoded before the measurement, but the test client still copies it once into the request's input
stream, so a file's own size is counted once in its figure (a real server reads it from the socket). It also
prints the answer's status and the wall time of the request (the million-empty-rows sheet's refusal time is the
figure bench/README.md quotes).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLEARED = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DJANGO_SETTINGS_MODULE")

CHILD = r"""
import json, re, sys, time
import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart

from accounts.models import User
from core.roles import Role
from tests.enterprises.rosters import csv_bytes, row, xlsx_bytes
from tests.security.test_hostile_uploads import CASES

assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and settings.CELERY_TASK_ALWAYS_EAGER
settings.ALLOWED_HOSTS.append("testserver")
hostile_only = sys.argv[1] == "1"
big_only = sys.argv[3] == "1"
as_json = sys.argv[2] == "1"
admin = User.objects.create_user("bench_admin", password="x" * 12, role=Role.ADMIN, is_superuser=True, is_staff=True)
client = Client()
client.force_login(admin)


def status_kb(name):
    return int(re.search(rf"{name}:\s+(\d+)", open("/proc/self/status").read()).group(1))


def rows_of(n):
    units = ["岳阳街道", "永丰街道", "方松街道", "中山街道"]
    return [row(seq, unit=units[seq % 4]) for seq in range(n)]


files = [] if big_only else [(case.name, case.file_name, case.build, case.url) for case in CASES]
if not hostile_only:
    files += [
        ("100,000 rows, csv", "big.csv", lambda: csv_bytes(rows_of(100_000)), "/api/v1/enterprises/import/"),
        ("100,000 rows, xlsx", "big.xlsx", lambda: xlsx_bytes(rows_of(100_000)), "/api/v1/enterprises/import/"),
    ]
for name, file_name, build, url in files:
    content = build()
    upload = SimpleUploadedFile(file_name, content, content_type="application/octet-stream")
    # Encoded before the measurement: the client's own copy of the body is not the server's memory.
    body = encode_multipart(BOUNDARY, {"file": upload, "commit": "true"})
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    before = status_kb("VmRSS")
    started = time.perf_counter()
    # The body is encoded already (so its copy is not measured): a content type spelt unlike the client's own multipart one
    # makes the test client send the bytes as they are instead of encoding a dict.
    response = client.post(url, body, content_type=f"multipart/form-data;boundary={BOUNDARY}")
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    body = response.json() if response.get("Content-Type", "").startswith("application/json") else {}
    line = {
        "file": name,
        "bytes": len(content),
        "status": response.status_code,
        "answer": body.get("status") or body.get("code") or "",
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before / 1024, 1),
        "peak_delta_mb": round((peak - before) / 1024, 1),
    }
    del content, upload, response, body
    print(json.dumps(line, ensure_ascii=False) if as_json else
          f"{name[:40]:40} {line['bytes']:>11,} B  {line['status']} {line['answer'][:14]:14} "
          f"{line['seconds']:7.2f} s  Δ peak {line['peak_delta_mb']:7.1f} MB", flush=True)
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hostile-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--big-only", action="store_true", help="the 100,000-row files only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sjp-upload-memory-") as var:
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(PORTAL_VAR_DIR=var, DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.base", DJANGO_LOG_LEVEL="ERROR")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        flags = ["1" if args.hostile_only else "0", "1" if args.json else "0", "1" if args.big_only else "0"]
        subprocess.run([sys.executable, "-c", CHILD, *flags], cwd=ROOT, env=env, check=True)  # noqa: S603 - our own script


if __name__ == "__main__":
    main()
