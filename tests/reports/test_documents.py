"""Documents rendered in a task: the enterprise file, the project dossier and the ledger statement are
rendered from a hand-built programme state through ``render_document_task``, read back with
``pdftotext`` (names, amounts, states) and ``pdffonts`` (the CJK font embedded); a failing render
marks the job failed with its message; a repeated delivery does nothing."""

import datetime
import re
import subprocess
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from core.models import BackgroundJob, DownloadLog, GeneratedDocument, OrgUnit
from core.roles import Role
from reports.services import documents
from reports.tasks import render_document_task
from tests.helpers import wait_until_finished

D = datetime.date


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def pdf_text(content, tmp_path, keep_as=None):
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    if keep_as:  # kept for people to look at, like the browser tests' screenshots
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / keep_as).write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return text, fonts, pages


def assert_paged(text, pdfinfo):
    """A4, and "第 n 页 / 共 N 页" on every page."""
    assert "595.276 x 841.89 pts (A4)" in pdfinfo or "841.89 x 595.276 pts (A4)" in pdfinfo
    count = int(re.search(r"Pages:\s+(\d+)", pdfinfo).group(1))
    flat = re.sub(r"\s", "", text)
    assert [f"第{n}页/共{count}页" in flat for n in range(1, count + 1)] == [True] * count


def stored_bytes(document):
    document.refresh_from_db()
    with document.file.open("rb") as fh:
        return fh.read()


def request_and_render(client, eager, url, data=None):
    before = set(GeneratedDocument.objects.values_list("pk", flat=True))
    response = eager(client, url, data)
    assert response.status_code == 302 and response["Location"] == reverse("reports:documents"), response
    document = GeneratedDocument.objects.exclude(pk__in=before).get()
    document.job.refresh_from_db()
    assert document.job.status == BackgroundJob.Status.DONE, document.job.error
    return document


def test_the_enterprise_file_shows_the_whole_record_in_chinese(client, eager, world, users, tmp_path):
    auditor = users[Role.AUDITOR]
    client.force_login(auditor)
    document = request_and_render(
        client, eager, reverse("reports:document_enterprise_file", args=[world["enterprise"].pk])
    )
    assert document.kind == "enterprise_file" and document.filename.endswith(".pdf")
    assert document.filename == f"一企一档_{world['enterprise'].credit_code}.pdf"
    assert not document.file.name.endswith(document.filename)  # stored under a random name
    text, fonts, pages = pdf_text(stored_bytes(document), tmp_path, keep_as="enterprise_file.pdf")
    for expected in (
        "一企一档",
        "沪松精密机械有限公司",
        world["enterprise"].credit_code,
        "岳阳街道",
        "松江智造科技有限公司",
        "图纸版本靠人工管理",  # a pain point of the diagnosis
        "2025-05-18",  # the on-site evaluation
        "HT-2025-007",
        "800,000.00 元",
        "资料齐全",  # the acceptance's findings
        "320,000.00 元",  # committed
        "32.00 万元",
        "120,000.00 元",  # paid in tranche 1
        "PZ-0001",
        "区级智能工厂（沪松）",
        "验收报告.pdf",  # attachments listed
        str(auditor),  # who asked
    ):
        assert expected in text, expected
    assert "Noto-Sans-CJK-SC" in fonts
    assert_paged(text, pages)


def test_a_provider_sees_its_own_work_and_no_money_in_the_enterprise_file(client, eager, world, make_user, tmp_path):
    user = make_user(Role.PROVIDER_USER, provider=world["provider"])
    client.force_login(user)
    document = request_and_render(
        client, eager, reverse("reports:document_enterprise_file", args=[world["enterprise"].pk])
    )
    text, _fonts, _pages = pdf_text(stored_bytes(document), tmp_path)
    assert "HT-2025-007" in text and "图纸版本靠人工管理" in text
    assert "PZ-0001" not in text and "320,000.00" not in text


def test_the_project_dossier_has_states_acceptance_tranches_and_history(client, eager, world, users, tmp_path):
    official = users[Role.DISTRICT_OFFICIAL]
    client.force_login(users[Role.FINANCE_OFFICER])
    document = request_and_render(
        client, eager, reverse("reports:document_project_dossier", args=[world["project"].pk])
    )
    assert document.filename == "项目档案_HT-2025-007.pdf"
    text, fonts, pages = pdf_text(stored_bytes(document), tmp_path, keep_as="project_dossier.pdf")
    for expected in (
        "项目档案",
        "柔性产线数字化改造",
        "沪松精密机械有限公司",
        "HT-2025-007",
        "2025-01-20",  # approved, with who
        str(official),
        "500,000.00 元",  # software
        "62.5%",  # software share
        "资料齐全",
        "320,000.00 元",
        "120,000.00 元",
        "PZ-0001",
        "验收报告.pdf",
        "变更历史",
    ):
        assert expected in text, expected
    assert "Noto-Sans-CJK-SC" in fonts
    assert_paged(text, pages)


def test_the_ledger_statement_shows_lines_and_the_movements_of_the_range(client, eager, world, users, tmp_path):
    client.force_login(users[Role.AUDITOR])
    document = request_and_render(
        client,
        eager,
        reverse("reports:document_ledger_statement"),
        {"date_from": "2025-01-01", "date_to": "2025-06-30"},
    )
    assert document.params == {"from": "2025-01-01", "to": "2025-06-30"}
    text, fonts, pages = pdf_text(stored_bytes(document), tmp_path, keep_as="ledger_statement.pdf")
    for expected in (
        "资金台账报表",
        "2025-01-01 至 2025-06-30",
        "中央",  # the central grant's name
        "中小企业改造补贴",
        "80,000,000.00 元",  # allocated
        "8,000.00 万元",
        "320,000.00 元",  # committed
        "120,000.00 元",  # paid
        "79,680,000.00 元",  # available
        "改造补贴 HT-2025-007",
        "PZ-0001",
        "沪松精密机械有限公司",
    ):
        assert expected in text, expected
    assert "Noto-Sans-CJK-SC" in fonts
    assert_paged(text, pages)


def test_the_ledger_statement_before_the_payments_shows_none(client, eager, world, users, tmp_path):
    client.force_login(users[Role.FINANCE_OFFICER])
    document = request_and_render(
        client,
        eager,
        reverse("reports:document_ledger_statement"),
        {"date_from": "2024-10-01", "date_to": "2025-05-31"},
    )
    text, _fonts, _pages = pdf_text(stored_bytes(document), tmp_path)
    assert "期间内无资金承诺" in text and "期间内无拨付" in text
    assert "PZ-0001" not in text and "80,000,000.00 元" in text


def test_a_failing_render_marks_the_job_failed_with_its_message(client, eager, world, users, monkeypatch):
    def broken(template, context):
        raise RuntimeError("字体缺失：无法渲染")

    monkeypatch.setattr("reports.rendering.documents.render_pdf", broken)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = eager(client, reverse("reports:document_enterprise_file", args=[world["enterprise"].pk]))
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    job = BackgroundJob.objects.get(pk=document.job_id)
    assert job.status == BackgroundJob.Status.FAILED and "字体缺失：无法渲染" in job.error
    assert not document.file
    page = client.get(reverse("reports:documents"))
    assert "字体缺失：无法渲染" in page.content.decode()
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code == 302


def test_a_repeated_delivery_does_nothing_and_a_lost_subject_fails(client, eager, world, users):
    client.force_login(users[Role.AUDITOR])
    document = request_and_render(
        client, eager, reverse("reports:document_enterprise_file", args=[world["enterprise"].pk])
    )
    name = document.file.name
    assert render_document_task(str(document.job_id)) is None  # finished: not claimed again
    document.refresh_from_db()
    assert document.file.name == name

    # A job whose requester lost sight of the subject before the worker ran fails with a message.
    staff = users[Role.UNIT_STAFF]
    pending = documents.document_create(
        actor=staff, kind="project_dossier", subject_id=world["project"].pk, title="dossier"
    )
    staff.unit = OrgUnit.objects.get(code="310117104")  # moved to 车墩镇: the project is out of sight now
    staff.save()
    with translation.override("en"):
        assert render_document_task(str(pending.job_id)) == BackgroundJob.Status.FAILED
    pending.job.refresh_from_db()
    assert "may no longer see" in pending.job.error and not GeneratedDocument.objects.get(pk=pending.pk).file


def test_the_list_polls_while_running_and_the_download_is_logged(client, eager, world, users):
    auditor = users[Role.AUDITOR]
    client.force_login(auditor)
    pending = documents.document_create(
        actor=auditor, kind="enterprise_file", subject_id=world["enterprise"].pk, title="pending one"
    )
    page = client.get(reverse("reports:documents"))
    body = page.content.decode()
    assert 'hx-trigger="every 2s"' in body and f'id="document-{pending.pk}"' in body
    partial = client.get(reverse("reports:documents"), HTTP_HX_REQUEST="true")
    assert partial.content.decode().startswith('<div id="documents-table"')
    render_document_task(str(pending.job_id))
    body = client.get(reverse("reports:documents")).content.decode()
    assert "every 2s" not in body and reverse("reports:document_download", args=[pending.pk]) in body
    response = client.get(reverse("reports:document_download", args=[pending.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = DownloadLog.objects.get()
    assert (log.user, log.kind, log.description) == (auditor, "document:enterprise_file", "pending one")


def test_a_real_worker_renders_the_enterprise_file(celery_worker, world, users, tmp_path):
    """The round trip through Redis and a Celery worker: the job is sent once the request commits."""
    auditor = users[Role.AUDITOR]
    document = documents.document_request_enterprise_file(actor=auditor, enterprise_id=world["enterprise"].pk)
    job = wait_until_finished(BackgroundJob.objects.get(pk=document.job_id))
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert job.attempts == 1 and job.progress == 100
    text, fonts, pages = pdf_text(stored_bytes(document), tmp_path)
    assert "沪松精密机械有限公司" in text and "Noto-Sans-CJK-SC" in fonts
    assert_paged(text, pages)
