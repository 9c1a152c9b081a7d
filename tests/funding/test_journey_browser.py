"""Chromium: one project from filing to payment, carried by four people as new users would — logging
in, finding their way through the menus and home-page to-do lists, filling in the forms:

provider files (with its contract) → district approves → provider requests acceptance → evaluator passes
it on site → district commits the subsidy and requests the payment → one finance officer approves it
and another pays it (four eyes), each step confirmed → the ledger shows the payment.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from funding.choices import BudgetPurpose, DisbursementStatus, ProjectStatus
from funding.models import Disbursement, FundSource, Project
from funding.services import ledger
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory
from tests.helpers import log_in, log_out, menu

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"funding-journey-{name}.png"), full_page=True)


@pytest.fixture
def cast(make_user, users, units):
    provider, body = ProviderFactory(name="上海松江智造服务有限公司"), EvaluationBodyFactory()
    enterprise = EnterpriseFactory(unit=units["310117104"], name="上海车墩精工机械有限公司")
    ProviderAssignment.objects.create(enterprise=enterprise, provider=provider, assigned_on="2025-01-10")
    EvaluatorAssignment.objects.create(enterprise=enterprise, evaluation_body=body, assigned_on="2025-01-10")
    edition = IndexEdition.objects.get(code="2024")
    Diagnosis.objects.create(
        enterprise=enterprise, provider=provider, edition=edition, status=DiagnosisStatus.ACCEPTED, is_current=True,
        target_level=2, target_scenes=["production_control"], accepted_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
    # The on-site post-transformation evaluation (level 2) the evaluation body made with the acceptance.
    post = Assessment.objects.create(
        enterprise=enterprise, edition=edition, stage=Stage.POST, method=Method.ONSITE,
        status=AssessmentStatus.SUBMITTED, evaluated_on=datetime.date.today() - datetime.timedelta(days=3),
        level=2, score=Decimal("52.5"), evaluation_body=body,
    )  # fmt: skip
    finance = users[Role.FINANCE_OFFICER]
    central = FundSource.objects.get(code="central")
    ledger.budget_line_set(actor=finance, source=central, purpose=BudgetPurpose.SME_TRANSFORMATION, amount="80000000")
    return {
        "enterprise": enterprise,
        "provider": provider,
        "post": post,
        "provider_user": make_user(Role.PROVIDER_USER, provider=provider, username="songjiang_zhizao"),
        "evaluator": make_user(Role.EVALUATOR, evaluation_body=body, username="pingce_li"),
        "district": users[Role.DISTRICT_OFFICIAL],
        "finance": finance,
        # Four eyes: one finance officer approves, another records the payment.
        "finance2": make_user(Role.FINANCE_OFFICER, username="chen_chuna"),
    }


@pytest.mark.browser
def test_four_people_carry_a_project_from_filing_to_payment(page, live_server, cast, tmp_path):
    base = live_server.url
    enterprise = cast["enterprise"]
    today = datetime.date.today().isoformat()

    # 1. The provider files the project from the Projects menu, and attaches the contract.
    log_in(page, base, cast["provider_user"].username)
    menu(page, "/funding/projects/")
    page.click("#file-project")
    page.fill("#id_enterprise", enterprise.name)  # typed: the exact name (or the credit code)
    assert page.locator("#id_provider").input_value() == cast["provider"].credit_code  # files as itself
    page.fill("#id_contract_no", "SJ-HT-2026-088")
    page.fill("#id_title", "车墩精工 MES 与质量追溯改造")
    page.fill("#id_total_investment", "500000")
    page.fill("#id_software_amount", "320000")
    page.check("input[name='scenes'][value='production_control']")
    page.check("input[name='scenes'][value='quality_management']")
    shot(page, "1-filing")
    page.click("#project-submit")
    page.wait_for_selector("#project-status")
    project = Project.objects.get(contract_no="SJ-HT-2026-088")
    assert project.status == ProjectStatus.FILED and project.eligible_spend == Decimal("500000.00")
    assert page.locator("#eligible-spend").inner_text() == "50.00 万元 （500,000.00 元）"  # its own page: both units
    contract = tmp_path / "合同.pdf"
    contract.write_bytes(b"%PDF-1.4\n% contract\n%%EOF\n")
    page.select_option("#id_evidence-purpose", "contract")
    page.set_input_files("#id_evidence-file", str(contract))
    page.click("#evidence-form button[type=submit]")
    expect(page.locator("#evidence-checklist")).to_contain_text("合同.pdf")
    log_out(page)

    # 2. The district official finds it in the home page's to-do list and approves it.
    log_in(page, base, cast["district"].username)
    todo = page.locator("#todo-projects-to-approve")
    assert enterprise.name in todo.inner_text()
    todo.locator(f"a[href='/funding/projects/{project.pk}/']").click()
    page.wait_for_selector("#approve-form")
    page.fill("#id_approve-reason", "备案材料齐全，同意实施")
    with page.expect_navigation():
        page.click("#approve-submit")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    log_out(page)

    # 3. The provider asks for on-site acceptance.
    log_in(page, base, cast["provider_user"].username)
    menu(page, "/funding/projects/")
    page.click(f"tr[data-project='{project.pk}'] a")
    page.wait_for_selector("#request-form")
    with page.expect_navigation():
        page.click("#request-submit")
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTANCE_REQUESTED
    log_out(page)

    # 4. The evaluator inspects it from the acceptance queue and passes it.
    log_in(page, base, cast["evaluator"].username)
    menu(page, "/funding/acceptances/")
    page.click(f"#acceptance-queue tr[data-project='{project.pk}'] a.btn")
    page.wait_for_selector("#acceptance-form")
    for code in ("contract", "invoices", "payment_slips", "spend_list", "self_evaluation", "systems_running"):
        page.check(f"#id_check_{code}")
    page.fill("#id_accepted_on", today)
    page.check("input[name='passed'][value='yes']")
    page.fill("#id_findings", "改造内容与备案一致，MES 与质量追溯系统运行正常。")
    assert page.locator("#id_post_assessment").input_value() == str(cast["post"].pk)
    shot(page, "4-acceptance")
    page.click("#acceptance-submit")
    page.wait_for_selector("#acceptances")
    project.refresh_from_db()
    assert project.status == ProjectStatus.PASSED
    assert "MES" in page.locator("#acceptances").inner_text()
    log_out(page)

    # 5. The district official commits the subsidy the policy computes, and requests the payment.
    log_in(page, base, cast["district"].username)
    menu(page, "/funding/projects/")
    page.click(f"tr[data-project='{project.pk}'] a")
    page.click("#commit-subsidy")
    page.wait_for_selector("#commit-form")
    assert page.locator("#subsidy-allowed").inner_text() == "200,000.00"  # 40% of 500,000 (default policy)
    assert page.locator("#id_central_amount").input_value() == "200000.00"
    page.click("#commit-submit")
    page.wait_for_selector("#payment-request-form")
    page.fill("#id_pay-payee_account", "31001234567890")
    page.click("#payment-request-submit")
    page.wait_for_selector("#disbursement-status")
    payment = Disbursement.objects.get()
    assert payment.status == DisbursementStatus.REQUESTED and payment.amount == Decimal("200000.00")
    log_out(page)

    # 6. The finance officer approves and pays it from the payment queue, then opens the ledger.
    log_in(page, base, cast["finance"].username)
    assert "200,000.00" in page.locator("#todo-payments-requested").inner_text()
    menu(page, "/funding/payments/")
    page.click(f"#requested-payments tr[data-disbursement='{payment.pk}'] .approve-button")
    # The confirmation: the amount in 万元 and 元, the budget line and what it leaves available.
    page.wait_for_selector("#money-confirm")
    assert page.locator("#confirm-amount-wan").inner_text() == "20.00 万元"
    assert "200,000.00 元" in page.locator("#confirm-amount-yuan").inner_text()
    assert page.locator(".confirm-figures tr[data-figure='available']").count() == 1
    page.click("#confirm-submit")
    page.wait_for_selector(f"#approved-payments tr[data-disbursement='{payment.pk}']")
    row = page.locator(f"#approved-payments tr[data-disbursement='{payment.pk}']")
    assert row.locator(".four-eyes-note").count() == 1  # the approver does not pay it
    log_out(page)
    log_in(page, base, cast["finance2"].username)
    menu(page, "/funding/payments/")
    row = page.locator(f"#approved-payments tr[data-disbursement='{payment.pk}']")
    row.locator("input[name='pay-voucher_no']").fill("SJCZ202611-0001")
    with page.expect_navigation():
        row.locator(".pay-button").click()
    page.wait_for_selector("#money-confirm")
    with page.expect_navigation():
        page.click("#confirm-submit")
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.PAID and payment.voucher_no == "SJCZ202611-0001"
    assert payment.approved_by == cast["finance"] and payment.paid_by == cast["finance2"]
    menu(page, "/funding/ledger/")
    line = page.locator("#source-central tr[data-purpose='sme_transformation']")
    assert line.locator(".line-paid").inner_text() == "20.00"  # 200,000 元 = 20.00 万元
    assert page.locator("#chart-central canvas").count() == 1  # the chart is drawn
    shot(page, "6-ledger")
