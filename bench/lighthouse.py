"""Lighthouse scores of the dashboard and the log-in page under the production settings (gunicorn,
whitenoise's compressed static files, DEBUG off), on the demo programme.

    .venv/bin/python bench/lighthouse.py              # the dashboard (as the district official) and log-in
    .venv/bin/python bench/lighthouse.py --keep       # leave the database for another run

What it does, so the figures can be reproduced by hand:

1. a PostgreSQL database ``songjiang_lighthouse`` (127.0.0.1:5432, user postgres), migrated and seeded
   with ``seed_demo`` under the production settings with ``PORTAL_DEMO=1`` (as the fault tests' stack);
2. ``collectstatic`` into ``var/lighthouse/static`` (hashed, gzip and brotli copies), then gunicorn with
   2 workers on 127.0.0.1:8766 and ``DJANGO_ALLOW_PLAIN_HTTP=true`` (loopback has no TLS);
3. a session of the demo's district official made in the database, passed to Lighthouse as a cookie;
4. Lighthouse 12 (npm ``lighthouse``, installed into ``var/lighthouse/node`` on first use) against
   Debian's Chromium (``CHROME_PATH=/usr/bin/chromium``), desktop preset, performance and accessibility.

Lighthouse is not a CI dependency: this script is run by hand and its figures go in bench/README.md.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "lighthouse"
NODE = WORK / "node"
DB = "songjiang_lighthouse"
PORT = 8766
LIGHTHOUSE_VERSION = "12.8.2"
PAGES = {"dashboard": "/reports/indicators/", "log-in": "/accounts/login/"}


def env():
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "songjiang_pilot.settings.production",
        "DATABASE_URL": f"postgres://postgres:postgres@127.0.0.1:5432/{DB}",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "CELERY_BROKER_URL": "",
        "DJANGO_SECRET_KEY": "lighthouse-bench-" + "k" * 48,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_ALLOW_PLAIN_HTTP": "true",
        "PORTAL_DEMO": "1",
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
    }


def manage(*args, **kwargs):
    return subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True, text=True, **kwargs
    )


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)  # noqa: S603, S607 - fixed


def prepare(fresh):
    WORK.mkdir(parents=True, exist_ok=True)
    if fresh:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB}")
        manage("migrate", "--noinput", "-v0")
        manage("seed_demo", capture_output=True)
    manage("collectstatic", "--noinput", "-v0")


def lighthouse_bin():
    binary = NODE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=NODE, check=True, capture_output=True)  # noqa: S607
        subprocess.run(["npm", "install", f"lighthouse@{LIGHTHOUSE_VERSION}"], cwd=NODE, check=True)  # noqa: S603, S607
    return binary


def district_session():
    """A session of the demo's district official, made in the session store (no log-in form to script), as the
    ``Cookie`` header's ``name=key``."""
    code = (
        "from importlib import import_module\n"
        "from django.conf import settings\n"
        "SessionStore = import_module(settings.SESSION_ENGINE).SessionStore\n"
        "from demo.models import SeededAccount\n"
        "user = SeededAccount.objects.get(key='district').user\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(user.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = user.get_session_auth_hash()\n"
        "s.create()\n"
        "print(settings.SESSION_COOKIE_NAME + '=' + s.session_key)\n"
    )
    return manage("shell", "-c", code, capture_output=True).stdout.strip().splitlines()[-1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def run(binary, url, cookie, out):
    headers = json.dumps({"Cookie": cookie}) if cookie else "{}"
    subprocess.run(  # noqa: S603 - the pinned Lighthouse, fixed arguments
        [
            str(binary),
            url,
            "--preset=desktop",
            "--only-categories=performance,accessibility",
            "--chrome-flags=--headless --no-sandbox",
            f"--extra-headers={headers}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        check=True,
    )
    report = json.loads(out.read_text())
    if report["finalDisplayedUrl"].rstrip("/") != url.rstrip("/"):
        raise SystemExit(f"Lighthouse was sent to {report['finalDisplayedUrl']} instead of {url}")
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "transferred_kb": round(audits["total-byte-weight"]["numericValue"] / 1024),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "render_blocking": len(audits["render-blocking-resources"].get("details", {}).get("items", []))
        if "render-blocking-resources" in audits
        else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()
    prepare(fresh=not args.keep)
    binary = lighthouse_bin()
    server = subprocess.Popen(  # noqa: S603 - this project's gunicorn, fixed arguments
        [sys.executable, "-m", "gunicorn", "songjiang_pilot.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
        cookie = district_session()
        print(f"Lighthouse {LIGHTHOUSE_VERSION}, desktop preset, production settings, demo programme")
        for name, path in PAGES.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60)
            scores = run(
                binary, url, cookie if name != "log-in" else None, WORK / f"{name}-{secrets.token_hex(3)}.json"
            )
            print(f"{name:10s} " + "  ".join(f"{k} {v}" for k, v in scores.items()))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
