"""Exports of projects, recognitions, the ledger and the 金融清单: scoped, formula-safe, csv with a BOM,
logged."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from core.models import DownloadLog
from core.roles import Role
from funding.choices import DisbursementStatus, ProjectStatus, RecognitionLevel
from funding.exports import PROJECT_HEADERS
from funding.services import financing, ledger, projects, recognitions

D = Decimal


@pytest.fixture
def world(world):
    w = world
    projects.project_update(actor=w["district"], project=w["filed"], title='=HYPERLINK("http://evil","x")')
    recognitions.recognition_create(
        actor=w["district"], kind="digital_workshop", level="district", recognised_on="2025-06-01",
        title="+cmd|' /C calc'!A0", enterprise=w["e1"],
    )  # fmt: skip
    recognitions.recognition_create(
        actor=w["district"], kind="smart_factory", level="municipal", recognised_on="2025-07-01",
        title="永丰乙智能工厂", enterprise=w["e2"],
    )  # fmt: skip
    return w


def zh(label):
    """A label as the exports write it (the lists are Chinese documents)."""
    with translation.override("zh-hans"):
        return str(label)


def csv_rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_project_csv_has_a_bom_chinese_headers_and_escapes_formulas(client, world):
    client.force_login(world["district"])
    response = client.get(reverse("funding:project_export") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][: len(PROJECT_HEADERS)] == PROJECT_HEADERS and rows[0][-2:] == [
        "已承诺补贴（元）",
        "已拨付补贴（元）",
    ]
    titles = {row[0]: row[6] for row in rows[1:]}
    assert titles[str(world["filed"].pk)] == '\'=HYPERLINK("http://evil","x")'
    passed = next(row for row in rows[1:] if row[0] == str(world["passed"].pk))
    assert passed[19] == zh(ProjectStatus.PASSED.label)
    assert D(passed[-2]) == D("400000.00") and D(passed[-1]) == D("0")  # committed, nothing paid yet
    log = DownloadLog.objects.get()
    assert log.kind == "project_export" and log.user == world["district"] and log.row_count == 3


def test_the_project_export_follows_scope_and_filters_and_hides_money_from_others(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    rows = csv_rows(client.get(reverse("funding:project_export") + "?format=csv"))
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([world["filed"].pk, world["requested"].pk])
    assert "已承诺补贴（元）" not in rows[0]
    client.force_login(world["pb"])
    book = workbook(client.get(reverse("funding:project_export") + "?format=xlsx"))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == PROJECT_HEADERS
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [world["passed"].pk]
    client.force_login(world["district"])
    rows = csv_rows(client.get(reverse("funding:project_export") + "?format=csv&status=filed"))
    assert [int(r[0]) for r in rows[1:]] == [world["filed"].pk]
    assert client.get(reverse("funding:project_export") + "?format=pdf").status_code == 404


def test_the_recognition_exports_escape_formulas_and_follow_scope(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    rows = csv_rows(client.get(reverse("funding:recognition_export") + "?format=csv"))
    assert rows[0][:4] == ["类型", "级别", "认定日期", "名称"]
    assert [r[3] for r in rows[1:]] == ["'+cmd|' /C calc'!A0"]  # 永丰乙's recognition is another unit's
    client.force_login(world["district"])
    sheet = workbook(client.get(reverse("funding:recognition_export") + "?format=xlsx&kind=smart_factory")).worksheets[
        0
    ]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert (
        len(values) == 1 and values[0][3] == "永丰乙智能工厂" and values[0][1] == zh(RecognitionLevel.MUNICIPAL.label)
    )


def test_the_ledger_export_has_lines_commitments_and_disbursements(client, users, world):
    ledger.disbursement_approve(actor=world["finance"], disbursement=world["payment"])
    ledger.disbursement_pay(actor=world["finance2"], disbursement=world["payment"], voucher_no="=1+1")
    client.force_login(users[Role.AUDITOR])
    response = client.get(reverse("funding:ledger_export"))
    book = workbook(response)
    assert book.sheetnames == ["预算科目", "资金承诺", "拨付"]
    lines = list(book["预算科目"].iter_rows(min_row=2, values_only=True))
    sme = next(r for r in lines if r[2] == world["sme_line"].name)
    assert D(str(sme[3])) == D("80000000") and D(str(sme[4])) == D("300000") and D(str(sme[6])) == D("300000")
    assert D(str(sme[7])) == D("79700000")
    commitments = list(book["资金承诺"].iter_rows(min_row=2, values_only=True))
    assert sorted(D(str(r[8])) for r in commitments) == [D("100000"), D("300000")]
    payments = list(book["拨付"].iter_rows(min_row=2, values_only=True))
    assert len(payments) == 1 and payments[0][12] == "'=1+1" and payments[0][8] == zh(DisbursementStatus.PAID.label)
    assert DownloadLog.objects.get().kind == "ledger_export"
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(reverse("funding:ledger_export")).status_code == 403


def test_the_financing_list_export_has_products_and_the_viewers_subsidies(client, users, world):
    product = financing.financial_product_create(
        actor=world["district"], bank="@上海银行", name="科创e贷", rate="3.6", limit="5000000"
    )
    for enterprise in (world["e1"], world["e2"]):
        financing.interest_subsidy_grant(
            actor=world["district"], enterprise=enterprise, financial_product=product, loan_amount="1000000",
            loan_on="2025-03-01", amount="15000", granted_on="2025-05-01", budget_line=world["interest_line"],
        )  # fmt: skip
    client.force_login(users[Role.UNIT_STAFF])
    book = workbook(client.get(reverse("funding:financing_export")))
    assert book.sheetnames == ["金融产品", "贴息贴费"]
    assert next(book["金融产品"].iter_rows(min_row=2, values_only=True))[0] == "'@上海银行"
    subsidies = list(book["贴息贴费"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in subsidies] == [world["e1"].name]  # the unit's enterprise only
    client.force_login(users[Role.FINANCE_OFFICER])
    assert len(list(workbook(client.get(reverse("funding:financing_export")))["贴息贴费"].iter_rows(min_row=2))) == 2
    client.force_login(world["pa"])
    assert client.get(reverse("funding:financing_export")).status_code == 403
