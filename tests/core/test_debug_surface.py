"""Issue 18 item 7: no debugging surface for everyone.

`make run` serves the demo with DEBUG off (the portal's own Chinese 404, static files through whitenoise),
`make dev` keeps DEBUG for developers; /favicon.ico answers; the API documentation is in the menu only of the
roles that use the API, behind a Chinese guide, and the Swagger page links back to the portal.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.navigation import nav_for
from core.roles import Role

ROOT = Path(__file__).resolve().parent.parent.parent


def _make(target):
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "runserver" in line]


def test_make_run_serves_with_debug_off_and_make_dev_with_debug_on():
    (run,) = _make("run")
    (dev,) = _make("dev")
    assert "DJANGO_DEBUG=false" in run and "songjiang_pilot.settings.base" in run
    assert "DJANGO_DEBUG=true" in dev
    assert "make dev" in (ROOT / "README.md").read_text()


PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
assert settings.DEBUG is False
settings.ALLOWED_HOSTS.append("testserver")
client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
missing = client.get("/no-such-page/")
body = missing.content.decode()
assert missing.status_code == 404, missing.status_code
assert "此页面或记录不存在" in body or "不存在" in body, body[:400]
assert "URLconf" not in body and "Using the URLconf" not in body
css = client.get("/static/css/portal.css")
assert css.status_code == 200, css.status_code
icon = client.get("/favicon.ico")
assert icon.status_code == 301 and icon["Location"].endswith("/static/favicon.svg"), icon.status_code
print("SURFACE OK")
"""


def test_the_embedded_profile_with_debug_off_shows_the_portals_404_and_serves_static_files(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.base", DJANGO_DEBUG="false", PORTAL_VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert "SURFACE OK" in result.stdout, result.stdout[-2000:] + result.stderr[-3000:]


@pytest.mark.django_db
def test_favicon_redirects_to_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


@pytest.mark.django_db
def test_the_api_is_in_the_menu_only_of_roles_that_use_it(users):
    def has_api(role):
        return any(item["url"] == "/api-guide/" for item in nav_for(users[role]))

    for role in (Role.UNIT_STAFF, Role.FINANCE_OFFICER, Role.EVALUATOR):
        assert not has_api(role), role
        assert not any("/api/docs/" in item["url"] for item in nav_for(users[role])), role
    for role in (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.PROVIDER_USER, Role.AUDITOR):
        assert has_api(role), role


@pytest.mark.django_db
def test_the_api_guide_explains_in_chinese_and_swagger_links_back(client, users):
    client.force_login(users[Role.PROVIDER_USER])
    guide = client.get("/api-guide/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "门户数据接口" in guide and "/api/docs/" in guide and "Authorization: Token" in guide
    docs = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert 'href="/api-guide/"' in body and "返回门户" in body
    assert 'id="swagger-ui"' in body
