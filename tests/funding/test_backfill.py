"""History back-fill (funding/backfill.py): reading the file, every kind of row error, the rules of the
services applied row by row, preview = commit, re-imports that record nothing twice, atomicity."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from diagnostics.models import Diagnosis
from funding.backfill import services as backfill
from funding.choices import DisbursementStatus, ProjectAction, ProjectStatus
from funding.models import (
    Acceptance,
    BackfillBatch,
    Commitment,
    CommitmentLine,
    Disbursement,
    Project,
    ProjectTransition,
)
from funding.services import ledger

from .backfill_files import (
    ACCEPTANCE_HEADERS,
    PAYMENT_HEADERS,
    PROJECT_HEADERS,
    acceptance_row,
    csv_bytes,
    errors_of,
    full_history,
    make_world,
    payment_row,
    post_level,
    project_row,
    upload,
    workbook_bytes,
)

D = Decimal
TOMORROW = datetime.date.today() + datetime.timedelta(days=2)


@pytest.fixture
def world(users):
    return make_world(users)


@pytest.fixture
def admin(users):
    return users[Role.ADMIN]


@pytest.fixture
def official(users):
    return users[Role.DISTRICT_OFFICIAL]


@pytest.fixture
def finance(users):
    return users[Role.FINANCE_OFFICER]


def run(actor, content, *, commit=True, name="history.xlsx"):
    with translation.override("en"):
        batch = backfill.backfill_import(actor=actor, upload=upload(content, name), commit=commit)
    assert batch.status == BackfillBatch.Status.DONE, batch.error
    return batch.result


def commitment_only(world, seq=0, **changes):
    blank = dict.fromkeys(("amount", "tranche", "requested_on", "approved_on", "paid_on", "voucher_no"), "")
    return payment_row(world, seq, **{**blank, **changes})


def comparable(result):
    return [(r["sheet"], r["row"], r["action"], r["errors"]) for r in result["rows"]]


# --- The whole history of a project -----------------------------------------------------------------


def test_a_full_history_is_written_through_the_services_with_its_dates(world, admin):
    post_level(world["enterprises"][0], 2)
    result = run(admin, full_history(world))
    assert result["committed"] is True
    assert result["totals"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert result["totals_by_kind"]["payments"]["create"] == 1
    project = Project.objects.get()
    assert project.status == ProjectStatus.PASSED and project.enterprise == world["enterprises"][0]
    assert (project.filed_on, project.approved_on, project.acceptance_requested_on, project.accepted_on) == (
        datetime.date(2025, 3, 18),
        datetime.date(2025, 4, 2),
        datetime.date(2025, 9, 15),
        datetime.date(2025, 10, 20),
    )
    assert project.software_amount == D("720000.00") and project.eligible_spend == D("1200000.00")
    assert project.scenes == ["production_control", "quality_management"] and project.is_chain_project is False
    steps = list(project.transitions.order_by("pk").values_list("action", "date", "actor"))
    assert [s[0] for s in steps] == ["file", "approve", "request_acceptance", "pass"]
    assert all(s[2] == admin.pk for s in steps)
    acceptance = Acceptance.objects.get()
    assert acceptance.passed and acceptance.evaluation_body == world["body"] and acceptance.findings == "资料齐全"
    line = CommitmentLine.objects.get()
    assert line.amount == D("300000.00") and line.commitment.committed_on == datetime.date(2025, 4, 10)
    assert line.commitment.project == project and line.budget_line.purpose == "sme_transformation"
    payment = Disbursement.objects.get()
    assert (payment.status, payment.amount, payment.voucher_no, payment.paid_on) == (
        DisbursementStatus.PAID,
        D("300000.00"),
        "PZ-0001",
        datetime.date(2025, 11, 12),
    )
    assert payment.approved_on == datetime.date(2025, 11, 5) and payment.paid_by == admin
    # History: the audit trail names the uploader.
    assert project.history.earliest().history_user == admin


def test_the_preview_writes_nothing_and_predicts_the_commit_exactly(world, admin):
    post_level(world["enterprises"][0], 2)
    content = workbook_bytes(
        {
            "项目": [
                project_row(world, 0),
                project_row(world, 1, total_investment="abc"),
                project_row(world, 1, contract_no="HT-X", enterprise="91310117MA1J00001X"),
            ],
            "验收": [acceptance_row(world, 0), acceptance_row(world, 1)],
            "拨付": [payment_row(world, 0), payment_row(world, 0, voucher_no="PZ-9", amount=1)],
        }
    )
    preview = backfill.backfill_import(actor=admin, upload=upload(content), commit=False)
    assert preview.status == "done" and preview.committed is False
    assert not Project.objects.exists() and not Commitment.objects.exists() and not Disbursement.objects.exists()
    assert preview.totals == {"create": 3, "update": 0, "unchanged": 0, "error": 4}
    written = backfill.backfill_commit(actor=admin, batch=preview)
    assert written.committed is True and written.preview_of == preview
    assert comparable(written.result) == comparable(preview.result)
    assert written.totals == preview.totals
    assert Project.objects.count() == 1 and Disbursement.objects.count() == 1


def test_reimporting_the_same_file_records_nothing_twice(world, admin):
    post_level(world["enterprises"][0], 2)
    run(admin, full_history(world))
    again = run(admin, full_history(world))
    assert again["totals"] == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert [r["action"] for r in again["rows"]] == ["unchanged"] * 3
    assert Project.objects.count() == 1 and Acceptance.objects.count() == 1
    assert Commitment.objects.count() == 1 and Disbursement.objects.count() == 1
    assert ProjectTransition.objects.count() == 4


def test_a_later_file_takes_a_recorded_project_further(world, admin):
    run(admin, workbook_bytes({"项目": [project_row(world, 0, approved_on="", acceptance_requested_on="")]}))
    assert Project.objects.get().status == ProjectStatus.FILED
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0)]}))
    assert result["rows"][0]["action"] == "update"
    project = Project.objects.get()
    assert project.status == ProjectStatus.ACCEPTANCE_REQUESTED
    assert project.approved_on == datetime.date(2025, 4, 2)


def test_a_row_that_contradicts_the_record_is_an_error_and_changes_nothing(world, admin):
    run(admin, workbook_bytes({"项目": [project_row(world, 0)]}))
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0, total_investment=1300000)]}))
    [(column, message)] = errors_of(result)[("项目", 2)]
    assert column == "总投资（元）" and "1,200,000.00" in message
    assert Project.objects.get().total_investment == D("1200000.00")


def test_a_failed_inspection_and_a_re_inspection(world, admin):
    post_level(world["enterprises"][0], 2)
    failed = acceptance_row(world, 0, accepted_on="2025-10-01", passed="不通过", findings="缺少发票")
    again_without_request = acceptance_row(world, 0, accepted_on="2025-11-01")
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0)], "验收": [failed, again_without_request]}))
    [(column, message)] = errors_of(result)[("验收", 3)]
    assert column == "复验申请日期" and "re-inspection" in message
    assert Project.objects.get().status == ProjectStatus.FAILED
    again = acceptance_row(world, 0, accepted_on="2025-11-01", re_requested_on="2025-10-20")
    result = run(admin, workbook_bytes({"验收": [failed, again]}))
    assert [r["action"] for r in result["rows"]] == ["unchanged", "create"]
    project = Project.objects.get()
    assert project.status == ProjectStatus.PASSED and project.acceptance_attempts == 2
    assert project.accepted_on == datetime.date(2025, 11, 1)


# --- File-level problems ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"%PDF-1.4 not a sheet", "history.xlsx", "not_a_spreadsheet"),
        (b"", "history.csv", "file_empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "history.xls", "old_excel_format"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_with_the_roster_messages(admin, content, name, code):
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(content, name))
    assert excinfo.value.code == code and excinfo.value.field == "file"
    assert not BackfillBatch.objects.exists()


def test_a_workbook_without_any_of_the_three_sheets_is_refused(admin):
    content = workbook_bytes({"Sheet1": (["名称", "金额"], [["a", 1]])})
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(content))
    assert excinfo.value.code == "no_history_sheet" and "项目" in str(excinfo.value.message)


def test_a_sheet_lacking_a_required_column_names_the_sheet_and_the_column(world, admin):
    headers = [h for h in PROJECT_HEADERS if h != "备案日期"]
    content = workbook_bytes({"项目": (headers, [])})
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(content))
    assert excinfo.value.code == "missing_columns"
    assert "项目" in str(excinfo.value.message) and "备案日期" in str(excinfo.value.message)


def test_a_file_with_headers_only_is_refused(admin):
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(workbook_bytes({"项目": [], "验收": []})))
    assert excinfo.value.code == "empty_file"


def test_files_above_the_row_limit_are_refused_with_a_clear_message(world, admin, monkeypatch):
    monkeypatch.setattr(backfill, "MAX_ROWS", 2)
    content = workbook_bytes({"项目": [project_row(world, 0), project_row(world, 1)], "验收": [acceptance_row(world)]})
    with pytest.raises(DomainError) as excinfo, translation.override("en"):
        backfill.backfill_import(actor=admin, upload=upload(content))
    assert excinfo.value.code == "too_many_rows" and "Split" in str(excinfo.value.message)


def test_two_sheets_of_the_same_kind_are_refused(world, admin):
    content = workbook_bytes({"项目": [project_row(world)], "Projects 2": (PROJECT_HEADERS, [project_row(world, 1)])})
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(content))
    assert excinfo.value.code == "duplicate_sheet"


def test_a_gbk_csv_of_projects_is_read_and_its_kind_recognised_by_its_headers(world, admin):
    content = csv_bytes(PROJECT_HEADERS, [project_row(world, 0), project_row(world, 1)], encoding="gbk")
    result = run(admin, content, name="项目补录.csv")
    assert result["totals"]["create"] == 2
    assert {r["sheet"] for r in result["rows"]} == {"项目"}
    assert Project.objects.filter(title="生产管控系统改造").count() == 2


def test_a_utf8_csv_of_payments_with_english_headers(world, admin, official, finance):
    post_level(world["enterprises"][0], 2)
    run(admin, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    headers = [
        "Contract no",
        "Enterprise credit code",
        "Fund source",
        "Purpose",
        "Committed amount",
        "Committed on",
        "Payment amount",
        "Tranche",
        "Requested on",
        "Approved on",
        "Paid on",
        "Voucher no",
    ]
    result = run(admin, csv_bytes(headers, [payment_row(world)[:12]]), name="payments.csv")
    assert result["rows"][0]["action"] == "create" and result["rows"][0]["sheet"] == "拨付"
    assert Disbursement.objects.get().status == DisbursementStatus.PAID


# --- Cell errors: the row, the column as written, a reason ---------------------------------------------

BAD_PROJECT_CELLS = [
    ("filed_on", "2025-02-30", "备案日期", "is not a date"),
    ("filed_on", TOMORROW, "备案日期", "in the future"),
    ("filed_on", "2024-05-01", "备案日期", "before the pilot began"),
    ("filed_on", "", "备案日期", "Fill in"),
    ("approved_on", "2025-03-01", "审批通过日期", "cannot come before"),
    ("approved_on", "", "审批通过日期", "approved"),
    ("total_investment", -5, "总投资（元）", "0 or more"),
    ("total_investment", "1200000.123", "总投资（元）", "two decimals"),
    ("software_amount", "七十万", "软件（元）", "Amounts are in yuan"),
    ("is_chain_project", "也许", "链式改造项目", "是 or 否"),
    ("target_level", 7, "目标等级", "from 1 to 4"),
    ("scenes", "生产管控、飞行", "改造场景", "飞行"),
    ("enterprise", "91310117MA1J00001X", "企业统一社会信用代码", ""),
    ("enterprise", 913101170000000000, "企业统一社会信用代码", "lost its last digits"),
    ("contract_no", "H" * 70, "合同编号", "At most 64"),
]


@pytest.mark.parametrize(("key", "value", "column", "reason"), BAD_PROJECT_CELLS)
def test_every_bad_project_cell_is_reported_with_row_column_and_reason(world, admin, key, value, column, reason):
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0), project_row(world, 1, **{key: value})]}))
    errors = errors_of(result)
    assert list(errors) == [("项目", 3)]
    assert any(c == column and reason in m for c, m in errors[("项目", 3)]), errors
    assert Project.objects.count() == 1  # the good row was written


def test_errors_name_the_column_as_the_file_writes_it(world, admin):
    headers = [
        "合同号" if h == "合同编号" else "Total investment" if h == "总投资（元）" else h for h in PROJECT_HEADERS
    ]
    rows = [project_row(world, 0, total_investment="lots"), project_row(world, 0, contract_no="")]
    result = run(admin, workbook_bytes({"项目": (headers, rows)}))
    errors = errors_of(result)
    assert errors[("项目", 2)][0][0] == "Total investment"
    assert errors[("项目", 3)] == [("合同号", "Fill in this column.")]


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"accepted_on": "20251020x"}, "验收日期", "is not a date"),
        ({"passed": "还行"}, "验收结论", "是 or 否"),
        ({"evaluation_body": ""}, "评估机构统一社会信用代码", "Fill in"),
        ({"contract_no": "HT-NONE"}, "合同编号", "No project with this contract number"),
        ({"evaluation_body": "91310000MA1K00003X"}, "评估机构统一社会信用代码", ""),
        ({"accepted_on": "2025-09-01"}, "验收日期", "before acceptance was requested"),
        ({"passed": "否", "findings": ""}, "验收意见", "failed"),
    ],
)
def test_bad_acceptance_rows(world, admin, changes, column, reason):
    run(admin, workbook_bytes({"项目": [project_row(world)]}))
    result = run(admin, workbook_bytes({"验收": [acceptance_row(world, 0, **changes)]}))
    [(got_column, message)] = errors_of(result)[("验收", 2)][:1]
    assert got_column == column and reason in message, (got_column, message)
    assert not Acceptance.objects.exists()


def test_an_unknown_evaluation_body_or_provider_or_enterprise_is_named(world, admin):
    from tests.factories import make_credit_code

    stranger = make_credit_code(99999)
    result = run(
        admin,
        workbook_bytes(
            {
                "项目": [project_row(world, 0, enterprise=stranger), project_row(world, 1, provider=stranger)],
                "验收": [acceptance_row(world, 1, evaluation_body=stranger)],
            }
        ),
    )
    errors = errors_of(result)
    assert errors[("项目", 2)][0][0] == "企业统一社会信用代码" and "Register" in errors[("项目", 2)][0][1]
    assert errors[("项目", 3)][0][0] == "服务商统一社会信用代码"
    assert errors[("验收", 2)][0][0] == "合同编号"  # the project of row 3 was not written


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"source": "省级资金"}, "资金来源", "not a fund source"),
        ({"purpose": "买零食"}, "资金用途", "not a purpose"),
        ({"source": "区级配套资金"}, "资金用途", "not paid from"),
        ({"source": "区级配套资金", "purpose": "审计"}, "资金用途", "no budget line"),
        ({"amount": 100, "requested_on": ""}, "拨付申请日期", "requested"),
        ({"approved_on": ""}, "拨付审核日期", "approved"),
        ({"voucher_no": ""}, "凭证号", "voucher"),
        ({"paid_on": "", "approved_on": "2025-11-05"}, "支付日期", "voucher number belongs"),
        ({"committed_on": ""}, "承诺日期", "committed"),
        ({"amount": "", "committed_amount": ""}, "拨付金额（元）", "Fill in"),
        ({"paid_on": "2025-11-01"}, "支付日期", "cannot come before"),
        ({"tranche": "第一批"}, "拨付批次", "whole number"),
    ],
)
def test_bad_payment_rows(world, admin, changes, column, reason):
    post_level(world["enterprises"][0], 2)
    run(admin, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    result = run(admin, workbook_bytes({"拨付": [payment_row(world, 0, **changes)]}))
    errors = errors_of(result)[("拨付", 2)]
    assert any(c == column and reason in m for c, m in errors), errors
    assert not Commitment.objects.exists() and not Disbursement.objects.exists()


def test_the_same_record_twice_in_a_file_is_an_error_on_the_second_row(world, admin):
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0), project_row(world, 1), project_row(world, 0)]}))
    [(column, message)] = errors_of(result)[("项目", 4)]
    assert column == "合同编号" and "row 2" in message


# --- The services' rules hold, row by row --------------------------------------------------------------


def test_a_payment_before_acceptance_is_refused_on_its_row(world, admin):
    post_level(world["enterprises"][0], 2)
    rows = {"项目": [project_row(world, 0)], "拨付": [payment_row(world, 0)]}
    result = run(admin, workbook_bytes(rows))
    [(column, message)] = errors_of(result)[("拨付", 2)]
    assert column == "拨付金额（元）" and "passed acceptance" in message
    assert Project.objects.count() == 1 and not Commitment.objects.exists()  # the row's savepoint is undone


def test_a_central_subsidy_needs_a_post_level_of_two(world, admin):
    post_level(world["enterprises"][0], 1)
    result = run(admin, full_history(world))
    [(column, message)] = errors_of(result)[("拨付", 2)]
    assert "level 2" in message
    assert Acceptance.objects.count() == 1 and not Disbursement.objects.exists()


def test_a_project_needs_an_accepted_diagnosis(world, admin):
    Diagnosis.objects.filter(enterprise=world["enterprises"][1]).delete()
    result = run(admin, workbook_bytes({"项目": [project_row(world, 0), project_row(world, 1)]}))
    [(column, message)] = errors_of(result)[("项目", 3)]
    assert column == "企业统一社会信用代码" and "diagnosis" in message


def test_a_chain_project_needs_sixty_percent_software(world, admin):
    row = project_row(world, 0, is_chain_project="是", software_amount=600000, other_amount=240000)
    [(column, message)] = errors_of(run(admin, workbook_bytes({"项目": [row]})))[("项目", 2)]
    assert column == "软件（元）" and "60%" in message


def test_no_budget_line_is_overdrawn_and_nothing_is_paid_beyond_its_commitment(world, admin):
    post_level(world["enterprises"][0], 2)
    post_level(world["enterprises"][1], 2)
    rows = {
        "项目": [project_row(world, 0), project_row(world, 1)],
        "验收": [acceptance_row(world, 0), acceptance_row(world, 1)],
        "拨付": [
            payment_row(world, 0, committed_amount=300000, amount=300000.01),
            commitment_only(world, 1, source="区级配套资金", purpose="标杆示范", committed_amount=1000000.01),
        ],
    }
    errors = errors_of(run(admin, workbook_bytes(rows)))
    assert errors[("拨付", 2)][0][0] == "拨付金额（元）" and "left to pay" in errors[("拨付", 2)][0][1]
    assert errors[("拨付", 3)][0][0] == "承诺金额（元）" and "left to commit" in errors[("拨付", 3)][0][1]
    assert not Commitment.objects.exists()


# --- Who may write which rows ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR])
def test_other_roles_may_not_back_fill(world, users, role):
    with pytest.raises(PermissionDenied):
        backfill.backfill_import(actor=users[role], upload=upload(full_history(world)))
    assert not BackfillBatch.objects.exists()


def test_a_finance_officer_may_not_back_fill_projects_or_acceptances(world, finance):
    result = run(finance, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    errors = errors_of(result)
    assert errors[("项目", 2)] == [("合同编号", errors[("项目", 2)][0][1])]
    assert "Only a district official may back-fill projects" in errors[("项目", 2)][0][1]
    assert "acceptances" in errors[("验收", 2)][0][1]
    assert not Project.objects.exists()


def test_the_district_commits_and_finance_pays(world, official, finance):
    post_level(world["enterprises"][0], 2)
    history = {"项目": [project_row(world)], "验收": [acceptance_row(world)]}
    assert run(official, workbook_bytes(history))["totals"]["create"] == 2
    # The district may not back-fill a payment …
    result = run(official, workbook_bytes({"拨付": [payment_row(world)]}))
    [(column, message)] = errors_of(result)[("拨付", 2)]
    assert column == "拨付金额（元）" and "finance officer" in message
    # … finance may not commit …
    result = run(finance, workbook_bytes({"拨付": [payment_row(world)]}))
    [(column, message)] = errors_of(result)[("拨付", 2)]
    assert column == "承诺金额（元）" and "district official" in message
    # … so the district back-fills the commitment alone, then finance the payment, from the same row.
    assert run(official, workbook_bytes({"拨付": [commitment_only(world)]}))["rows"][0]["action"] == "create"
    assert CommitmentLine.objects.get().commitment.created_by == official
    result = run(finance, workbook_bytes({"拨付": [payment_row(world)]}))
    assert result["rows"][0]["action"] == "create"
    payment = Disbursement.objects.get()
    assert payment.status == DisbursementStatus.PAID and payment.paid_by == finance


def test_a_payment_requested_only_is_identified_without_a_voucher_and_paid_later(world, admin):
    post_level(world["enterprises"][0], 2)
    run(admin, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    requested = payment_row(world, approved_on="", paid_on="", voucher_no="")
    assert run(admin, workbook_bytes({"拨付": [requested]}))["rows"][0]["action"] == "create"
    assert run(admin, workbook_bytes({"拨付": [requested]}))["rows"][0]["action"] == "unchanged"
    assert Disbursement.objects.get().status == DisbursementStatus.REQUESTED
    # The voucher is new, so the paid row is a new payment: it would pass the commitment, and is refused.
    result = run(admin, workbook_bytes({"拨付": [payment_row(world)]}))
    assert "left to pay" in errors_of(result)[("拨付", 2)][0][1]
    approved = payment_row(world, paid_on="", voucher_no="")
    assert run(admin, workbook_bytes({"拨付": [approved]}))["rows"][0]["action"] == "update"
    assert Disbursement.objects.get().status == DisbursementStatus.APPROVED


# --- One transaction ---------------------------------------------------------------------------------------


def test_a_failure_mid_commit_leaves_nothing_written(world, admin, monkeypatch):
    post_level(world["enterprises"][0], 2)
    post_level(world["enterprises"][1], 2)
    real_pay = ledger.disbursement_pay
    calls = []

    def pay_then_crash(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_pay(**kwargs)

    monkeypatch.setattr(ledger, "disbursement_pay", pay_then_crash)
    content = workbook_bytes(
        {
            "项目": [project_row(world, 0), project_row(world, 1)],
            "验收": [acceptance_row(world, 0), acceptance_row(world, 1)],
            "拨付": [payment_row(world, 0), payment_row(world, 1)],
        }
    )
    with translation.override("en"):
        batch = backfill.backfill_import(actor=admin, upload=upload(content), commit=True)
    assert batch.status == BackfillBatch.Status.FAILED and batch.committed is False
    assert "RuntimeError" in batch.error and "nothing was written" in batch.error
    assert len(calls) == 2
    assert not Project.objects.exists() and not ProjectTransition.objects.exists()
    assert not Acceptance.objects.exists() and not Commitment.objects.exists() and not Disbursement.objects.exists()


def test_only_the_uploader_commits_a_finished_preview_once(world, admin, official):
    preview = backfill.backfill_import(actor=official, upload=upload(workbook_bytes({"项目": [project_row(world)]})))
    with pytest.raises(PermissionDenied):
        backfill.backfill_commit(actor=admin, batch=preview)
    written = backfill.backfill_commit(actor=official, batch=preview)
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_commit(actor=official, batch=written)
    assert excinfo.value.code == "not_a_preview"
    again = backfill.backfill_import(actor=official, upload=upload(workbook_bytes({"项目": [project_row(world)]})))
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_commit(actor=official, batch=again)
    assert excinfo.value.code == "nothing_to_write"


# --- The error sheet and the template ------------------------------------------------------------------------


def test_the_error_sheet_holds_the_rows_in_error_per_sheet_ready_to_correct_and_upload(world, admin):
    content = workbook_bytes(
        {
            "项目": [project_row(world, 0), project_row(world, 1, filed_on="someday")],
            "验收": [acceptance_row(world, 1)],
        }
    )
    batch = backfill.backfill_import(actor=admin, upload=upload(content), commit=True)
    workbook = openpyxl.load_workbook(io.BytesIO(backfill.error_file(batch=batch)))
    assert workbook.sheetnames == ["项目", "验收"]
    projects = list(workbook["项目"].iter_rows(values_only=True))
    assert list(projects[0]) == [*PROJECT_HEADERS, "错误说明"]
    assert len(projects) == 2 and projects[1][0] == world["enterprises"][1].credit_code
    assert projects[1][-1].startswith("第3行：备案日期：") and "someday" in projects[1][-1]
    assert list(workbook["验收"].iter_rows(values_only=True))[0][: len(ACCEPTANCE_HEADERS)] == tuple(ACCEPTANCE_HEADERS)
    # Corrected, the error sheet is uploaded as it is (its last column is ignored).
    sheet = workbook["项目"]
    sheet.cell(row=2, column=PROJECT_HEADERS.index("备案日期") + 1, value="2025-03-18")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(admin, buffer.getvalue())
    assert result["totals"] == {"create": 2, "update": 0, "unchanged": 0, "error": 0}


def test_the_template_has_the_three_sheets_help_and_allowed_values_and_reads_back(world, admin):
    workbook = openpyxl.load_workbook(io.BytesIO(backfill.write_template()))
    assert workbook.sheetnames == ["项目", "验收", "拨付", "填写说明", "允许值"]
    assert [c.value for c in workbook["项目"][1]] == PROJECT_HEADERS
    assert [c.value for c in workbook["拨付"][1]] == PAYMENT_HEADERS
    allowed = [c.value for c in workbook["允许值"]["A"]]
    assert "生产管控" in allowed
    # The blank template holds no rows; filled in, it is read (its help sheets are ignored).
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(DomainError) as excinfo:
        backfill.backfill_import(actor=admin, upload=upload(buffer.getvalue()))
    assert excinfo.value.code == "empty_file"
    workbook["项目"].append(project_row(world))
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(admin, buffer.getvalue())["totals"]["create"] == 1
    assert ProjectTransition.objects.filter(action=ProjectAction.REQUEST_ACCEPTANCE).count() == 1


def test_one_uploader_back_fills_a_paid_payment_marked_back_filled_with_the_officers_from_the_file(
    world, admin, api, client
):
    """The back-fill is exempt from the four-eyes rule: one user uploads what three officers did, and the
    row says so (back-filled, the officers' names from the file), on the page and in the API."""
    post_level(world["enterprises"][0], 2)
    run(admin, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    row = payment_row(world, amount=200000, requested_by_name="张明", approved_by_name="李华", paid_by_name="王芳")
    assert run(admin, workbook_bytes({"拨付": [row]}))["rows"][0]["action"] == "create"
    payment = Disbursement.objects.get()
    assert payment.status == DisbursementStatus.PAID and payment.backfilled
    assert payment.requested_by == payment.approved_by == payment.paid_by == admin  # who recorded it
    assert (payment.requested_by_name, payment.approved_by_name, payment.paid_by_name) == ("张明", "李华", "王芳")
    body = api.as_user(admin).get(f"/api/v1/disbursements/{payment.pk}/").json()
    assert body["backfilled"] is True and body["approved_by_name"] == "李华" and body["paid_by_name"] == "王芳"
    client.force_login(admin)
    html = client.get(reverse("funding:disbursement_detail", args=[payment.pk])).content.decode()
    assert 'id="disbursement-backfilled"' in html and "张明" in html and "李华" in html and "王芳" in html
    # Outside the back-fill the rule holds for the same people.
    again = ledger.disbursement_request(actor=admin, commitment_line=payment.commitment_line, amount="1")
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_approve(actor=admin, disbursement=again)
    assert excinfo.value.code == "four_eyes"


def test_the_officers_columns_are_read_by_their_english_names_too(world, admin):
    post_level(world["enterprises"][0], 2)
    run(admin, workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world)]}))
    headers = [
        {"申请人": "requested by", "审核人": "approved by", "支付经办人": "paid by"}.get(h, h) for h in PAYMENT_HEADERS
    ]
    row = payment_row(world, requested_by_name="Zhang", approved_by_name="Li", paid_by_name="Wang")
    run(admin, workbook_bytes({"拨付": (headers, [row])}))
    payment = Disbursement.objects.get()
    assert (payment.requested_by_name, payment.approved_by_name, payment.paid_by_name) == ("Zhang", "Li", "Wang")
