"""The auditor dossier through the API (docs/api.md "Auditor dossier"): a project, an enterprise and a unit over a
period are requested, built in-process and downloaded; the zip's manifest lists every other file with its true
SHA-256 and size; the summary PDF is Chinese; the audit head is the chain's head at the request and the audit-trail
extract matches the chain's entries; the download is logged; scope and roles are refused as the contract says."""

import csv
import hashlib
import io

import pytest

from core.models import DownloadLog
from core.roles import Role
from dossiers.models import Dossier
from tests.factories import EnterpriseFactory
from trail.models import ChainEntry
from trail.selectors import chain_head
from trail.services import seal_unsealed

from .conftest import checked_manifest, pdf_text

pytestmark = pytest.mark.django_db

ZIP = "application/zip"


def request_dossier(eager, client, body):
    """POST the request; the build runs in-process once it commits (here: when the test's capture of on-commit
    callbacks ends, just after the answer, since the test holds one transaction). Returns the dossier's state."""
    response = eager(lambda: client.post("/api/v1/dossiers/", body, format="json"))
    assert response.status_code == 202, response.content
    assert set(response.json()) == {"id", "status"}
    return {"id": response.json()["id"], "status": Dossier.objects.get(pk=response.json()["id"]).status}


def csv_rows(data):
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def subjects(world):
    return {
        "project": {"project": world["project"].pk},
        "enterprise": {"enterprise": world["enterprise"].pk},
        "unit": {"unit": "310117001", "period": "2025"},
    }


@pytest.mark.parametrize("kind", ["project", "enterprise", "unit"])
def test_a_dossier_is_built_with_a_true_manifest_a_chinese_summary_and_the_audit_extract(
    kind, world, users, api, eager, tmp_path
):
    seal_unsealed()  # the world was written in this test's transaction: its on-commit sealing never ran
    head_position, head_digest = chain_head()
    auditor = api.as_user(users[Role.AUDITOR])

    answer = request_dossier(eager, auditor, subjects(world)[kind])
    assert answer["status"] == "done"

    detail = auditor.get(f"/api/v1/dossiers/{answer['id']}/").json()
    assert detail["status"] == "done"
    assert detail["subject"]["kind"] == kind
    assert detail["audit_head"] == head_digest
    assert detail["audit_entries"] == head_position
    assert detail["progress"]["done"] == detail["progress"]["total"] > 0

    response = auditor.get(f"/api/v1/dossiers/{answer['id']}/zip/", HTTP_ACCEPT=ZIP)
    assert response.status_code == 200
    assert response["Content-Type"] == ZIP
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content)
    assert len(content) == detail["bytes"]
    assert hashlib.sha256(content).hexdigest() == detail["sha256"]

    manifest, members = checked_manifest(content)
    assert manifest["audit_head"] == head_digest
    assert manifest["audit_entries"] == head_position
    assert manifest["subject"]["kind"] == kind
    assert manifest["generated_by"] == users[Role.AUDITOR].username
    assert {"summary.pdf", "approvals.csv", "ledger.csv", "audit_trail.csv"} <= set(members)
    project = world["project"]
    attachment = f"attachments/project-{project.pk}/验收报告.pdf"
    assert members[attachment] == b"%PDF-1.4 acceptance report"

    text = pdf_text(members["summary.pdf"], tmp_path)
    assert "审计档案" in text
    assert world["enterprise"].name in text
    assert "HT-2025-007" in text

    ledger = csv_rows(members["ledger.csv"])
    assert [r["金额（元）"] for r in ledger] == ["320000.00", "120000.00"]
    assert ledger[1]["凭证号"] == "PZ-0001"
    approvals = csv_rows(members["approvals.csv"])
    actions = [r["事项"] for r in approvals]
    assert "批准拨付" in actions and "拨付" in actions and "第 1 次验收" in actions
    steps = [(r["日期"], r["经办人"]) for r in approvals if r["记录"] == f"project-{project.pk}"]
    official = str(users[Role.DISTRICT_OFFICIAL])
    assert steps == [("2025-01-10", official), ("2025-01-20", official), ("2025-05-20", official)]
    paid = next(r for r in approvals if r["事项"] == "拨付")
    assert (paid["日期"], paid["说明"]) == ("2025-06-15", "PZ-0001")

    audit = csv_rows(members["audit_trail.csv"])
    assert list(audit[0]) == ["position", "source", "record", "sealed_at", "digest"]
    expected = {
        (e.position, e.digest)
        for e in ChainEntry.objects.filter(
            record_model="funding.project", record_id=str(project.pk), position__lte=head_position
        )
    }
    assert expected
    got = {(int(r["position"]), r["digest"]) for r in audit if r["record"] == f"funding.project:{project.pk}"}
    assert got == expected
    for row in audit:  # every row is the chain's own entry, up to the head
        entry = ChainEntry.objects.get(position=int(row["position"]))
        assert (entry.digest, entry.source, f"{entry.record_model}:{entry.record_id}") == (
            row["digest"],
            row["source"],
            row["record"],
        )
        assert entry.position <= head_position

    log = DownloadLog.objects.filter(kind="dossier", user=users[Role.AUDITOR])
    assert log.count() == 1
    assert answer["id"] in log.get().description


def test_a_unit_dossier_carries_the_units_indicator_figures(world, users, api, eager, tmp_path):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    answer = request_dossier(eager, district, {"unit": "310117001", "period": "total"})
    response = district.get(f"/api/v1/dossiers/{answer['id']}/zip/", HTTP_ACCEPT="*/*")
    _manifest, members = checked_manifest(b"".join(response.streaming_content))
    text = pdf_text(members["summary.pdf"], tmp_path)
    assert "指标完成情况" in text
    assert "岳阳街道" in text


def test_unit_staff_ask_for_their_own_unit_and_get_404_outside_it(world, users, units, make_user, api, eager):
    own = api.as_user(users[Role.UNIT_STAFF])  # 岳阳街道, the world's unit
    mine = request_dossier(eager, own, {"project": world["project"].pk})
    assert mine["status"] == "done"

    other = api.as_user(make_user(Role.UNIT_STAFF, unit=units["310117002"]))
    for body in (
        {"project": world["project"].pk},
        {"enterprise": world["enterprise"].pk},
        {"unit": "310117001", "period": "2025"},
    ):
        response = other.post("/api/v1/dossiers/", body, format="json")
        assert response.status_code == 404, body
        assert response.json()["code"] == "not_found"
    assert other.get(f"/api/v1/dossiers/{mine['id']}/").status_code == 404
    assert other.get(f"/api/v1/dossiers/{mine['id']}/zip/", HTTP_ACCEPT=ZIP).status_code == 404
    assert other.get("/api/v1/dossiers/").json()["count"] == 0
    # The global readers see every dossier.
    auditor = api.as_user(users[Role.AUDITOR])
    assert auditor.get(f"/api/v1/dossiers/{mine['id']}/").status_code == 200
    assert auditor.get("/api/v1/dossiers/").json()["count"] == 1
    assert auditor.get("/api/v1/dossiers/?mine=true").json()["count"] == 0


def test_a_missing_record_answers_404_like_one_out_of_scope(world, users, api):
    auditor = api.as_user(users[Role.AUDITOR])
    for body in ({"project": 987654}, {"enterprise": 987654}, {"unit": "999999999", "period": "2025"}):
        assert auditor.post("/api/v1/dossiers/", body, format="json").status_code == 404, body
    assert auditor.get("/api/v1/dossiers/not-a-uuid/").status_code == 404
    assert auditor.get("/api/v1/dossiers/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.EVALUATOR])
def test_providers_and_evaluators_may_not_ask(role, world, make_user, api):
    client = api.as_user(make_user(role))
    response = client.post("/api/v1/dossiers/", {"enterprise": world["enterprise"].pk}, format="json")
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_anonymous_callers_are_refused(world, api):
    assert api.post("/api/v1/dossiers/", {"enterprise": world["enterprise"].pk}, format="json").status_code == 401
    assert api.get("/api/v1/dossiers/").status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"project": 1, "enterprise": 2},
        {"enterprise": 1, "unit": "310117001", "period": "2025"},
        {"unit": "310117001"},
        {"enterprise": 1, "period": "2025"},
        {"unit": "310117001", "period": "2031"},
        {"project": {"id": 1}},
    ],
)
def test_a_request_that_is_not_exactly_one_subject_is_a_400_with_a_message(body, users, api):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 400, body
    assert response.json()["message"]


def test_the_zip_is_a_409_until_built_and_a_406_for_a_client_that_wants_json(world, users, api):
    dossier = Dossier.objects.create(
        enterprise=world["enterprise"], title="x", requested_by=users[Role.AUDITOR], audit_head="0" * 64
    )
    auditor = api.as_user(users[Role.AUDITOR])
    response = auditor.get(f"/api/v1/dossiers/{dossier.pk}/zip/", HTTP_ACCEPT=ZIP)
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"
    response = auditor.get(f"/api/v1/dossiers/{dossier.pk}/zip/", HTTP_ACCEPT="application/json")
    assert response.status_code == 406
    assert auditor.get(f"/api/v1/dossiers/{dossier.pk}/").json()["status"] == "pending"
    assert not DownloadLog.objects.filter(kind="dossier").exists()


def test_a_repeated_delivery_of_a_built_dossier_does_nothing(world, users, api, eager):
    from dossiers.services import dossier_build

    answer = request_dossier(eager, api.as_user(users[Role.AUDITOR]), {"enterprise": world["enterprise"].pk})
    dossier = Dossier.objects.get(pk=answer["id"])
    assert dossier_build(answer["id"]) is None
    again = Dossier.objects.get(pk=answer["id"])
    assert (again.sha256, again.file.name, again.attempts) == (dossier.sha256, dossier.file.name, dossier.attempts)


def test_an_enterprise_dossier_without_projects_still_builds(users, units, api, eager):
    enterprise = EnterpriseFactory(name="松江无项目有限公司", unit=units["310117001"])
    answer = request_dossier(eager, api.as_user(users[Role.FINANCE_OFFICER]), {"enterprise": enterprise.pk})
    assert answer["status"] == "done"


def test_the_schema_documents_the_dossier_endpoints(users, api):
    schema = api.as_user(users[Role.DISTRICT_OFFICIAL]).get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/dossiers/"])
    assert "application/zip" in schema["paths"]["/api/v1/dossiers/{id}/zip/"]["get"]["responses"]["200"]["content"]


@pytest.mark.django_db(transaction=True)
def test_with_no_broker_the_post_answers_with_the_dossier_built(world, users, api):
    """Tasks in-process (the embedded profile): the build runs when the request's transaction commits, before the
    answer."""
    from songjiang_pilot.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        response = api.as_user(users[Role.AUDITOR]).post(
            "/api/v1/dossiers/", {"project": world["project"].pk}, format="json"
        )
    finally:
        app.conf.task_always_eager = before
    assert response.status_code == 202
    assert response.json()["status"] == "done"
