"""Chromium: a money amount typed on each money form reads back in the same unit everywhere it is shown.

The one policy (docs/style.md "Money on the page"): a form is typed in the unit its label names and echoes
the other unit live; a record's own page shows both units; an officials' list shows 万元 (the unit in the
header or the cell) with the exact 元 on hover; an export's header names its unit (元) and holds the exact
value. One world, one log-in per role.
"""

import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.models import GeneratedDocument
from funding.choices import BudgetPurpose
from funding.models import BudgetLine, Commitment, FinancialProduct, InterestSubsidy, Project
from songjiang_pilot.celery import app
from tests.funding.helpers import build_world
from tests.helpers import log_in, log_out

AMOUNT = "380000"  # typed in 元
YUAN = "380,000.00 元"
WAN = "38.00 万元"
BOTH = "38.00 万元 （380,000.00 元）"  # money_both as the browser reads it


@pytest.fixture
def world(users, make_user, units):
    return build_world(users, make_user, units)


def type_amount(page, selector, amount=AMOUNT, *, echo_yuan=YUAN, echo_wan=WAN):
    """Type an amount and check the live echo restates it in both units."""
    page.fill(selector, amount)
    echo = page.locator(f"{selector}-echo")
    expect(echo).to_contain_text(echo_yuan)
    expect(echo).to_contain_text(echo_wan)


def assert_wan_cell(cell, *, header):
    """A list cell in 万元 (the unit named by its column header or the cell) with the exact 元 on hover."""
    money = cell.locator(".money")
    assert money.inner_text().replace(" 万元", "") == "38.00", money.inner_text()
    assert money.get_attribute("title") == YUAN
    assert "万元" in header or "10k yuan" in header or "万元" in cell.inner_text(), header


def download_xlsx(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    with open(path, "rb") as fh:
        return load_workbook(io.BytesIO(fh.read()), read_only=True)


def xlsx_value(workbook, header, *, row_matches):
    """The value under ``header`` in the row for which ``row_matches(dict)`` is true (any sheet)."""
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        for i, head in enumerate(rows):
            if head and header in head:
                for row in rows[i + 1 :]:
                    record = dict(zip(head, row, strict=False))
                    if row_matches(record):
                        return record[header]
    raise AssertionError(f"no row under {header!r}")


def header_of(page, table, column_cell):
    """The header text of the column ``column_cell`` is in (by position)."""
    index = column_cell.evaluate("td => td.cellIndex")
    return page.locator(f"{table} thead th").nth(index).inner_text()


@pytest.fixture
def rendered_now():
    """Documents render in-process when requested (the live server's database is committed as it goes)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def pdf_text(document, tmp_path):
    document.refresh_from_db()
    path = tmp_path / "document.pdf"
    with document.file.open("rb") as fh:
        path.write_bytes(fh.read())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.mark.browser
def test_money_typed_reads_back_in_the_same_unit_everywhere(page, live_server, world, client, rendered_now, tmp_path):
    base = live_server.url

    # --- The provider files a project: total investment and software in 元. -----------------------
    log_in(page, base, world["pa"].username)
    page.goto(f"{base}/funding/projects/new/")
    page.fill("#id_enterprise", world["e1"].name)
    page.fill("#id_contract_no", "HT-MONEY-001")
    page.fill("#id_title", "金额往返测试项目")
    type_amount(page, "#id_total_investment")
    type_amount(page, "#id_software_amount", "250000", echo_yuan="250,000.00 元", echo_wan="25.00 万元")
    page.check("input[name='scenes'][value='production_control']")
    page.click("#project-submit")
    page.wait_for_selector("#project-status")
    project = Project.objects.get(contract_no="HT-MONEY-001")
    assert project.total_investment == Decimal(AMOUNT) and project.eligible_spend == Decimal(AMOUNT)
    # Its own page: both units.
    assert page.locator("#eligible-spend").inner_text() == BOTH
    log_out(page)

    # --- The district official reads it in the list (万元, exact 元 on hover) and the export (元). --
    log_in(page, base, world["district"].username)
    page.goto(f"{base}/funding/projects/?search=HT-MONEY-001")
    row = page.locator(f"tr[data-project='{project.pk}']")
    cell = row.locator("td").nth(4)
    assert_wan_cell(cell, header=header_of(page, "#project-table", cell))
    book = download_xlsx(page, "#export-xlsx")
    assert xlsx_value(book, "总投资（元）", row_matches=lambda r: r.get("合同编号") == "HT-MONEY-001") == 380000
    assert xlsx_value(book, "合规投入（元）", row_matches=lambda r: r.get("合同编号") == "HT-MONEY-001") == 380000
    # Its PDF dossier (rendered as the finance officer asks for it): the amounts with their unit.
    client.force_login(world["finance"])
    before = set(GeneratedDocument.objects.values_list("pk", flat=True))
    response = client.post(reverse("reports:document_project_dossier", args=[project.pk]))
    assert response.status_code == 302
    text = pdf_text(GeneratedDocument.objects.exclude(pk__in=before).get(), tmp_path)
    assert "HT-MONEY-001" in text and YUAN in text and "250,000.00 元" in text, text

    # --- The district official lists a financial product (limit) and grants an interest subsidy. -----
    page.goto(f"{base}/funding/financing/products/new/")
    page.fill("#id_bank", "上海农商银行松江支行")
    page.fill("#id_name", "数字化改造贷")
    type_amount(page, "#id_limit")
    with page.expect_navigation():
        page.click("#product-submit")
    product = FinancialProduct.objects.get(name="数字化改造贷")
    assert product.limit == Decimal(AMOUNT)
    row = page.locator("#product-table tbody tr", has_text="数字化改造贷")
    cell = row.locator("td").nth(3)
    assert_wan_cell(cell, header=header_of(page, "#product-table", cell))

    page.goto(f"{base}/funding/financing/subsidies/new/")
    page.fill("#id_enterprise", world["e1"].name)
    page.select_option("#id_financial_product", str(product.pk))
    type_amount(page, "#id_loan_amount")
    page.fill("#id_loan_on", "2026-10-08")
    type_amount(page, "#id_amount", "12000", echo_yuan="12,000.00 元", echo_wan="1.20 万元")
    page.fill("#id_granted_on", "2026-11-02")
    page.select_option("#id_budget_line", str(world["interest_line"].pk))
    with page.expect_navigation():
        page.click("#interest-subsidy-submit")
    subsidy = InterestSubsidy.objects.get(financial_product=product)
    assert subsidy.loan_amount == Decimal(AMOUNT) and subsidy.amount == Decimal("12000")
    row = page.locator("#interest-subsidy-table tbody tr", has_text=world["e1"].name)
    cell = row.locator("td").nth(2)
    assert_wan_cell(cell, header=header_of(page, "#interest-subsidy-table", cell))
    subsidy_cell = row.locator("td").nth(4)
    assert subsidy_cell.locator(".money").inner_text() == "1.20"
    assert subsidy_cell.locator(".money").get_attribute("title") == "12,000.00 元"
    assert "10k yuan" in header_of(page, "#interest-subsidy-table", subsidy_cell) or "万元" in header_of(
        page, "#interest-subsidy-table", subsidy_cell
    )
    book = download_xlsx(page, "#financing-export")
    assert xlsx_value(book, "额度（元）", row_matches=lambda r: r.get("产品") == "数字化改造贷") == 380000
    assert xlsx_value(book, "贷款金额（元）", row_matches=lambda r: r.get("企业") == world["e1"].name) == 380000
    assert xlsx_value(book, "贴息贴费（元）", row_matches=lambda r: r.get("企业") == world["e1"].name) == 12000

    # --- A commitment on a budget line, then its payment request: both typed in 元. -----------------
    page.goto(f"{base}/funding/commitments/new/")
    page.fill("#id_title", "松江工业互联网平台运维合同")
    page.select_option("#id_budget_line", str(world["platform_line"].pk))
    type_amount(page, "#id_amount")
    page.fill("#id_committed_on", "2026-11-03")
    page.click("form:has(#id_title) button[type=submit]")
    page.wait_for_selector("#payment-request-form")
    commitment_made = Commitment.objects.get(title="松江工业互联网平台运维合同")
    assert commitment_made.lines.get().amount == Decimal(AMOUNT)
    assert "元" in page.locator("#commitment-lines").locator("xpath=..").inner_text()
    assert "380,000.00" in page.locator("#commitment-lines").inner_text()
    type_amount(page, "#id_pay-amount")
    page.fill("#id_pay-date", "2026-11-04")
    page.click("#payment-request-submit")
    page.wait_for_selector("#disbursement-status")
    assert page.locator("#disbursement-amount").inner_text() == BOTH
    page.goto(f"{base}/funding/commitments/")
    assert page.locator("tr", has_text="松江工业互联网平台运维合同").locator(".money").first.inner_text() == WAN

    # --- An enterprise's revenue is a statistic kept in 万元: typed in 万元, echoed in 元. ------------
    e1 = world["e1"]
    page.goto(f"{base}/enterprises/{e1.pk}/edit/")
    type_amount(page, "#id_revenue", "38", echo_yuan=YUAN, echo_wan=WAN)
    with page.expect_navigation():
        page.click("#enterprise-form button[type=submit]")
    e1.refresh_from_db()
    assert e1.revenue == Decimal("38")
    page.goto(f"{base}/enterprises/{e1.pk}/")
    revenue = page.locator("dt", has_text="营业收入").first
    assert "万元" in revenue.inner_text()
    assert revenue.locator("xpath=following-sibling::dd[1]").inner_text().startswith("38.00")
    page.goto(f"{base}/enterprises/?q={e1.credit_code}")
    book = download_xlsx(page, "a[href*='format=xlsx']")
    assert xlsx_value(book, "营业收入（万元）", row_matches=lambda r: r.get("企业名称") == e1.name) == 38
    log_out(page)

    # --- The finance officer sets a budget line; its page shows both units, the ledger 万元. ---------
    log_in(page, base, world["finance"].username)
    page.goto(f"{base}/funding/ledger/lines/new/")
    page.select_option("#id_source", str(world["district_source"].pk))
    page.select_option("#id_purpose", BudgetPurpose.CHAIN_MODEL)
    type_amount(page, "#id_amount")
    page.click("#budget-line-submit")
    page.wait_for_load_state("load")
    line = BudgetLine.objects.get(source=world["district_source"], purpose=BudgetPurpose.CHAIN_MODEL)
    assert line.amount == Decimal(AMOUNT)
    page.goto(f"{base}/funding/ledger/lines/{line.pk}/")
    assert page.locator("#line-budget").inner_text() == BOTH
    page.goto(f"{base}/funding/ledger/{world['district_source'].code}/")
    row = page.locator(f"tr[data-purpose='{BudgetPurpose.CHAIN_MODEL}']")
    money = row.locator("td").nth(1).locator(".money")
    assert money.inner_text() == "38.00" and money.get_attribute("title") == YUAN
    assert "万元" in page.locator("#ledger-note").inner_text()
    # The subsidy's commitment: its own page names the unit (元) of its lines.
    commitment = Commitment.objects.get(interest_subsidy=subsidy)
    page.goto(f"{base}/funding/commitments/{commitment.pk}/")
    lines = page.locator("#commitment-lines")
    assert "12,000.00" in lines.inner_text()
    # The payment requested above: in the finance officer's queue in 万元, exact 元 on hover.
    page.goto(f"{base}/funding/payments/")
    payment_row = page.locator("#requested-payments tr", has_text="松江工业互联网平台运维合同")
    money = payment_row.locator(".money").first
    assert money.inner_text() == "38.00" and money.get_attribute("title") == YUAN
    page.goto(f"{base}/funding/ledger/")
    book = download_xlsx(page, "#ledger-export")
    assert (
        xlsx_value(book, "金额（元）", row_matches=lambda r: r.get("承诺名称") == "松江工业互联网平台运维合同")
        == 380000
    )
    assert xlsx_value(book, "预算（元）", row_matches=lambda r: r.get("预算科目") == line.name) == 380000
    assert xlsx_value(book, "金额（元）", row_matches=lambda r: r.get("承诺编号") == commitment.pk) == 12000
