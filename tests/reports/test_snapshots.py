"""POST /api/v1/reports/ and its snapshot: the contract flow, scope, the Chinese PDF, the task."""

import datetime
import shutil
import subprocess

import pytest

from core.roles import Role
from reports.models import ReportingPeriod, ReportSnapshot
from reports.services.snapshots import snapshot_compute, snapshot_request
from reports.tasks import compute_snapshot_task
from tests.factories import EnterpriseFactory
from tests.helpers import wait_for_job

BASE = "/api/v1/reports/"
TITLE = "松江区中小企业数字化转型城市试点 目标完成情况"


@pytest.fixture
def eager(monkeypatch):
    """The embedded default: no broker, so the task runs in-process as soon as the request's
    transaction commits (no ATOMIC_REQUESTS: when ``snapshot_request`` returns). The test's own
    transaction never commits, so ``on_commit`` runs its callback at once here."""
    from types import SimpleNamespace

    from django.db import transaction

    from songjiang_pilot.celery import app

    monkeypatch.setattr(
        "reports.services.snapshots.transaction",
        SimpleNamespace(atomic=transaction.atomic, on_commit=lambda callback, **kwargs: callback()),
    )
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield lambda client, data: client.post(BASE, data, format="json")
    finally:
        app.conf.task_always_eager = before


def pdf_text(content, tmp_path):
    path = tmp_path / "snapshot.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return text, fonts


def test_the_contract_flow_in_process_returns_a_done_snapshot_and_its_pdf(eager, api, users, units, tmp_path):
    for day in (datetime.date(2025, 3, 1), datetime.date(2025, 4, 1)):
        EnterpriseFactory(unit=units["310117001"], cloud_verified_on=day)
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = eager(client, {"period": "2025", "as_of": "2025-12-31"})
    assert response.status_code == 202, response.json()
    assert set(response.json()) == {"id", "status"} and response.json()["status"] == "done"
    pk = response.json()["id"]

    body = client.get(f"{BASE}{pk}/").json()
    live = client.get("/api/v1/indicators/report/", {"period": "2025", "as_of": "2025-12-31"}).json()
    assert (body["id"], body["status"], body["period"], body["unit"], body["as_of"]) == (
        pk,
        "done",
        "2025",
        None,
        "2025-12-31",
    )
    assert body["indicators"] == live["indicators"]  # same rows, same JSON numbers
    rows = {r["number"]: r for r in body["indicators"]}
    assert len(rows) == 17 and rows["5"]["actual"] == 2 and rows["R1"]["target"] == 0.9
    stored = {r["number"]: r for r in ReportSnapshot.objects.get(pk=pk).indicators}
    assert stored["R1"]["target"] == "0.9" and stored["5"]["completion"] == "0.0071"  # exact strings

    download = client.get(f"{BASE}{pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text, fonts = pdf_text(content, tmp_path)
    assert TITLE in text
    assert "全区" in text and "2025-12-31" in text and "完成率" in text
    assert "上云" in text or rows["5"]["name"][:6] in text
    assert "281" in text  # indicator 5's target
    assert "Noto-Sans-CJK-SC" in fonts  # the named CJK font is embedded (not boxes), and the SC face


def test_a_units_snapshot_is_titled_with_the_unit_and_read_by_its_staff_only(eager, api, users, units, make_user):
    staff = users[Role.UNIT_STAFF]
    response = eager(api.as_user(staff), {"period": "total"})
    assert response.status_code == 202, response.json()
    pk = response.json()["id"]
    assert api.as_user(staff).get(f"{BASE}{pk}/").json()["unit"] == "310117001"
    other = make_user(Role.UNIT_STAFF, unit=units["310117104"])
    assert api.as_user(other).get(f"{BASE}{pk}/").status_code == 404
    assert api.as_user(other).get(f"{BASE}{pk}/pdf/", HTTP_ACCEPT="application/pdf").status_code == 404
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR, Role.DISTRICT_OFFICIAL, Role.ADMIN):
        assert api.as_user(users[role]).get(f"{BASE}{pk}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "data", "status"),
    [
        (Role.DISTRICT_OFFICIAL, {"period": "2026"}, 202),
        (Role.AUDITOR, {"period": "2025", "unit": "310117104"}, 202),
        (Role.ADMIN, {"period": "total"}, 202),
        (Role.UNIT_STAFF, {"period": "2025", "unit": "310117001"}, 202),
        (Role.UNIT_STAFF, {"period": "2025", "unit": "310117104"}, 403),
        (Role.FINANCE_OFFICER, {"period": "2025"}, 403),
        (Role.PROVIDER_USER, {"period": "2025"}, 403),
        (Role.EVALUATOR, {"period": "2025"}, 403),
        (Role.DISTRICT_OFFICIAL, {"period": "2027"}, 400),
        (Role.DISTRICT_OFFICIAL, {}, 400),
        (Role.DISTRICT_OFFICIAL, {"period": "2025", "unit": "999"}, 400),
        (Role.DISTRICT_OFFICIAL, {"period": "2025", "as_of": "2025-13-01"}, 400),
        (Role.DISTRICT_OFFICIAL, {"period": "2025", "as_of": "2999-01-01"}, 400),
    ],
)
def test_who_may_request_a_snapshot_and_bad_input(eager, api, users, role, data, status):
    before = ReportSnapshot.objects.count()
    response = eager(api.as_user(users[role]), data)
    assert response.status_code == status, response.json()
    if status == 202:
        assert response.json()["status"] == "done"
    else:
        assert set(response.json()) >= {"code", "message"} and response.json()["message"]
        assert ReportSnapshot.objects.count() == before


def test_a_future_as_of_is_refused_with_its_field(eager, api, users):
    response = eager(api.as_user(users[Role.DISTRICT_OFFICIAL]), {"period": "total", "as_of": "2999-01-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "as_of_in_future" and response.json()["field"] == "as_of"


def test_anonymous_callers_are_refused(api, users, eager):
    from rest_framework.test import APIClient

    pk = eager(api.as_user(users[Role.DISTRICT_OFFICIAL]), {"period": "2025"}).json()["id"]
    anonymous = APIClient()
    assert anonymous.post(BASE, {"period": "2025"}, format="json").status_code == 401
    assert anonymous.get(f"{BASE}{pk}/").status_code == 401
    assert anonymous.get(f"{BASE}{pk}/pdf/").status_code == 401


def test_finance_reads_but_does_not_request_and_providers_see_nothing(eager, api, users):
    pk = eager(api.as_user(users[Role.AUDITOR]), {"period": "2025"}).json()["id"]
    finance = api.as_user(users[Role.FINANCE_OFFICER])
    assert eager(finance, {"period": "2025"}).status_code == 403
    assert finance.get(f"{BASE}{pk}/").status_code == 200
    assert finance.get(f"{BASE}{pk}/pdf/", HTTP_ACCEPT="*/*").status_code == 200
    assert api.as_user(users[Role.PROVIDER_USER]).get(f"{BASE}{pk}/").status_code == 403


def test_unknown_and_malformed_ids_answer_404(api, users):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    assert client.get(f"{BASE}00000000-0000-0000-0000-000000000000/").status_code == 404
    response = client.get(f"{BASE}not-a-uuid/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_pdf_answers_409_while_pending_and_406_to_a_client_that_does_not_take_pdf(
    api, users, django_capture_on_commit_callbacks
):
    actor = users[Role.DISTRICT_OFFICIAL]
    with django_capture_on_commit_callbacks(execute=False):  # the task is never sent
        snapshot = snapshot_request(actor=actor, period=ReportingPeriod.objects.get(code="2025"))
    client = api.as_user(actor)
    assert client.get(f"{BASE}{snapshot.pk}/").json() == {
        "id": str(snapshot.pk),
        "status": "pending",
        "period": "2025",
        "unit": None,
        "as_of": snapshot.as_of.isoformat(),
        "indicators": [],
    }
    pending = client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pending.status_code == 409 and pending["Content-Type"].startswith("application/json")
    assert pending.json()["code"] == "snapshot_not_done" and pending.json()["message"]
    snapshot_compute(snapshot.pk)
    assert client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="application/json").status_code == 406
    assert client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="text/html").status_code == 406
    assert client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="application/pdf").status_code == 200
    assert client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="*/*").status_code == 200


def test_the_task_is_idempotent(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        snapshot = snapshot_request(actor=users[Role.AUDITOR], period=ReportingPeriod.objects.get(code="2026"))
    assert compute_snapshot_task(str(snapshot.pk)) == ReportSnapshot.Status.DONE
    snapshot.refresh_from_db()
    first = (snapshot.pdf.name, snapshot.finished_at, snapshot.attempts, snapshot.history.count())
    assert compute_snapshot_task(str(snapshot.pk)) is None  # a repeated delivery does nothing
    snapshot.refresh_from_db()
    assert (snapshot.pdf.name, snapshot.finished_at, snapshot.attempts, snapshot.history.count()) == first


def test_a_running_snapshot_is_skipped_under_a_valid_lease_and_taken_over_after(
    users, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        snapshot = snapshot_request(actor=users[Role.AUDITOR], period=ReportingPeriod.objects.get(code="2026"))
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        status="running", lease_expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert compute_snapshot_task(str(snapshot.pk)) is None
    ReportSnapshot.objects.filter(pk=snapshot.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert compute_snapshot_task(str(snapshot.pk)) == ReportSnapshot.Status.DONE


def test_a_failing_computation_marks_the_snapshot_failed_with_its_message(eager, api, users, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("counting exploded")

    monkeypatch.setattr("reports.services.snapshots.indicator_report_for_scope", broken)
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = eager(client, {"period": "2025"})
    assert response.status_code == 202 and response.json()["status"] == "failed"
    snapshot = ReportSnapshot.objects.get(pk=response.json()["id"])
    assert "counting exploded" in snapshot.error
    pdf = client.get(f"{BASE}{snapshot.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 409 and pdf.json()["code"] == "snapshot_failed"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_computes_the_snapshot(celery_worker, api, users):
    assert shutil.which("pdftotext")
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = client.post(BASE, {"period": "2025"}, format="json")
    assert response.status_code == 202 and response.json()["status"] in ("pending", "running", "done")
    pk = response.json()["id"]
    body, _seen = wait_for_job(client, f"{BASE}{pk}/")
    assert body["status"] == "done", ReportSnapshot.objects.get(pk=pk).error
    assert len(body["indicators"]) == 17
    download = client.get(f"{BASE}{pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
