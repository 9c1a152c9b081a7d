"""WCAG 2.1 AA in the browser: every page of every role's menu, on the demo programme, has no serious or
critical axe-core violation (axe-core is vendored for the tests only, tests/vendor/axe-core/).

The demo gives the pages their real content (the dashboard's 48 completion bars, full lists, the ledger);
the pages are the role's own menu (core.navigation), so a page added to the menu is checked from then on.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from core.navigation import nav_for
from core.roles import Role
from demo.models import SeededAccount
from tests.helpers import log_in

AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
#: What WCAG 2.1 AA asks for (axe's tags for levels A and AA of WCAG 2.0 and 2.1).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Third-party pages the portal serves but does not write (the OpenAPI browser).
NOT_OURS = ("/api/docs/", "/api/schema/")

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


def violations_on(page, url):
    """The serious and critical violations of the page at ``url`` (axe is evaluated through the
    browser's debugging protocol, which the page's Content-Security-Policy does not govern)."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(AXE)
    return page.evaluate(RUN, TAGS)


@pytest.fixture
def demo_users(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    users = {}
    for seeded in SeededAccount.objects.select_related("user").order_by("key"):
        users.setdefault(seeded.user.role, seeded.user)
    return users


@pytest.mark.browser
def test_every_menu_page_of_every_role_has_no_serious_or_critical_violation(page, live_server, demo_users):
    assert set(demo_users) == set(Role), sorted(set(Role) - set(demo_users))
    found, checked = {}, 0
    for role, user in sorted(demo_users.items()):
        log_in(page, live_server.url, user.username)
        for item in nav_for(user):
            if item["url"].startswith(NOT_OURS):
                continue
            checked += 1
            problems = violations_on(page, f"{live_server.url}{item['url']}")
            if problems:
                found[f"{role} {item['url']}"] = problems
        page.context.clear_cookies()
    assert checked > 40
    assert not found, "\n".join(f"{where}: {problems}" for where, problems in found.items())
