"""Demo projects, recognitions, ledger and financing list for ``seed_demo`` (deterministic; run once).

Everything goes through the real services with past dates, so the money rules hold and every record
has its transitions and history as if people had entered it: budget lines for both fund sources that
add up to the sources, transformation projects in every state across 2025 and 2026 (filed, approved
with progress reports, acceptance requested, failed, failed then passed, passed with a recorded
correction, cancelled), on-site post-transformation evaluations (level ≥ 2) before the payments that
need them, commitments split between the sources, payments requested / approved / paid / rejected /
reversed, other spending of the lines, recognitions of every kind about part-way to the targets of
docs/domain.md §6, and the 金融清单 (financial products, interest subsidies committed and partly paid).

It needs the enterprises, providers, evaluation bodies, their users, the accepted diagnosis reports
(``demo.seed.diagnoses.seed_diagnoses``) and the evaluations (``seed_assessments``) to exist.
"""

import datetime
import itertools
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from core.roles import Role
from demo.seed.assessments import answers_for_level
from diagnostics.choices import DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis
from diagnostics.scoring import index_spec
from diagnostics.selectors.index import current_edition
from diagnostics.services.assessments import assessment_create
from enterprises.choices import Status
from enterprises.models import Enterprise
from funding.choices import BudgetPurpose, FundSourceKind, RecognitionKind, RecognitionLevel
from funding.models import BudgetLine, FundSource, Project, Recognition, SubsidyPolicy
from funding.services import evidence, financing, ledger, projects, recognitions
from providers.models import EvaluatorAssignment

SEED = "songjiang-funding-demo"
D = Decimal
PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

#: 元. Central: 80% SME transformation, the capped purposes exactly 20% together.
CENTRAL_LINES = {
    BudgetPurpose.SME_TRANSFORMATION: D("80000000.00"),
    BudgetPurpose.PLATFORM: D("6000000.00"),
    BudgetPurpose.PROVIDER_CAPABILITY: D("4000000.00"),
    BudgetPurpose.CHAIN_TRANSFORMATION: D("6000000.00"),
    BudgetPurpose.PURCHASED_SERVICES: D("4000000.00"),
}
DISTRICT_LINES = {
    BudgetPurpose.BENCHMARK_DEMO: D("20000000.00"),
    BudgetPurpose.CHAIN_MODEL: D("15000000.00"),
    BudgetPurpose.PROCESS_MANAGEMENT: D("8000000.00"),
    BudgetPurpose.PUBLIC_PLATFORM: D("12000000.00"),
    BudgetPurpose.INTEREST_SUBSIDY: D("30000000.00"),
    BudgetPurpose.PUBLICITY: D("5000000.00"),
    BudgetPurpose.EVALUATION_ACCEPTANCE: D("8000000.00"),
    BudgetPurpose.AUDIT: D("4000000.00"),
}

#: The story of each project, by position among the enterprises with an accepted diagnosis.
#: filed / cancelled / approved / requested / failed / refail (failed, re-requested) / passed …
SCRIPT = [
    "paid",
    "paid_split",
    "filed",
    "approved",
    "requested",
    "failed",
    "fail_then_pass",
    "paid",
    "corrected",
    "approved_paid_pending",
    "requested_payment",
    "cancelled",
    "paid",
    "reversed",
    "approved",
    "refail",
    "paid_split",
    "low_level",
    "rejected_payment",
    "paid",
    "filed",
    "requested",
    "paid",
    "approved",
    "fail_then_pass",
    "paid_split",
    "requested_payment",
    "paid",
    "filed",
    "approved",
    "paid",
    "requested",
]
SCENE_POOL = [
    "production_control",
    "quality_management",
    "equipment_management",
    "planning_scheduling",
    "warehousing_logistics",
    "procurement",
    "energy_management",
    "finance",
]
FINDINGS_FAIL = [
    "发票与支出清单金额不一致，缺少部分付款凭证；MES 质量模块未上线运行。",
    "合同约定的设备数据采集未完成，现场仅接入 40% 设备。",
]
PRODUCTS = [
    (
        "上海农村商业银行",
        "数字化转型贷",
        D("3.450"),
        D("10000000.00"),
        36,
        "松江区数字化转型试点企业专项，贴息后实际利率约 2.5%",
    ),
    ("中国建设银行上海市分行", "智造贷", D("3.200"), D("20000000.00"), 36, "设备与软件投入可抵押融资"),
    ("上海银行", "科创e贷", D("3.600"), D("5000000.00"), 12, "纯信用，线上审批"),
    ("交通银行上海分行", "技改贷", D("3.300"), D("30000000.00"), 60, "技术改造项目中长期贷款"),
    ("中国工商银行上海市分行", "数智贷", D("3.100"), D("15000000.00"), 24, "2026 年起不再新增"),
]


def _today():
    return timezone.localdate()


def _day(value):
    """Never after yesterday: the demo is history."""
    return min(value, _today() - datetime.timedelta(days=1))


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _users():

    active = User.objects.filter(is_active=True).order_by("pk")
    return (
        {u.provider_id: u for u in active.filter(role=Role.PROVIDER_USER)},
        {u.evaluation_body_id: u for u in active.filter(role=Role.EVALUATOR)},
    )


def _budget(finance):
    central = FundSource.objects.get(kind=FundSourceKind.CENTRAL)
    district = FundSource.objects.get(kind=FundSourceKind.DISTRICT)
    lines = {}
    for source, table in ((central, CENTRAL_LINES), (district, DISTRICT_LINES)):
        for purpose, amount in table.items():
            lines[purpose] = ledger.budget_line_set(actor=finance, source=source, purpose=purpose, amount=amount)
    return lines


def _post_assessment(enterprise, *, level, on, evaluator, district, rnd):
    """The enterprise's latest on-site post-transformation evaluation, on the right side of level 2 for
    the story (``level`` ≥ 2: payable; below: the payment gate stays shut): the one the evaluations demo
    already has when it fits, else a new one entered through the assessments service, dated so that it
    is the latest (the gate reads the latest)."""

    latest = (
        Assessment.objects.authoritative()
        .filter(enterprise=enterprise, stage=Stage.POST)
        .order_by("-evaluated_on", "-pk")
        .first()
    )
    if latest is not None and latest.level is not None and (latest.level >= 2) == (level >= 2):
        return latest
    if latest is not None:
        on = max(on, latest.evaluated_on + datetime.timedelta(days=1))
    edition = current_edition()
    answers, raw, scenes = answers_for_level(rnd, index_spec(edition), level)
    return assessment_create(
        actor=evaluator or district,
        enterprise=enterprise,
        stage=Stage.POST,
        method=Method.ONSITE,
        evaluated_on=_day(on),
        edition=edition,
        answers=answers,
        raw=raw,
        scenes=scenes,
        evaluators="验收评定组",
        note="改造后现场评定（项目验收同步开展）",
        submit=True,
    )


def _projects(*, district, finance, cashier, lines, rnd):

    provider_users, evaluators = _users()
    diagnoses = list(
        Diagnosis.objects.filter(status=DiagnosisStatus.ACCEPTED, is_current=True, enterprise__status=Status.ACTIVE)
        .select_related("enterprise", "provider")
        .order_by("enterprise_id")
    )

    bodies = {a.enterprise_id: a.evaluation_body_id for a in EvaluatorAssignment.objects.order_by("assigned_on", "pk")}
    policy = SubsidyPolicy.objects.filter(is_active=True).order_by("pk").first()
    central = lines[BudgetPurpose.SME_TRANSFORMATION]
    benchmark = lines[BudgetPurpose.BENCHMARK_DEMO]
    voucher = 1
    for i, diagnosis in enumerate(diagnoses):
        story = SCRIPT[i % len(SCRIPT)] if i < 2 * len(SCRIPT) else None
        enterprise = diagnosis.enterprise
        provider_user = provider_users.get(diagnosis.provider_id)
        evaluator = evaluators.get(bodies.get(enterprise.pk))
        if story is None or provider_user is None or evaluator is None:
            continue
        # Half the projects were filed in 2025, the other half in 2026.
        start = max(diagnosis.accepted_on or datetime.date(2025, 1, 6), datetime.date(2025, 1, 6))
        if i % 2:
            start = max(start, datetime.date(2026, 1, 5)) + datetime.timedelta(days=(i * 3) % 40)
        filed = _day(start + datetime.timedelta(days=14 + i % 9))
        if story in ("filed",) and filed < _today() - datetime.timedelta(days=120):
            filed = _day(_today() - datetime.timedelta(days=20 + i))
        spend = D(380000 + (i * 73000) % 1100000).quantize(D("1"))
        software = (spend * D(rnd.choice(["0.45", "0.55", "0.62", "0.70"]))).quantize(D("0.01"))
        cloud = (spend * D("0.10")).quantize(D("0.01"))
        equipment = (spend * D("0.15")).quantize(D("0.01"))
        is_chain = i % 11 == 4
        if is_chain:
            software = (spend * D("0.65")).quantize(D("0.01"))
        other = spend - software - cloud - equipment
        scenes = rnd.sample(SCENE_POOL, 3)
        project = projects.project_file(
            actor=provider_user,
            enterprise=enterprise,
            provider=diagnosis.provider,
            contract_no=f"SJSZ-{filed.year}-{i + 1:03d}",
            total_investment=spend + D(50000),
            software_amount=software,
            cloud_amount=cloud,
            equipment_amount=equipment,
            other_amount=other,
            title=f"{enterprise.name[2:8]}数字化改造项目",
            contract_signed_on=filed - datetime.timedelta(days=7),
            planned_start_on=filed + datetime.timedelta(days=10),
            planned_end_on=filed + datetime.timedelta(days=200),
            scenes=scenes,
            is_chain_project=is_chain,
            date=filed,
        )
        evidence.project_evidence_attach(
            actor=provider_user, project=project, upload=_pdf(f"合同-{project.contract_no}.pdf"), purpose="contract"
        )
        if story == "filed":
            continue
        if story == "cancelled":
            projects.project_cancel(
                actor=district,
                project=project,
                reason="企业经营调整，主动放弃改造项目",
                date=_day(filed + datetime.timedelta(days=30)),
            )
            continue
        approved = _day(filed + datetime.timedelta(days=12))
        projects.project_approve(actor=district, project=project, date=approved, reason="备案材料齐全，同意实施")
        for step, pct in enumerate((30, 65) if story != "approved" else (35,), start=1):
            projects.project_progress(
                actor=provider_user,
                project=project,
                progress=pct,
                note=["MES 系统部署完成，开始试运行", "设备数据采集接入，质量模块上线"][step - 1],
                date=_day(approved + datetime.timedelta(days=40 * step)),
            )
        if story == "approved":
            continue
        requested = _day(approved + datetime.timedelta(days=130))
        for purpose, name in (("invoice", "发票"), ("payment_slip", "付款凭证"), ("spend_list", "支出清单")):
            evidence.project_evidence_attach(
                actor=provider_user, project=project, upload=_pdf(f"{name}-{project.contract_no}.pdf"), purpose=purpose
            )
        if i % 3:
            evidence.project_evidence_attach(
                actor=provider_user,
                project=project,
                upload=_pdf(f"自评价-{project.contract_no}.pdf"),
                purpose="self_evaluation",
            )
        projects.project_progress(
            actor=provider_user,
            project=project,
            progress=100,
            note="改造内容全部完成",
            date=_day(requested - datetime.timedelta(days=3)),
        )
        projects.project_request_acceptance(actor=provider_user, project=project, date=requested)
        if story == "requested":
            continue
        inspected = _day(requested + datetime.timedelta(days=18))
        checklist = {"contract": True, "invoices": True, "payment_slips": True, "spend_list": True,
                     "self_evaluation": bool(i % 3), "systems_running": True}  # fmt: skip
        if story in ("failed", "refail", "fail_then_pass"):
            projects.project_accept(
                actor=evaluator,
                project=project,
                passed=False,
                accepted_on=inspected,
                findings=FINDINGS_FAIL[i % len(FINDINGS_FAIL)],
                checklist={**checklist, "invoices": False, "systems_running": False},
            )
            if story == "failed":
                continue
            requested = _day(inspected + datetime.timedelta(days=45))
            projects.project_request_acceptance(
                actor=provider_user, project=project, date=requested, reason="已按验收意见完成整改"
            )
            if story == "refail":
                continue
            inspected = _day(requested + datetime.timedelta(days=14))
        # Passed: the on-site post-transformation evaluation happens with the acceptance.
        level = 1 if story == "low_level" else 2 + (i % 3 == 0)
        post = _post_assessment(
            enterprise,
            level=level,
            on=_day(inspected - datetime.timedelta(days=2)),
            evaluator=evaluator,
            district=district,
            rnd=rnd,
        )
        projects.project_accept(
            actor=evaluator,
            project=project,
            passed=True,
            accepted_on=inspected if story != "corrected" else inspected - datetime.timedelta(days=30),
            findings="改造内容与备案一致，系统运行正常。",
            checklist=checklist,
            post_assessment=post,
        )
        if story == "corrected":
            acceptance = project.acceptances.get()
            projects.acceptance_correct(
                actor=district,
                acceptance=acceptance,
                accepted_on=inspected,
                findings="改造内容与备案一致，系统运行正常；验收日期录入有误，已更正。",
                reason="验收日期录入错误（按验收报告更正）",
                date=_day(inspected + datetime.timedelta(days=5)),
            )
        project.refresh_from_db()
        # The subsidy: as the policy computes it, split between the sources for some projects.
        allowed = ledger.subsidy_for(project, policy)
        if allowed <= 0:
            continue
        committed_on = _day(inspected + datetime.timedelta(days=10))
        if story == "paid_split":
            district_part = (allowed * D("0.3")).quantize(D("0.01"))
            split = [(central, allowed - district_part), (benchmark, district_part)]
        else:
            split = [(central, allowed)]
        commitment = ledger.commitment_create(
            actor=district,
            title=f"数字化改造补贴：{enterprise.name}",
            lines=split,
            committed_on=committed_on,
            project=project,
            policy=policy,
            note="按补贴政策（默认口径）核定",
        )
        if story == "low_level":
            continue  # post level 1: the central subsidy cannot be paid (the gate shows on the page)
        requested_on = _day(committed_on + datetime.timedelta(days=7))
        account = f"3100{enterprise.pk:06d}8801"
        for cl in commitment.lines.select_related("budget_line").order_by("pk"):
            d = ledger.disbursement_request(
                actor=district,
                commitment_line=cl,
                amount=cl.amount,
                requested_on=requested_on,
                payee_account=account,
                reason="验收通过，改造后评定达到二级及以上，申请拨付",
            )
            if story == "requested_payment":
                continue
            if story == "rejected_payment":
                ledger.disbursement_reject(
                    actor=finance, disbursement=d, reason="收款账户与企业开户信息不符，请核实后重新申请"
                )
                continue
            ledger.disbursement_approve(
                actor=finance, disbursement=d, date=_day(requested_on + datetime.timedelta(days=5))
            )
            if story == "approved_paid_pending":
                continue
            paid_on = _day(requested_on + datetime.timedelta(days=12))
            d = ledger.disbursement_pay(
                actor=cashier, disbursement=d, voucher_no=f"SJCZ{paid_on:%Y%m}{voucher:04d}", date=paid_on
            )
            voucher += 1
            evidence.disbursement_invoice_attach(
                actor=finance, disbursement=d, upload=_pdf(f"拨付凭证-{d.voucher_no}.pdf")
            )
            if story == "reversed":
                reversed_on = _day(paid_on + datetime.timedelta(days=6))
                ledger.disbursement_reverse(
                    actor=finance, disbursement=d, reason="收款账户错误，资金退回，冲销后重新拨付", date=reversed_on
                )
                _request_and_pay(
                    district=district,
                    finance=finance,
                    cashier=cashier,
                    commitment_line=cl,
                    amount=cl.amount,
                    requested_on=reversed_on,
                    approved_on=_day(reversed_on + datetime.timedelta(days=3)),
                    paid_on=_day(reversed_on + datetime.timedelta(days=8)),
                    voucher_no=f"SJCZ{reversed_on:%Y%m}{voucher:04d}",
                    payee_account=f"3100{enterprise.pk:06d}8802",
                    reason="更正收款账户后重新申请",
                )
                voucher += 1


def _request_and_pay(
    *, district, finance, cashier, commitment_line, amount, requested_on, approved_on, paid_on, voucher_no, **request
):
    """A payment through its whole course: requested by the district, approved by ``finance`` and
    paid by ``cashier`` (four eyes)."""
    disbursement = ledger.disbursement_request(
        actor=district, commitment_line=commitment_line, amount=amount, requested_on=requested_on, **request
    )
    ledger.disbursement_approve(actor=finance, disbursement=disbursement, date=approved_on)
    return ledger.disbursement_pay(actor=cashier, disbursement=disbursement, voucher_no=voucher_no, date=paid_on)


def _other_spending(*, district, finance, cashier, lines):
    """Commitments outside project subsidies: the platform, providers' training, evaluation contracts…"""
    plan = [
        (BudgetPurpose.PLATFORM, "松江区中小企业数字化转型公共服务平台（一期）建设", D("3200000.00"), datetime.date(2025, 3, 10), D("1600000.00")),
        (BudgetPurpose.PROVIDER_CAPABILITY, "服务商能力提升培训（2025 年度）", D("800000.00"), datetime.date(2025, 5, 20), D("800000.00")),
        (BudgetPurpose.CHAIN_TRANSFORMATION, "汽车零部件链式转型试点（链主带动）", D("2500000.00"), datetime.date(2025, 8, 1), D("1000000.00")),
        (BudgetPurpose.PURCHASED_SERVICES, "试点全过程咨询服务采购", D("1500000.00"), datetime.date(2025, 2, 15), D("750000.00")),
        (BudgetPurpose.EVALUATION_ACCEPTANCE, "第三方评测与验收服务合同（2025—2026）", D("2400000.00"), datetime.date(2025, 1, 20), D("1200000.00")),
        (BudgetPurpose.PUBLIC_PLATFORM, "公共服务平台运营（2026 年度）", D("1800000.00"), datetime.date(2026, 2, 10), None),
        (BudgetPurpose.PUBLICITY, "试点宣传与供需对接活动", D("600000.00"), datetime.date(2025, 6, 18), D("600000.00")),
        (BudgetPurpose.PROCESS_MANAGEMENT, "试点全过程管理服务", D("1200000.00"), datetime.date(2025, 4, 8), D("600000.00")),
        (BudgetPurpose.AUDIT, "试点资金专项审计（中期）", D("400000.00"), datetime.date(2026, 3, 2), None),
    ]  # fmt: skip
    voucher = 900
    for purpose, title, amount, on, paid in plan:
        commitment = ledger.commitment_create(
            actor=district, title=title, lines=[(lines[purpose], amount)], committed_on=_day(on)
        )
        if not paid:
            continue
        _request_and_pay(
            district=district,
            finance=finance,
            cashier=cashier,
            commitment_line=commitment.lines.get(),
            amount=paid,
            requested_on=_day(on + datetime.timedelta(days=30)),
            approved_on=_day(on + datetime.timedelta(days=35)),
            paid_on=_day(on + datetime.timedelta(days=40)),
            voucher_no=f"SJCZ{on:%Y%m}{voucher:04d}",
        )
        voucher += 1


def _recognitions(*, district, rnd):
    """Recognitions about part-way to the targets (7: 40, 10: 12, 11: 15, 12: 55, 13: 1)."""

    pool = list(Enterprise.objects.filter(status=Status.ACTIVE).order_by("pk")[:300])
    # Distinct enterprises while there are enough (a small test database goes round again).
    picks = itertools.cycle(rnd.sample(pool, min(len(pool), 120)))

    def day(n, year):
        start = datetime.date(2025, 1, 15) if year == 2025 else datetime.date(2026, 1, 12)
        span = 330 if year == 2025 else 280
        return _day(start + datetime.timedelta(days=(n * 37) % span))

    plan = (
        [(RecognitionKind.DIGITAL_WORKSHOP, RecognitionLevel.DISTRICT, "区级数字化车间")] * 9
        + [(RecognitionKind.DIGITAL_WORKSHOP, RecognitionLevel.MUNICIPAL, "上海市数字化车间")] * 5
        + [(RecognitionKind.SMART_FACTORY, RecognitionLevel.DISTRICT, "区级智能工厂")] * 4
        + [(RecognitionKind.SMART_FACTORY, RecognitionLevel.MUNICIPAL, "上海市智能工厂")] * 5
        + [(RecognitionKind.SMART_FACTORY, RecognitionLevel.NATIONAL, "国家级智能制造示范工厂")] * 1
        + [(RecognitionKind.DEMO_SCENARIO, RecognitionLevel.MUNICIPAL, "上海市智能制造示范场景")] * 3
        + [(RecognitionKind.DEMO_SCENARIO, RecognitionLevel.DISTRICT, "区级数字化示范应用场景")] * 2
        + [(RecognitionKind.TYPICAL_SCENARIO, RecognitionLevel.DISTRICT, "数字化转型典型优秀应用场景方案")] * 24
        + [(RecognitionKind.TYPICAL_SCENARIO, RecognitionLevel.MUNICIPAL, "上海市数字化转型典型场景案例")] * 8
    )
    for n, (kind, level, label) in enumerate(plan):
        enterprise = next(picks)
        recognitions.recognition_create(
            actor=district,
            kind=kind,
            level=level,
            recognised_on=day(n, 2025 if n % 5 < 3 else 2026),
            title=f"{enterprise.name[2:8]} · {label}",
            enterprise=enterprise,
            issuer={
                "district": "松江区经济委员会",
                "municipal": "上海市经济和信息化委员会",
                "national": "工业和信息化部",
            }[level],
        )
    platforms = ["树根互联根云平台", "卡奥斯COSMOPlat", "宝信xIn3Plat", "徐工汉云平台", "用友精智工业互联网平台"]
    for n in range(7):
        leader = next(picks)
        members = [next(picks) for _ in range(3 + n % 3)]
        recognitions.recognition_create(
            actor=district,
            kind=RecognitionKind.CHAIN_MODEL,
            level=RecognitionLevel.MUNICIPAL if n < 3 else RecognitionLevel.DISTRICT,
            recognised_on=day(n + 3, 2025 if n < 4 else 2026),
            title=f"{leader.name[2:8]}链式数字化转型模式",
            enterprise=leader,
            members=members,
            platform_name=platforms[n % len(platforms)],
            gongfu_lianzhu=n < 3,
            issuer="上海市经济和信息化委员会" if n < 3 else "松江区经济委员会",
            note="链主企业带动上下游中小企业协同改造；链式项目软件类投入占比不低于 60%。",
        )
    recognitions.recognition_create(
        actor=district,
        kind=RecognitionKind.PLATFORM,
        level=RecognitionLevel.DISTRICT,
        recognised_on=_day(datetime.date(2025, 9, 28)),
        title="松江区中小企业数字化转型公共服务平台",
        issuer="松江区经济委员会",
        platform_name="松江区中小企业数字化转型公共服务平台",
        note="三个细分行业共用，2025 年 9 月上线运行。",
    )


def _financing(*, district, finance, cashier, lines):

    products = [
        financing.financial_product_create(
            actor=district,
            bank=bank,
            name=name,
            rate=rate,
            limit=limit,
            term_months=term,
            note=note,
            is_active=not note.startswith("2026"),
        )  # fmt: skip
        for bank, name, rate, limit, term, note in PRODUCTS
    ]
    enterprises = list(Enterprise.objects.filter(status=Status.ACTIVE).order_by("-pk")[:8])
    line = lines[BudgetPurpose.INTEREST_SUBSIDY]
    voucher = 700
    for n, enterprise in enumerate(enterprises):
        loan = D(1000000 + 500000 * (n % 4))
        loan_on = datetime.date(2025, 3, 1) + datetime.timedelta(days=45 * n)
        subsidy = financing.interest_subsidy_grant(
            actor=district,
            enterprise=enterprise,
            financial_product=products[n % 4],
            loan_amount=loan,
            loan_on=_day(loan_on),
            amount=(loan * D("0.015")).quantize(D("0.01")),
            granted_on=_day(loan_on + datetime.timedelta(days=60)),
            budget_line=line,
            note="数字化改造贷款贴息（贴息比例 1.5 个百分点）",
        )
        if n % 3 == 2:
            continue
        cl = subsidy.commitments.get().lines.get()
        _request_and_pay(
            district=district,
            finance=finance,
            cashier=cashier,
            commitment_line=cl,
            amount=cl.amount,
            requested_on=_day(loan_on + datetime.timedelta(days=75)),
            approved_on=_day(loan_on + datetime.timedelta(days=80)),
            paid_on=_day(loan_on + datetime.timedelta(days=88)),
            voucher_no=f"SJTX{loan_on:%Y%m}{voucher:04d}",
        )
        voucher += 1


def seed_funding(*, district, finance, cashier):
    """Seed the demo ledger, projects, recognitions and financing list (nothing when projects or
    budget lines exist already). Four eyes: the district requests, ``finance`` approves (and rejects
    and reverses), a second finance officer, ``cashier``, records the payments."""
    if Project.objects.exists() or BudgetLine.objects.exists() or Recognition.objects.exists():
        return
    rnd = random.Random(SEED)
    lines = _budget(finance)
    _other_spending(district=district, finance=finance, cashier=cashier, lines=lines)
    _projects(district=district, finance=finance, cashier=cashier, lines=lines, rnd=rnd)
    _recognitions(district=district, rnd=rnd)
    _financing(district=district, finance=finance, cashier=cashier, lines=lines)
