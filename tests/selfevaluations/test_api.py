"""The self-evaluation through the API (docs/api.md "Self-evaluations"): a mid-term and a final version are started,
built in-process and downloaded; the Word document's indicator table equals the indicator report as of the same
day, row by row; the PDF reads back (poppler); narratives are merged with who and when; versions compare; roles and
hostile input are refused as the contract says."""

import io
from decimal import Decimal

import pytest
from docx import Document

from core.models import DownloadLog
from core.roles import Role
from reports.models import ReportSnapshot
from selfevaluations.models import SelfEvaluation

from .conftest import docx_tables, indicator_table, pdf_text

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def start(eager, client, body):
    response = eager(lambda: client.post("/api/v1/self-evaluations/", body, format="json"))
    assert response.status_code in (201, 202), response.content
    assert set(response.json()) == {"id", "status"}
    return response.json()["id"]


def expected(value, uom):
    if value is None:
        return "—"
    if uom == "%":
        return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.1'))}%"
    return str(int(Decimal(str(value))))


@pytest.mark.parametrize("stage", ["midterm", "final"])
def test_the_indicator_table_equals_the_indicator_report_of_the_same_day(stage, world, users, api, eager, tmp_path):
    official = api.as_user(users[Role.DISTRICT_OFFICIAL])
    as_of = "2025-12-31"
    pk = start(eager, official, {"stage": stage, "as_of": as_of})
    detail = official.get(f"/api/v1/self-evaluations/{pk}/").json()
    assert detail["status"] == "done", detail
    assert detail["stage"] == stage and detail["as_of"] == as_of
    snapshot = ReportSnapshot.objects.get(pk=detail["snapshot"])
    assert snapshot.status == "done" and snapshot.as_of.isoformat() == as_of and snapshot.unit_id is None
    assert detail["provenance"]["snapshot"] == str(snapshot.pk)

    response = official.get(f"/api/v1/self-evaluations/{pk}/docx/", HTTP_ACCEPT=DOCX)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "filename*=utf-8''" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)

    report = official.get(f"/api/v1/indicators/report/?period=total&as_of={as_of}").json()
    rows = indicator_table(content)[1:]
    assert len(rows) == len(report["indicators"]) == 17
    for row, indicator in zip(rows, report["indicators"], strict=True):
        number, name, target, actual, _completion = row
        assert number == indicator["number"]
        assert name == indicator["name"]
        assert target == expected(indicator["target"], indicator["unit_of_measure"]), (number, target)
        assert actual == expected(indicator["actual"], indicator["unit_of_measure"]), (number, actual)
    # The world's enterprise passed acceptance: some count is not zero, so the comparison is not vacuous.
    assert any(r[3] not in ("0", "0.0%", "—") for r in rows)

    doc = Document(io.BytesIO(content))
    assert (
        doc.styles["Heading 1"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "黑体"
    )
    footer_xml = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    captions = [caption for caption, _rows in docx_tables(content)]
    assert captions[0].startswith("表1") and all(c.startswith(f"表{i + 1}") for i, c in enumerate(captions))

    pdf = official.get(f"/api/v1/self-evaluations/{pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content), tmp_path)
    assert ("中期自评估报告" if stage == "midterm" else "实施后绩效自评估报告") in text
    assert "二、目标完成情况" in text and str(snapshot.pk)[:8] in text.replace("\n", "")
    assert DownloadLog.objects.filter(kind="selfevaluation").count() == 2


def test_narratives_are_merged_with_their_revision_and_versions_compare(world, users, api, eager, tmp_path):
    official = api.as_user(users[Role.DISTRICT_OFFICIAL])
    first = start(eager, official, {"stage": "midterm", "as_of": "2025-06-30"})
    saved = official.post(
        "/api/v1/self-evaluations/narratives/",
        {"stage": "midterm", "section": "problems", "text": "部分企业改造进度偏慢。"},
        format="json",
    )
    assert saved.status_code == 201, saved.content
    official.post(
        "/api/v1/self-evaluations/narratives/",
        {"stage": "midterm", "section": "problems", "text": "部分企业改造进度偏慢，需加强督导。"},
        format="json",
    )
    second = start(eager, official, {"stage": "midterm", "as_of": "2025-12-31"})
    detail = official.get(f"/api/v1/self-evaluations/{second}/").json()
    assert detail["version"] == 2
    assert [n["section"] for n in detail["narratives"]] == ["problems"]
    assert detail["narratives"][0]["author"] == users[Role.DISTRICT_OFFICIAL].username
    revisions = official.get("/api/v1/self-evaluations/narratives/?stage=midterm").json()
    assert revisions["count"] == 2

    docx = b"".join(official.get(f"/api/v1/self-evaluations/{second}/docx/").streaming_content)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "部分企业改造进度偏慢，需加强督导。" in text
    assert "部分企业改造进度偏慢。" not in text

    compared = official.get(f"/api/v1/self-evaluations/{second}/compare/?with={first}").json()
    old = SelfEvaluation.objects.get(pk=first).content["indicators"]
    new = SelfEvaluation.objects.get(pk=second).content["indicators"]
    differing = {
        f"indicator.{a['number']}.actual_shown"
        for a, b in zip(old, new, strict=True)
        if a["actual_shown"] != b["actual_shown"]
    }
    assert differing, "the world's acceptance falls between the two days"
    keys = {c["key"] for c in compared["changed"]}
    assert differing <= keys
    same = official.get(f"/api/v1/self-evaluations/{second}/compare/?with={second}").json()
    assert same["changed"] == []


def test_roles_and_bad_input(world, users, api, eager):
    for role in (Role.FINANCE_OFFICER, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR):
        client = api.as_user(users[role])
        assert client.post("/api/v1/self-evaluations/", {"stage": "final"}, format="json").status_code == 403
        assert client.get("/api/v1/self-evaluations/").status_code == 403
    auditor = api.as_user(users[Role.AUDITOR])
    assert auditor.post("/api/v1/self-evaluations/", {"stage": "final"}, format="json").status_code == 403
    assert (
        auditor.post(
            "/api/v1/self-evaluations/narratives/", {"stage": "final", "section": "work", "text": "x"}, format="json"
        ).status_code
        == 403
    )
    admin = api.as_user(users[Role.ADMIN])
    for body in (
        {"stage": "nope"},
        {},
        {"stage": "final", "as_of": "2999-01-01"},
        {"stage": "final", "as_of": "x"},
        {"stage": ["final"]},
    ):
        response = admin.post("/api/v1/self-evaluations/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "code" in response.json()
    assert admin.post("/api/v1/self-evaluations/", ["x"], format="json").status_code == 400
    assert admin.get("/api/v1/self-evaluations/not-a-uuid/").status_code == 404
    pk = start(eager, admin, {"stage": "final"})
    assert auditor.get(f"/api/v1/self-evaluations/{pk}/").json()["status"] == "done"
    assert auditor.get(f"/api/v1/self-evaluations/{pk}/docx/", HTTP_ACCEPT="text/csv").status_code == 406
    assert auditor.get(f"/api/v1/self-evaluations/{pk}/compare/").status_code == 400
    assert (
        users[Role.FINANCE_OFFICER]
        and api.as_user(users[Role.FINANCE_OFFICER]).get(f"/api/v1/self-evaluations/{pk}/").status_code == 403
    )


def test_a_pending_version_has_no_files_yet(users, api):
    official = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = official.post("/api/v1/self-evaluations/", {"stage": "final"}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    pk = response.json()["id"]
    assert official.get(f"/api/v1/self-evaluations/{pk}/docx/").status_code == 409
    assert official.get(f"/api/v1/self-evaluations/{pk}/pdf/").status_code == 409
