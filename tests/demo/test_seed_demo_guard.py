"""``seed_demo`` runs only where the demo is on: elsewhere (production's default, or ``PORTAL_DEMO`` off
whatever DEBUG is) it refuses in English and Chinese, exits non-zero and changes nothing. Where the demo
is on, the demo app's command wins over core's guard of the same name, and no product module imports
the demo."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import connection
from django.test import override_settings

from accounts.models import User
from core.roles import Role
from demo.models import SeededAccount
from enterprises.models import Enterprise
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
REFUSAL_EN = "seed_demo refuses to run: the demo is off in these settings"
REFUSAL_ZH = "seed_demo 拒绝运行：当前设置未开启演示数据"
PRODUCT_APPS = ("core", "accounts", "enterprises", "providers", "diagnostics", "funding", "reports", "worklists")


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "CELERY_", "REDIS_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "songjiang_pilot.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "REDIS_URL": "redis://127.0.0.1:6379/2",
}
# The embedded profile with the demo switched off and DEBUG on: the refusal does not depend on DEBUG.
BASE_DEMO_OFF = {"DJANGO_SETTINGS_MODULE": "songjiang_pilot.settings.base", "PORTAL_DEMO": "0", "DJANGO_DEBUG": "true"}


@pytest.mark.parametrize("profile", [PRODUCTION, BASE_DEMO_OFF], ids=["production", "base-demo-off-debug-on"])
def test_seed_demo_refuses_where_the_demo_is_off_and_changes_nothing(transactional_db, profile):
    admin = UserFactory(username="admin", role=Role.DISTRICT_OFFICIAL, password="their-own-Password-1")
    before = (User.objects.count(), Enterprise.objects.count(), SeededAccount.objects.count(), admin.password)

    result = _manage("seed_demo", DATABASE_URL=_test_database_url(), **profile)

    assert result.returncode != 0, result.stdout + result.stderr
    assert REFUSAL_EN in result.stderr and REFUSAL_ZH in result.stderr, result.stderr
    admin.refresh_from_db()
    after = (User.objects.count(), Enterprise.objects.count(), SeededAccount.objects.count(), admin.password)
    assert after == before
    assert not admin.is_superuser and not admin.is_staff and admin.role == Role.DISTRICT_OFFICIAL


def test_production_installs_the_demo_only_with_portal_demo_set():
    probe = (
        "import django; django.setup(); from django.core.management import get_commands as g; print(g()['seed_demo'])"
    )
    env = {**PRODUCTION, "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/unused"}
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    off = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env={**environment, **env}, capture_output=True, text=True
    )
    on = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**environment, **env, "PORTAL_DEMO": "1"},
        capture_output=True,
        text=True,
    )
    assert off.stdout.split()[-1] == "core", off.stderr  # the guard
    assert on.stdout.split()[-1] == "demo", on.stderr


def test_with_the_demo_on_the_demo_apps_command_wins_over_cores_guard(settings):
    assert settings.PORTAL_DEMO
    apps = settings.INSTALLED_APPS
    assert apps.index("demo") < apps.index("core")
    assert get_commands()["seed_demo"] == "demo"
    assert get_commands()["generate_scale"] == "demo"


@pytest.mark.django_db
def test_the_demo_command_itself_refuses_when_the_setting_is_off():
    with override_settings(PORTAL_DEMO=False), pytest.raises(CommandError, match="PORTAL_DEMO"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_no_product_module_imports_the_demo():
    pattern = re.compile(r"^\s*(from\s+demo(\.|\s)|import\s+demo\b)", re.MULTILINE)
    offenders = [
        str(path.relative_to(ROOT))
        for app in (*PRODUCT_APPS, "songjiang_pilot")
        for path in (ROOT / app).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def test_the_product_needs_none_of_the_demos_packages():
    """requirements.txt carries no demo package, and production settings load, check and route with
    factory_boy and Faker unimportable."""
    requirements = (ROOT / "requirements.txt").read_text().lower()
    assert "factory_boy" not in requirements and "faker" not in requirements
    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('factory', 'faker'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('check')\n"
        "import songjiang_pilot.urls, songjiang_pilot.celery\n"
        "from django.urls import reverse; reverse('home')\n"
        "print('PRODUCT OK')\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    environment.update(PRODUCTION, DATABASE_URL="postgres://nobody@127.0.0.1:5432/unused")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert "PRODUCT OK" in result.stdout, result.stderr
