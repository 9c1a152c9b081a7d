"""Downloads of the funding app: the project list, the recognitions, the fund ledger
(lines, commitments and disbursements sheets) and the 金融清单 (financial products and interest
subsidies), as xlsx — and csv (UTF-8 with BOM) for the two plain lists.

As in ``enterprises.exports``: the caller passes querysets already narrowed to the viewer's scope and
filters; every text cell goes through :func:`core.tabular.writing.safe_cell` (a value starting like a
formula gets a leading apostrophe); every download is logged with who took it. Headers are Chinese:
the lists are documents handed on, whatever the reader's language. Money in 元, exact.
"""

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from core.downloads import logged_download
from core.tabular import writing
from providers.choices import SCENE_LABELS

from . import permissions, selectors
from .balances import ZERO
from .choices import CommitmentStatus, DisbursementStatus
from .models import CommitmentLine, Disbursement

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

PROJECT_HEADERS = [
    "项目编号",
    "企业名称",
    "统一社会信用代码",
    "所属街镇",
    "细分行业",
    "服务商",
    "项目名称",
    "合同编号",
    "合同签订日期",
    "总投资（元）",
    "软件（元）",
    "云服务（元）",
    "数据采集设备（元）",
    "其他（元）",
    "合规投入（元）",
    "软件类占比",
    "目标场景",
    "目标等级",
    "链式改造项目",
    "状态",
    "进度（%）",
    "备案日期",
    "批准日期",
    "申请验收日期",
    "验收通过日期",
    "验收次数",
]
PROJECT_MONEY_HEADERS = ["已承诺补贴（元）", "已拨付补贴（元）"]
RECOGNITION_HEADERS = [
    "类型",
    "级别",
    "认定日期",
    "名称",
    "认定单位",
    "企业（链主）",
    "统一社会信用代码",
    "成员企业",
    "工业互联网平台",
    "工赋链主",
    "备注",
]
LINE_HEADERS = [
    "资金来源",
    "用途",
    "预算科目",
    "预算（元）",
    "已承诺（元）",
    "已申请及拨付（元）",
    "已拨付（元）",
    "可承诺余额（元）",
]
COMMITMENT_HEADERS = [
    "承诺编号",
    "名称",
    "企业",
    "项目编号",
    "承诺日期",
    "状态",
    "资金来源",
    "预算科目",
    "金额（元）",
    "补贴政策",
]
DISBURSEMENT_HEADERS = [
    "拨付编号",
    "承诺编号",
    "承诺名称",
    "企业",
    "资金来源",
    "预算科目",
    "金额（元）",
    "批次",
    "状态",
    "申请日期",
    "审批日期",
    "拨付日期",
    "凭证号",
    "收款账户",
    "冲销的拨付编号",
    "说明",
]
PRODUCT_HEADERS = ["银行", "产品", "年利率（%）", "额度（元）", "期限（月）", "在售", "备注"]
SUBSIDY_HEADERS = [
    "企业",
    "统一社会信用代码",
    "所属街镇",
    "金融产品",
    "贷款金额（元）",
    "贷款日期",
    "贴息贴费（元）",
    "批准日期",
    "已拨付（元）",
    "备注",
]


def _yes(value):
    return "是" if value else "否"


def _scenes(codes):
    return "、".join(str(SCENE_LABELS.get(code, code)) for code in codes or [])


def _share(value):
    return None if value is None else round(float(value), 4)


# --- writing ----------------------------------------------------------------------------------


def workbook_bytes(sheets):
    """``sheets``: ``[(title, headers, rows)]`` → xlsx bytes, every cell formula-safe (write-only mode)."""
    return writing.write_xlsx(sheets)


def csv_bytes(headers, rows):
    """UTF-8 with BOM (Excel on Chinese Windows); every text cell formula-safe."""
    return writing.write_csv(headers, rows)


def _download(request, *, title, kind, content, fmt, count):
    filename = f"{title}_{timezone.localdate():%Y%m%d}.{fmt}"
    return logged_download(
        request,
        filename=filename,
        content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE,
        kind=kind,
        content=content,
        row_count=count,
    )


# --- projects ---------------------------------------------------------------------------------


def project_rows(queryset, *, with_money):
    queryset = queryset.select_related("enterprise__unit", "provider").order_by("-filed_on", "-pk")
    if with_money:
        money = DecimalField(max_digits=16, decimal_places=2)
        committed = (
            CommitmentLine.objects.filter(
                commitment__project=OuterRef("pk"), commitment__status=CommitmentStatus.ACTIVE
            )
            .order_by()
            .values("commitment__project")
            .annotate(t=Sum("amount"))
            .values("t")[:1]
        )
        paid = (
            Disbursement.objects.filter(
                Q(commitment_line__commitment__project=OuterRef("pk")), status=DisbursementStatus.PAID
            )
            .order_by()
            .values("commitment_line__commitment__project")
            .annotate(t=Sum("amount"))
            .values("t")[:1]
        )
        queryset = queryset.annotate(
            subsidy_committed=Coalesce(Subquery(committed), Value(ZERO), output_field=money),
            subsidy_paid=Coalesce(Subquery(paid), Value(ZERO), output_field=money),
        )
    with translation.override("zh-hans"):
        for p in queryset.iterator(chunk_size=500):
            row = [
                p.pk,
                p.enterprise.name,
                p.enterprise.credit_code,
                p.enterprise.unit.name,
                str(p.enterprise.get_sector_display()),
                p.provider.name,
                p.title,
                p.contract_no,
                p.contract_signed_on,
                p.total_investment,
                p.software_amount,
                p.cloud_amount,
                p.equipment_amount,
                p.other_amount,
                p.eligible_spend,
                _share(p.software_share),
                _scenes(p.scenes),
                p.target_level,
                _yes(p.is_chain_project),
                str(p.get_status_display()),
                p.progress,
                p.filed_on,
                p.approved_on,
                p.acceptance_requested_on,
                p.accepted_on,
                p.acceptance_attempts,
            ]
            if with_money:
                row += [p.subsidy_committed, p.subsidy_paid]
            yield row


def export_projects(request, queryset, fmt):
    """The project list (scoped, filtered) as xlsx or csv; subsidy columns only for ledger readers."""
    with_money = permissions.can_see_ledger(request.user)[0]
    headers = PROJECT_HEADERS + (PROJECT_MONEY_HEADERS if with_money else [])
    rows = project_rows(queryset, with_money=with_money)
    title = "数字化改造项目清单"
    content = csv_bytes(headers, rows) if fmt == "csv" else workbook_bytes([(title, headers, rows)])
    return _download(request, title=title, kind="project_export", content=content, fmt=fmt, count=queryset.count())


# --- recognitions -----------------------------------------------------------------------------


def recognition_rows(queryset):
    with translation.override("zh-hans"):
        for r in queryset.select_related("enterprise").prefetch_related("members").order_by("-recognised_on", "-pk"):
            yield [
                str(r.get_kind_display()),
                str(r.get_level_display()),
                r.recognised_on,
                r.title,
                r.issuer,
                r.enterprise.name if r.enterprise else "",
                r.enterprise.credit_code if r.enterprise else "",
                "、".join(m.name for m in sorted(r.members.all(), key=lambda m: m.name)),
                r.platform_name,
                _yes(r.gongfu_lianzhu),
                r.note,
            ]


def export_recognitions(request, queryset, fmt):
    title = "认定清单"
    rows = recognition_rows(queryset)
    headers = RECOGNITION_HEADERS
    content = csv_bytes(headers, rows) if fmt == "csv" else workbook_bytes([(title, headers, rows)])
    return _download(request, title=title, kind="recognition_export", content=content, fmt=fmt, count=queryset.count())


# --- the ledger -------------------------------------------------------------------------------


def line_rows(viewer):
    with translation.override("zh-hans"):
        for line in selectors.budget_lines(viewer=viewer).order_by("source__kind", "purpose"):
            yield [
                line.source.name,
                str(line.get_purpose_display()),
                line.name,
                line.amount,
                line.committed,
                line.claimed,
                line.paid,
                line.amount - line.committed,
            ]


def commitment_rows(viewer):
    commitments = selectors.commitment_list(viewer=viewer)
    lines = (
        CommitmentLine.objects.filter(commitment__in=commitments)
        .select_related("commitment__enterprise", "commitment__policy", "budget_line__source")
        .order_by("-commitment__committed_on", "commitment_id", "pk")
    )
    with translation.override("zh-hans"):
        for cl in lines:
            c = cl.commitment
            yield [
                c.pk,
                c.title,
                c.enterprise.name if c.enterprise else "",
                c.project_id,
                c.committed_on,
                str(c.get_status_display()),
                cl.budget_line.source.name,
                cl.budget_line.name,
                cl.amount,
                c.policy.name if c.policy else "",
            ]


def disbursement_rows(viewer):
    queryset = selectors.disbursement_list(viewer=viewer).order_by("requested_on", "pk")
    with translation.override("zh-hans"):
        for d in queryset:
            c = d.commitment_line.commitment
            yield [
                d.pk,
                c.pk,
                c.title,
                c.enterprise.name if c.enterprise else "",
                d.commitment_line.budget_line.source.name,
                d.commitment_line.budget_line.name,
                d.amount,
                d.tranche,
                str(d.get_status_display()),
                d.requested_on,
                d.approved_on,
                d.paid_on,
                d.voucher_no,
                d.payee_account,
                d.reverses_id,
                d.reason,
            ]


def export_ledger(request):
    """The ledger (ledger readers only; the view checks): budget lines, commitments, disbursements."""
    viewer = request.user
    content = workbook_bytes(
        [
            ("预算科目", LINE_HEADERS, line_rows(viewer)),
            ("资金承诺", COMMITMENT_HEADERS, commitment_rows(viewer)),
            ("拨付", DISBURSEMENT_HEADERS, disbursement_rows(viewer)),
        ]
    )
    count = selectors.disbursement_list(viewer=viewer).count()
    return _download(request, title="资金台账", kind="ledger_export", content=content, fmt="xlsx", count=count)


# --- 金融清单 ----------------------------------------------------------------------------------


def product_rows(viewer):
    for p in selectors.financial_product_list(viewer=viewer).order_by("bank", "name"):
        yield [p.bank, p.name, p.rate, p.limit, p.term_months, _yes(p.is_active), p.note]


def subsidy_rows(viewer):
    subsidies = list(selectors.interest_subsidy_list(viewer=viewer).order_by("-granted_on", "-pk"))
    paid = {}
    for subsidy_id, amount in Disbursement.objects.filter(
        commitment_line__commitment__interest_subsidy__in=[s.pk for s in subsidies], status=DisbursementStatus.PAID
    ).values_list("commitment_line__commitment__interest_subsidy", "amount"):
        paid[subsidy_id] = paid.get(subsidy_id, ZERO) + amount
    for s in subsidies:
        yield [
            s.enterprise.name,
            s.enterprise.credit_code,
            s.enterprise.unit.name,
            str(s.financial_product) if s.financial_product else "",
            s.loan_amount,
            s.loan_on,
            s.amount,
            s.granted_on,
            paid.get(s.pk, ZERO),
            s.note,
        ]


def export_financing(request):
    """The 金融清单: products, and the interest subsidies the viewer may see."""
    viewer = request.user
    content = workbook_bytes(
        [
            ("金融产品", PRODUCT_HEADERS, product_rows(viewer)),
            ("贴息贴费", SUBSIDY_HEADERS, subsidy_rows(viewer)),
        ]
    )
    count = selectors.financial_product_list(viewer=viewer).count()
    return _download(request, title="金融清单", kind="financing_export", content=content, fmt="xlsx", count=count)
