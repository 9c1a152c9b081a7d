"""Building history back-fill files for the tests: a world to load into, rows, xlsx and csv bytes."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from funding.backfill import schema as backfill
from funding.models import FundSource
from funding.services import ledger
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory, make_credit_code

PROJECT_HEADERS = [c.header for c in backfill.PROJECT_COLUMNS]
ACCEPTANCE_HEADERS = [c.header for c in backfill.ACCEPTANCE_COLUMNS]
PAYMENT_HEADERS = [c.header for c in backfill.PAYMENT_COLUMNS]
HEADERS = {"项目": PROJECT_HEADERS, "验收": ACCEPTANCE_HEADERS, "拨付": PAYMENT_HEADERS}
D = Decimal


def make_world(users, *, enterprises=2):
    """Enterprises with accepted diagnoses, a provider, an evaluation body, the central SME line budgeted."""
    provider = ProviderFactory()
    body = EvaluationBodyFactory()
    edition = IndexEdition.objects.get(code="2024")
    firms = []
    for seq in range(enterprises):
        enterprise = EnterpriseFactory(credit_code=make_credit_code(80000 + seq))
        Diagnosis.objects.create(
            enterprise=enterprise,
            provider=provider,
            edition=edition,
            status=DiagnosisStatus.ACCEPTED,
            is_current=True,
            target_level=2,
            target_scenes=["production_control"],
        )
        firms.append(enterprise)
    central = FundSource.objects.get(code="central")
    district = FundSource.objects.get(code="district")
    finance = users[Role.FINANCE_OFFICER]
    ledger.budget_line_set(actor=finance, source=central, purpose="sme_transformation", amount="80000000")
    ledger.budget_line_set(actor=finance, source=district, purpose="benchmark_demo", amount="1000000")
    return {"enterprises": firms, "provider": provider, "body": body}


def post_level(enterprise, level, on=datetime.date(2025, 10, 25)):
    return Assessment.objects.create(
        enterprise=enterprise,
        edition=IndexEdition.objects.get(code="2024"),
        stage=Stage.POST,
        method=Method.ONSITE,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=on,
        level=level,
    )


def project_row(world, seq=0, **changes):
    values = {
        "enterprise": world["enterprises"][seq].credit_code,
        "enterprise_name": world["enterprises"][seq].name,
        "provider": world["provider"].credit_code,
        "contract_no": f"HT-2025-{seq + 1:03d}",
        "title": "生产管控系统改造",
        "filed_on": datetime.date(2025, 3, 18),
        "approved_on": "2025-04-02",
        "acceptance_requested_on": "2025/9/15",
        "total_investment": 1200000,
        "software_amount": "720,000",
        "cloud_amount": 120000,
        "equipment_amount": 240000,
        "other_amount": 120000,
        "target_level": 2,
        "scenes": "生产管控、质量管理",
        "is_chain_project": "否",
    }
    values.update(changes)
    return [values[c.key] for c in backfill.PROJECT_COLUMNS]


def acceptance_row(world, seq=0, **changes):
    values = {
        "contract_no": f"HT-2025-{seq + 1:03d}",
        "enterprise": world["enterprises"][seq].credit_code,
        "accepted_on": "2025-10-20",
        "passed": "通过",
        "findings": "资料齐全",
        "evaluation_body": world["body"].credit_code,
        "re_requested_on": "",
    }
    values.update(changes)
    return [values[c.key] for c in backfill.ACCEPTANCE_COLUMNS]


def payment_row(world, seq=0, **changes):
    values = {
        "contract_no": f"HT-2025-{seq + 1:03d}",
        "enterprise": world["enterprises"][seq].credit_code,
        "source": "中央资金",
        "purpose": "中小企业数字化改造和诊断补贴",
        "committed_amount": 300000,
        "committed_on": "2025-04-10",
        "amount": 300000,
        "tranche": 1,
        "requested_on": "2025-11-01",
        "approved_on": "2025-11-05",
        "paid_on": "2025-11-12",
        "voucher_no": f"PZ-{seq + 1:04d}",
        "payee_account": "",
        "requested_by_name": "",
        "approved_by_name": "",
        "paid_by_name": "",
    }
    values.update(changes)
    return [values[c.key] for c in backfill.PAYMENT_COLUMNS]


def workbook_bytes(sheets):
    """``sheets``: ``{title: rows}`` (headers from HEADERS by title) or ``{title: (headers, rows)}``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, content in sheets.items():
        headers, rows = content if isinstance(content, tuple) else (HEADERS[title], content)
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for line in rows:
            sheet.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, *, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for line in rows:
        writer.writerow(["" if v is None else v for v in line])
    return buffer.getvalue().encode(encoding)


def upload(content, name="history.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def full_history(world, seq=0):
    return workbook_bytes(
        {
            "项目": [project_row(world, seq)],
            "验收": [acceptance_row(world, seq)],
            "拨付": [payment_row(world, seq)],
        }
    )


def errors_of(result):
    """``{(sheet, row): [(column, message), ...]}`` of the error rows of a result."""
    return {
        (r["sheet"], r["row"]): [(e["column"], e["message"]) for e in r["errors"]]
        for r in result["rows"]
        if r["action"] == "error"
    }
