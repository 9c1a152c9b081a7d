"""Helpers shared by the test modules: the reference data the migrations load, signing in and out in
Chromium, following the main menu, and waiting for background work
(an API job endpoint or a ``BackgroundJob`` row) to finish.

Waits here wait for something to happen, with a generous limit that only turns a hang into a
failure; none of them asserts that anything was fast (speed belongs to bench/)."""

import importlib
import re
import time

from django.apps import apps
from django.conf import settings
from playwright.sync_api import expect

from core.models import OrgUnit
from core.reference import load_units
from diagnostics.models import IndexEdition
from diagnostics.reference import app_models, load_index
from funding.models import FundSource, SubsidyPolicy
from funding.reference import load_funds
from notifications.models import ReminderRule
from reports.models import Indicator, IndicatorTarget, ReportingPeriod
from reports.reference import load_indicators
from tests.factories import DEFAULT_PASSWORD
from unitassessments.models import AssessmentPart
from unitassessments.reference import load_parts

LOGIN_PATH = "/accounts/login/"
#: How long a background job may take before the test calls it stuck (a hang guard, not a speed limit).
JOB_TIMEOUT = 120


# --- Reference data ------------------------------------------------------------------------------


def ensure_reference_data():
    """Units, the index, the fund sources and the indicators come from migrations; transactional tests
    truncate them, so put back whatever is missing (also for module-scoped fixtures that need them)."""
    if not OrgUnit.objects.filter(parent__isnull=False).exists():
        load_units(OrgUnit)
    if not IndexEdition.objects.exists():
        load_index(app_models())
    if not FundSource.objects.exists():
        load_funds(FundSource, SubsidyPolicy)
    if not Indicator.objects.exists():
        load_indicators(ReportingPeriod, Indicator, IndicatorTarget)
    if not AssessmentPart.objects.exists():
        load_parts(AssessmentPart)
    if ReminderRule.objects.count() < REMINDER_RULES_SEEDED:
        for module in REMINDER_RULE_MIGRATIONS:
            importlib.import_module(module).seed(apps, None)


#: The migrations that seed the reminder rules (each ``seed(apps, schema_editor)`` is idempotent).
REMINDER_RULE_MIGRATIONS = (
    "notifications.migrations.0002_seed_reminder_rules",
    "funding.migrations.0007_reminder_rules",
    "unitreports.migrations.0002_reminder_rule",
    "events.migrations.0002_reminder_rules",
)
#: How many rules those migrations seed (diagnosis, transformation, evaluation; four of funding; unit reports;
#: events and their sign-in sheets).
REMINDER_RULES_SEEDED = 10


# --- Chromium ----------------------------------------------------------------------------------------


def log_in(page, base_url, username, password=DEFAULT_PASSWORD):
    """Sign in through the log-in form and wait until the portal has left the log-in page."""
    page.goto(f"{base_url}{LOGIN_PATH}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    expect(page, f"{username} could not log in").not_to_have_url(re.compile(re.escape(LOGIN_PATH)))
    page.wait_for_load_state("load")


def log_out(page):
    """Sign out with the menu's button; the portal answers with the log-in page."""
    page.click("form[action$='/accounts/logout/'] button")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH)))
    page.wait_for_load_state("load")


def menu(page, path):
    """Follow a main-menu entry (by its address: the labels are translated), as a person would; on a
    narrow screen the menu is folded behind its toggler first."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.click(f"#mainnav a[href='{path}']")
    page.wait_for_url(f"**{path}")


# --- Background work ------------------------------------------------------------------------------


def wait_for_job(client, url, *, timeout=JOB_TIMEOUT, interval=0.3, finished=("done", "failed")):
    """Poll a job endpoint of the API until its ``status`` is one of ``finished``.

    Returns the last body and the set of every status seen on the way."""
    deadline = time.monotonic() + timeout
    seen = set()
    while True:
        body = client.get(url).json()
        seen.add(body["status"])
        if body["status"] in finished:
            return body, seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"{url} still {body['status']} after {timeout}s")
        time.sleep(interval)


def wait_until_finished(job, *, timeout=JOB_TIMEOUT, interval=0.2):
    """Reload a ``BackgroundJob`` (or anything with ``is_finished``) until it has finished; return it."""
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.is_finished:
            return job
        if time.monotonic() >= deadline:
            raise AssertionError(f"job {job.pk} still {job.status} after {timeout}s")
        time.sleep(interval)


def confirm_in_dialog(page):
    """Accept the portal's confirmation dialog (``static/js/portal.js``) that a destructive or money step opens."""
    dialog = page.locator("#portal-confirm")
    expect(dialog).to_be_visible()
    dialog.locator("[data-confirm-accept]").click()


def signed_in(page, client, live_server, user):
    """The browser carries a session of ``user`` (made by Django's test client; no password typed)."""
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
