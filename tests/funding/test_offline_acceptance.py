"""The offline on-site acceptance form (docs/architecture.md, "The offline evaluation form").

Chromium on a 10-inch tablet viewport, as for the evaluation form (tests/diagnostics/test_offline_form.py):
the evaluator opens the acceptance form once, the connection is cut (offline *and* every request to the
test server aborted), the form is filled in, the page closed and opened again offline, the answers are
there; when the connection returns and the evaluator presses submit, the server records exactly those
values. An acceptance decided on the server meanwhile is shown beside the device's draft, never overwritten."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from funding.choices import ProjectStatus
from funding.models import Acceptance
from funding.services import projects
from tests.helpers import log_in

TABLET = {"width": 800, "height": 1280}

DRAFTS = """async () => new Promise((resolve) => {
  const open = indexedDB.open("sj-offline", 1);
  open.onsuccess = () => {
    const db = open.result;
    const all = db.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result.map((d) => d.key)); };
  };
  open.onerror = () => resolve(null);
})"""


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport=TABLET, has_touch=True, service_workers="allow")
    violations = []
    context.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield context
    context.close()
    assert not violations, violations


def cut(context):
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort())


def restore(context, page):
    context.unroute("**/*")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def keep_for_offline(page, base):
    page.goto(f"{base}{reverse('funding:acceptance_queue')}")
    expect(page.locator("#offline-keep")).to_have_attribute("data-kept", re.compile(r"^[1-9]\d*$"), timeout=20000)


@pytest.mark.browser
def test_an_acceptance_filled_offline_survives_closing_and_is_recorded_on_submit(tablet, live_server, world):
    base, project = live_server.url, world["requested"]
    form_url = f"{base}{reverse('funding:acceptance_create', args=[project.pk])}"
    page = tablet.new_page()
    log_in(page, base, world["ex"].username)
    keep_for_offline(page, base)
    page.goto(form_url)  # opened once, online
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "new")

    cut(tablet)
    page.goto(form_url)  # offline: from the service worker's cache
    expect(page.locator("#acceptance-form")).to_be_visible()
    page.check("#id_check_contract")
    page.check("#id_check_invoices")
    page.fill("#id_accepted_on", "2025-09-03")
    page.check("#id_passed_1")  # failed
    page.fill("#id_findings", "付款凭证缺两张，需补齐")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    # One column on the tablet, touch targets of 44 px at least.
    assert page.locator("#acceptance-form").bounding_box()["width"] > TABLET["width"] * 0.8
    assert page.locator("#id_accepted_on").bounding_box()["height"] >= 44
    assert page.locator("label[for=id_passed_1]").bounding_box()["height"] >= 44
    assert page.locator("#acceptance-submit").bounding_box()["height"] >= 44
    page.click("#acceptance-submit")  # pressed without a connection: kept, not sent
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    assert page.url == form_url
    page.close()  # the tablet is closed mid-form

    page = tablet.new_page()
    page.goto(form_url)  # reopened, still offline
    expect(page.locator("#acceptance-form")).to_have_attribute("data-restored", "1")
    assert page.is_checked("#id_check_contract") and page.is_checked("#id_check_invoices")
    assert not page.is_checked("#id_check_payments") if page.locator("#id_check_payments").count() else True
    assert page.input_value("#id_accepted_on") == "2025-09-03"
    assert page.is_checked("#id_passed_1") and not page.is_checked("#id_passed_0")
    assert page.input_value("#id_findings") == "付款凭证缺两张，需补齐"
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    assert not Acceptance.objects.filter(project=project).exists()

    restore(tablet, page)
    page.click("#acceptance-submit")
    page.wait_for_url(re.compile(re.escape(reverse("funding:project_detail", args=[project.pk])) + r"\?recorded=1$"))
    (acceptance,) = Acceptance.objects.filter(project=project)
    assert acceptance.passed is False and acceptance.accepted_on == datetime.date(2025, 9, 3)
    assert acceptance.findings == "付款凭证缺两张，需补齐"
    assert {k for k, v in acceptance.checklist.items() if v} == {"contract", "invoices"}
    assert acceptance.evaluation_body == world["ex"].evaluation_body
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    # The recorded draft leaves the tablet.
    page.wait_for_function(f"({DRAFTS})().then((keys) => keys !== null && keys.length === 0)")


@pytest.mark.browser
def test_an_acceptance_decided_on_the_server_meanwhile_is_shown_beside_the_draft(tablet, live_server, world):
    base, project = live_server.url, world["requested"]
    form_url = f"{base}{reverse('funding:acceptance_create', args=[project.pk])}"
    page = tablet.new_page()
    log_in(page, base, world["ex"].username)
    keep_for_offline(page, base)
    page.goto(form_url)

    cut(tablet)
    page.goto(form_url)
    page.fill("#id_accepted_on", "2025-09-03")
    page.check("#id_passed_1")  # failed
    page.fill("#id_findings", "发票不全")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    # Meanwhile someone else records the acceptance on the server.
    projects.project_accept(actor=world["ex"], project=project, passed=True, accepted_on=datetime.date(2025, 9, 2))

    restore(tablet, page)
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "conflict", timeout=30000)
    conflict = page.locator("#offline-conflict")
    expect(conflict).to_be_visible()
    row = conflict.locator('tr[data-compare="passed"]')
    assert row.locator(".offline-mine").inner_text() != row.locator(".offline-theirs").inner_text()
    dates = conflict.locator('tr[data-compare="accepted_on"]')
    assert dates.locator(".offline-mine").inner_text() == "2025-09-03"
    assert dates.locator(".offline-theirs").inner_text() == "2025-09-02"
    assert conflict.locator('tr[data-compare="findings"] .offline-mine').inner_text() == "发票不全"
    expect(conflict.locator("[data-offline-decided]")).to_be_visible()
    expect(page.locator("#offline-keep-mine")).to_be_disabled()

    page.click("#acceptance-submit")  # nothing is sent while in conflict
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "conflict")
    assert page.url == form_url
    (acceptance,) = Acceptance.objects.filter(project=project)
    assert acceptance.passed is True and acceptance.findings == ""

    # Opened online, the form is no longer offered: the project's page says a draft is left on the device.
    page.goto(form_url)
    page.wait_for_url(re.compile(re.escape(reverse("funding:project_detail", args=[project.pk])) + "$"))
    expect(page.locator("#offline-orphan")).to_be_visible()
    assert page.evaluate(DRAFTS) == [f"{world['ex'].pk}:acceptance:{project.pk}"]

    cut(tablet)
    page.goto(form_url)  # offline, from the cache: the draft and its conflict are still there
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "conflict")
    assert page.input_value("#id_findings") == "发票不全"
    page.click("#offline-take-theirs")  # the evaluator drops the device's draft
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "new")
    assert page.evaluate(DRAFTS) == []


def test_a_post_from_a_draft_taken_before_another_decision_is_refused(client, world):
    project = world["requested"]
    client.force_login(world["ex"])
    url = reverse("funding:acceptance_create", args=[project.pk])
    opened = f"{project.status}:{project.acceptance_attempts}"
    assert f'data-version="{opened}"' in client.get(url).content.decode()
    response = client.post(url, {"accepted_on": "2025-09-01", "passed": "yes", "offline_version": "stale:0"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Acceptance.objects.filter(project=project).exists()
    response = client.post(url, {"accepted_on": "2025-09-01", "passed": "yes", "offline_version": opened})
    assert response.status_code == 302 and response["Location"].endswith("?recorded=1")
    assert Acceptance.objects.filter(project=project, passed=True).count() == 1


def test_the_manifest_lists_only_the_evaluators_own_acceptance_forms(world):
    form = reverse("funding:acceptance_create", args=[world["requested"].pk])
    client = Client()
    client.force_login(world["ex"])
    pages = client.get("/assessments/offline/").json()["pages"]
    assert form in pages and reverse("funding:acceptance_queue") in pages
    assert reverse("funding:acceptance_create", args=[world["passed"].pk]) not in pages  # decided already
    other = Client()
    other.force_login(world["ey"])  # another body: not its enterprise
    assert form not in other.get("/assessments/offline/").json()["pages"]
