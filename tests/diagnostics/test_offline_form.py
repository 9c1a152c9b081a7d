"""The offline on-site evaluation form (docs/architecture.md, "The offline evaluation form").

Chromium on a 10-inch tablet viewport: the evaluator opens the form once, the connection is cut (the
context is offline *and* every request to the test server is aborted, the service worker's own fetches
included), the whole evaluation is filled in, the page is closed and opened again offline, the answers are
there; when the connection returns the draft and a photo are synchronised and the server holds exactly
those answers with the score it computes itself. A change on the server meanwhile is shown side by side."""

import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from core.models import Attachment
from core.roles import Role
from diagnostics.models import Assessment
from diagnostics.scoring import index_spec, score
from diagnostics.selectors.index import current_edition
from diagnostics.services.assessments import assessment_create, assessment_update
from tests.helpers import log_in

from .assessment_helpers import today

TABLET = {"width": 800, "height": 1280}

#: A whole evaluation as typed on the tablet (no raw numbers: the direct percentages).
ANSWERS = {
    "network": [1, 2, 3],
    "equipment_digitised_rate": 35,
    "equipment_networked_rate": 12.5,
    "data_collection": [1, 2, 14],
    "information_systems": 2,
    "network_security": [1, 2, 3, 4],
    "data_security": [],
    "planning": 3,
    "mechanisms": [1],
    "talent": [1, 2],
    "funding_ratio": 5,
    "energy": "better",
    "quality": "same",
    "revenue_per_employee": "worse",
    "cost_ratio": "better",
}
SCENES = {"product_design": 2, "marketing": 3, "safety": 1, "after_sales": 2}


@pytest.fixture
def world(assessment_world):
    return assessment_world


def attachments_of(assessment):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment), object_id=str(assessment.pk)
    )


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
    page.goto(f"{base}/assessments/mine/")
    expect(page.locator("#offline-keep")).to_have_attribute("data-kept", re.compile(r"^[1-9]\d*$"), timeout=20000)


def fill(page):
    for code, value in ANSWERS.items():
        kind = page.locator(f"#item-{code}").get_attribute("data-kind")
        if kind == "multi":
            for box in page.locator(f"#item-{code} input[type=checkbox]").all():
                box.set_checked(int(box.get_attribute("value")) in value)
        elif kind == "band":
            page.fill(f"#id_item_{code}", str(value))
        else:
            page.check(f"#id_item_{code}_{value}")
    for code, level in SCENES.items():
        page.select_option(f"#id_scene_{code}", str(level))
    page.fill("#id_evaluators", "张评测, 李评测")
    page.fill("#id_note_marketing", "现场查看了营销系统")


def photo_bytes(width=2400, height=1800):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.browser
def test_an_evaluation_filled_offline_survives_closing_and_is_synchronised(tablet, live_server, world):
    base = live_server.url
    expected = score(index_spec(current_edition()), ANSWERS, SCENES)
    page = tablet.new_page()
    log_in(page, base, world["evaluator"].username)
    keep_for_offline(page, base)
    form_url = f"{base}/assessments/new/{world['ours'].pk}/onsite/?stage=baseline"
    page.goto(form_url)  # opened once, online
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "new")

    cut(tablet)
    page.goto(form_url)  # offline: from the service worker's cache
    expect(page.locator("#assessment-form")).to_be_visible()
    fill(page)
    page.set_input_files(
        "#id_photo_marketing", files=[{"name": "scene.png", "mimeType": "image/png", "buffer": photo_bytes()}]
    )
    expect(page.locator('[data-offline-photos="marketing"] li')).to_have_count(1)
    assert "1600×1200" in page.locator('[data-offline-photos="marketing"] li').inner_text()
    page.locator("#id_evaluators").dispatch_event("change")
    # The score is computed on the device, with the server's rules.
    expect(page.locator("#score-card-body")).to_have_attribute("data-computed-on", "device")
    expect(page.locator("#live-total")).to_have_text(format(expected.score.normalize(), "f"))
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    # One column on the tablet and touch targets of 44 px at least.
    box = page.locator("#questionnaire-scenes").bounding_box()
    assert box["width"] > TABLET["width"] * 0.8
    assert page.locator("#id_item_network_1").bounding_box()["height"] >= 24
    assert page.locator("label[for=id_item_network_1]").bounding_box()["height"] >= 44
    assert page.locator("#id_scene_marketing").bounding_box()["height"] >= 44
    assert page.locator("#save-draft").bounding_box()["height"] >= 44
    page.close()  # the tablet is closed mid-form

    page = tablet.new_page()
    page.goto(form_url)  # reopened, still offline
    expect(page.locator("#assessment-form")).to_have_attribute("data-restored", "1")
    assert page.is_checked("#id_item_network_3") and not page.is_checked("#id_item_network_4")
    assert page.is_checked("#id_item_energy_better")
    assert page.input_value("#id_item_equipment_networked_rate") == "12.5"
    assert page.input_value("#id_scene_marketing") == "3"
    assert page.input_value("#id_evaluators") == "张评测, 李评测"
    expect(page.locator('[data-offline-photos="marketing"] li')).to_have_count(1)
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    assert not Assessment.objects.filter(enterprise=world["ours"]).exists()

    restore(tablet, page)
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "synced", timeout=30000)
    expect(page.locator('[data-offline-photos="marketing"] li[data-state="uploaded"]')).to_have_count(1, timeout=20000)
    saved = Assessment.objects.get(enterprise=world["ours"])
    assert saved.status == "draft" and saved.method == "onsite" and saved.stage == "baseline"
    assert saved.answers == ANSWERS
    assert saved.scenes == SCENES
    assert saved.score == expected.score and saved.level == expected.level
    assert saved.scene_notes == {"marketing": "现场查看了营销系统"}
    assert saved.evaluators == "张评测, 李评测"
    (evidence,) = attachments_of(saved)
    assert evidence.purpose == "scene:marketing" and evidence.original_name.endswith(".jpg")
    with evidence.file.open("rb") as stored:
        assert Image.open(stored).size == (1600, 1200)

    # Saved through the page afterwards: the same record, not a second one.
    page.click("#save-draft")
    page.wait_for_url(f"**/assessments/{saved.pk}/")
    assert Assessment.objects.filter(enterprise=world["ours"]).count() == 1


@pytest.mark.browser
def test_a_change_on_the_server_meanwhile_is_shown_side_by_side_and_never_overwritten(tablet, live_server, world):
    base = live_server.url
    draft = assessment_create(
        actor=world["evaluator"],
        enterprise=world["ours"],
        stage="baseline",
        method="onsite",
        evaluated_on=today(),
        answers={"planning": 1, "information_systems": 1},
    )
    page = tablet.new_page()
    log_in(page, base, world["evaluator"].username)
    keep_for_offline(page, base)
    edit_url = f"{base}/assessments/{draft.pk}/edit/"
    page.goto(edit_url)
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "new")

    cut(tablet)
    page.goto(edit_url)
    page.check("#id_item_planning_4")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "local")
    # Meanwhile, at the office, the draft is changed on the server.
    assessment_update(actor=world["evaluator"], assessment=draft, answers={"planning": 2, "information_systems": 1})

    restore(tablet, page)
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "conflict", timeout=30000)
    conflict = page.locator("#offline-conflict")
    expect(conflict).to_be_visible()
    row = conflict.locator('tr[data-field="item_planning"]')
    expect(row).to_have_count(1)
    mine, theirs = row.locator(".offline-mine").inner_text(), row.locator(".offline-theirs").inner_text()
    assert mine != theirs and mine and theirs
    page.screenshot(path="test-artifacts/offline-conflict.png", full_page=True)
    draft.refresh_from_db()
    assert draft.answers["planning"] == 2  # nothing overwritten while the evaluator has not chosen

    page.click("#offline-keep-mine")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", "synced", timeout=30000)
    draft.refresh_from_db()
    assert draft.answers["planning"] == 4
    assert draft.score == score(index_spec(current_edition()), draft.answers, draft.scenes).score


@pytest.mark.browser
def test_logging_out_clears_the_cache_and_the_drafts(tablet, live_server, world):
    base = live_server.url
    page = tablet.new_page()
    log_in(page, base, world["evaluator"].username)
    keep_for_offline(page, base)
    page.goto(f"{base}/assessments/new/{world['ours'].pk}/onsite/?stage=baseline")
    page.check("#id_item_planning_4")
    expect(page.locator("#offline-state")).to_have_attribute("data-state", re.compile("local|synced"))
    stored = "async () => [(await caches.keys()), (await indexedDB.databases()).map((d) => d.name)]"
    caches_before, databases_before = page.evaluate(stored)
    assert "sj-offline-v1" in caches_before and "sj-offline" in databases_before
    page.click(".navbar-toggler")  # the tablet folds the top bar
    page.click("form[data-offline-logout] button")
    page.wait_for_url("**/accounts/login/**")
    caches_after, databases_after = page.evaluate(stored)
    assert not [c for c in caches_after if c.startswith("sj-offline")]
    assert "sj-offline" not in databases_after
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0


def test_the_worker_is_served_from_the_root_and_the_manifest_lists_only_the_evaluators_own(world, users):
    client = Client()
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Service-Worker-Allowed"] == "/" and worker["Content-Type"].startswith("application/javascript")
    assert "worker-src 'self'" in worker["Content-Security-Policy"]
    client.force_login(world["evaluator"])
    manifest = client.get("/assessments/offline/").json()
    assert manifest["user"] == world["evaluator"].pk
    assert f"/assessments/new/{world['ours'].pk}/onsite/?stage=baseline" in manifest["pages"]
    assert not [p for p in manifest["pages"] if f"/new/{world['theirs'].pk}/" in p]
    assert manifest["data"] == ["/api/v1/assessments/rules/?index=2024"]
    assert any(a.endswith("js/offline.js") for a in manifest["assets"])
    for role in (Role.DISTRICT_OFFICIAL, Role.UNIT_STAFF, Role.PROVIDER_USER):
        other = Client()
        other.force_login(users[role])
        assert other.get("/assessments/offline/").status_code == 404
    assert Client().get("/assessments/offline/").status_code == 302
