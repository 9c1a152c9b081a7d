"""The interface speaks simplified Chinese by default, English by choice, with a complete catalogue."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from core.roles import Role

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def msgids(po_path):
    ids, current, in_id = set(), [], False
    for line in po_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:].strip('"')], True
        elif line.startswith('"') and in_id:
            current.append(line.strip('"'))
        else:
            if in_id and current != [""]:
                ids.add("".join(current))
            in_id = False
    return ids


def test_the_zh_hans_catalogue_translates_every_message():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds no message the committed catalogue lacks."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "static", "test-artifacts", "staticfiles", "__pycache__", "tests", "bench"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "songjiang_pilot.settings.base",
            "PORTAL_VAR_DIR": str(tmp_path / "var"),
        },
    )
    assert result.returncode == 0, result.stderr
    missing = msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po") - msgids(CATALOGUE)
    assert not missing, f"run `make makemessages` and translate: {sorted(missing)}"


def test_pages_speak_chinese_by_default_even_to_an_english_browser(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "退出登录" in page and 'lang="zh-hans"' in page


def test_the_language_switch_turns_pages_to_english(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Log out" in page and 'lang="en"' in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "退出登录" in client.get("/").content.decode()


def test_api_messages_follow_accept_language(api, users):
    client = api.as_user(users[Role.UNIT_STAFF])
    zh = client.post(
        "/api/v1/providers/",
        {"credit_code": "x", "name": "y", "type": "comprehensive"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    en = client.post(
        "/api/v1/providers/",
        {"credit_code": "x", "name": "y", "type": "comprehensive"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert zh.status_code == en.status_code == 403
    assert "区级" in zh.json()["message"]
    assert "district official" in en.json()["message"]
