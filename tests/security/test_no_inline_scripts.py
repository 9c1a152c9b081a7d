"""No page carries a script of its own, so the Content-Security-Policy allows scripts from the portal's
origin only ('unsafe-inline' is gone from script-src): behaviour lives in static/js/."""

import re
from pathlib import Path

import pytest

from core.middleware import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
CORE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "core" / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def templates():
    return sorted([*TEMPLATES.rglob("*.html"), *CORE_TEMPLATES.rglob("*.html")])


def test_script_src_allows_the_portals_own_files_only():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'"


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_has_an_inline_script_or_handler(template):
    text = template.read_text(encoding="utf-8")
    for attributes in SCRIPT_TAG.findall(text):
        assert "src=" in attributes or 'type="application/json"' in attributes, (template, attributes)
    assert not HANDLER.search(text), template
    assert "javascript:" not in text, template


@pytest.mark.django_db
def test_the_api_documentation_page_loads_its_start_up_script_as_a_file(client, users):
    from core.roles import Role

    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get("/api/docs/")
    assert page.status_code == 200
    tags = SCRIPT_TAG.findall(page.content.decode())
    assert tags and all("src=" in attributes for attributes in tags), tags
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
