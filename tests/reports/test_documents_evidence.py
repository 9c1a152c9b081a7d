"""Evidence packs: the records behind one indicator's number as an XLSX list, with each record's files,
in one ZIP with safe names inside; files missing from storage are listed as missing, not fatal."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.files import attachment_create
from core.models import BackgroundJob, GeneratedDocument
from core.roles import Role
from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Diagnosis, IndexEdition
from enterprises.choices import Scale, Status
from funding.models import Acceptance, Project
from reports.services.documents import document_request_evidence_pack
from reports.tasks import render_document_task
from tests.factories import EnterpriseFactory

D = datetime.date
EVIDENCE = "reports:document_evidence_pack"


def sheet_rows(workbook, name):
    return [list(row) for row in workbook[name].iter_rows(values_only=True)]


def open_pack(document):
    document.refresh_from_db()
    with document.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


@pytest.fixture
def pack_world(world, users, units):
    """The world's enterprise (counted in indicator 1 for 2025) with more files, and a withdrawn one."""
    official = users[Role.DISTRICT_OFFICIAL]
    attachment_create(
        actor=official,
        owner=world["diagnosis"],
        upload=SimpleUploadedFile("../../etc/诊断报告.pdf", b"%PDF-1.4 diagnosis", content_type="application/pdf"),
        purpose="report",
    )
    lost = attachment_create(
        actor=official,
        owner=world["project"],
        upload=SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice", content_type="application/pdf"),
        purpose="invoice",
    )
    lost.file.storage.delete(lost.file.name)  # storage lost the file: the pack says so
    gone = EnterpriseFactory(
        name="已迁出测试企业",
        unit=units["310117001"],
        scale=Scale.ABOVE,
        status=Status.WITHDRAWN,
        withdrawn_on=D(2025, 9, 1),
    )
    Diagnosis.objects.create(
        edition=IndexEdition.objects.get(is_current=True),
        enterprise=gone,
        provider=world["provider"],
        status=DiagnosisStatus.ACCEPTED,
        is_current=True,
    )
    project = Project.objects.create(
        enterprise=gone,
        provider=world["provider"],
        contract_no="HT-2025-099",
        total_investment=100000,
        filed_on=D(2025, 1, 1),
        status="passed",
        accepted_on=D(2025, 4, 1),
    )
    Acceptance.objects.create(project=project, attempt=1, accepted_on=D(2025, 4, 1), passed=True)
    return {**world, "gone": gone}


def test_an_indicator_pack_holds_the_list_and_each_records_files(client, eager, pack_world, users):
    client.force_login(users[Role.AUDITOR])
    data = {"period": "2025", "unit": "", "number": "1", "as_of": "2025-12-31"}
    response = eager(client, reverse(EVIDENCE), data)
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert BackgroundJob.objects.get(pk=document.job_id).status == BackgroundJob.Status.DONE
    assert document.filename == "佐证材料_指标1_2025_全区_2025-12-31.zip"
    pack = open_pack(document)
    names = pack.namelist()
    assert "清单.xlsx" in names
    assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)
    enterprise = pack_world["enterprise"]
    folder = f"0001_{enterprise.credit_code}_{enterprise.name}"
    assert f"{folder}/项目_HT-2025-007_验收报告.pdf" in names
    assert f"{folder}/诊断报告v1_诊断报告.pdf" in names  # the path people typed is dropped
    assert pack.read(f"{folder}/项目_HT-2025-007_验收报告.pdf") == b"%PDF-1.4 acceptance report"

    workbook = load_workbook(io.BytesIO(pack.read("清单.xlsx")), read_only=True)
    listing = sheet_rows(workbook, "清单")
    assert listing[0][:3] == ["序号", "统一社会信用代码", "企业名称"]
    rows = {row[1]: row for row in listing[1:]}
    assert set(rows) == {enterprise.credit_code, pack_world["gone"].credit_code}
    counted = rows[enterprise.credit_code]
    assert counted[2] == "沪松精密机械有限公司" and counted[9] == "计入" and counted[11] == "2025-05-20"
    assert counted[-2] == 2 and counted[-1] == folder  # two files copied; the lost invoice is not
    assert rows[pack_world["gone"].credit_code][9] == "不计入：已退出"
    files = sheet_rows(workbook, "材料")
    lost = [row for row in files[1:] if row[4] == "发票.pdf"]
    assert lost and lost[0][5] in ("", None) and "文件缺失" in lost[0][8]
    summary = {row[0]: row[1] for row in sheet_rows(workbook, "说明")}
    assert summary["记录数"] == 2 and summary["截至"] == "2025-12-31" and summary["范围"] == "全区"


def test_a_recognition_indicator_lists_recognitions(client, eager, pack_world, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    eager(client, reverse(EVIDENCE), {"period": "2025", "unit": "310117001", "number": "7", "as_of": "2025-12-31"})
    document = GeneratedDocument.objects.get()
    workbook = load_workbook(io.BytesIO(open_pack(document).read("清单.xlsx")), read_only=True)
    listing = sheet_rows(workbook, "清单")
    assert listing[0][1] == "类别" and len(listing) == 2
    assert (
        listing[1][3] == "区级智能工厂（沪松）"
        and listing[1][4] == "2025-08-01"
        and listing[1][6] == "沪松精密机械有限公司"
    )


def test_the_request_page_takes_the_drill_down_parameters(client, users, world):
    client.force_login(users[Role.AUDITOR])
    page = client.get(reverse(EVIDENCE), {"period": "2026", "unit": "310117104", "number": "8", "as_of": "2026-06-30"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="2026" selected' in body and 'value="310117104" selected' in body and 'value="8" selected' in body
    assert 'value="2026-06-30"' in body
    assert not GeneratedDocument.objects.exists()  # a GET never asks for anything


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "2025", "number": "99"}, "number"),
        ({"period": "2025", "number": "1", "as_of": "2999-01-01"}, "as_of"),
        ({"period": "2025", "number": "6", "unit": "310117001"}, "number"),
    ],
)
def test_bad_input_is_shown_on_the_form(client, users, data, field):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(reverse(EVIDENCE), data)
    assert response.status_code == 200 and response.context["form"].errors.get(field)
    assert not GeneratedDocument.objects.exists()


def test_unit_staff_ask_for_their_own_unit_only(client, users, units):
    staff = users[Role.UNIT_STAFF]
    client.force_login(staff)
    response = client.post(reverse(EVIDENCE), {"period": "2025", "unit": "310117104", "number": "1"})
    assert response.status_code == 200 and response.context["form"].errors.get("unit")
    assert not GeneratedDocument.objects.exists()
    with pytest.raises(Exception) as excinfo:
        document_request_evidence_pack(actor=staff, period="2025", unit="310117104", number="1")
    assert getattr(excinfo.value, "status", None) == 403
    document = document_request_evidence_pack(actor=staff, period="2025", unit="", number="1", as_of="2025-12-31")
    assert document.params["unit"] == "310117001"  # a unit's staff always get their unit's pack


def test_the_pack_task_runs_once(users, world):
    document = document_request_evidence_pack(actor=users[Role.AUDITOR], period="2025", number="1", as_of="2025-12-31")
    assert render_document_task(str(document.job_id)) == BackgroundJob.Status.DONE
    name = GeneratedDocument.objects.get(pk=document.pk).file.name
    assert render_document_task(str(document.job_id)) is None
    assert GeneratedDocument.objects.get(pk=document.pk).file.name == name
