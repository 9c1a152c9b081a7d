"""The back-fill's sheets as column schemas: projects (项目), acceptances (验收) and payments (拨付),
their columns with a parser each, and the tables the coded cells are matched against."""

import dataclasses
import functools
import logging
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.money import Sign
from core.programme import PILOT_START
from core.tabular import cells, reading
from core.tabular.cells import value_key
from core.tabular.schema import Column, Schema, header_key
from diagnostics.models import Scene

from ..choices import BudgetPurpose
from ..models import FundSource

logger = logging.getLogger(__name__)


# --- The three kinds of rows ------------------------------------------------------------------------

ENTERPRISE = Column(
    "enterprise",
    "企业统一社会信用代码",
    False,
    (
        "enterprise credit code",
        "enterprise",
        "企业信用代码",
        "统一社会信用代码",
        "企业统一信用代码",
        "社会信用代码",
        "信用代码",
    ),
)
CONTRACT = Column("contract_no", "合同编号", True, ("contract no", "contract number", "contract", "合同号"), 64)

PROJECT_COLUMNS = (
    Column(ENTERPRISE.key, ENTERPRISE.header, True, ENTERPRISE.aliases),
    Column("enterprise_name", "企业名称", False, ("enterprise name", "企业")),
    Column(
        "provider",
        "服务商统一社会信用代码",
        True,
        ("provider credit code", "provider", "服务商信用代码", "服务商代码", "服务商统一信用代码"),
    ),
    CONTRACT,
    Column("title", "项目名称", False, ("title", "project title", "project name", "项目"), 200),
    Column("filed_on", "备案日期", True, ("filed on", "filed", "filing date", "备案时间")),
    Column("approved_on", "审批通过日期", False, ("approved on", "approved", "approval date", "审批日期", "批准日期")),
    Column(
        "acceptance_requested_on",
        "申请验收日期",
        False,
        ("acceptance requested on", "acceptance requested", "验收申请日期"),
    ),
    Column("total_investment", "总投资（元）", True, ("total investment", "总投资", "项目总投资")),
    Column("software_amount", "软件（元）", True, ("software", "software amount", "软件", "软件投入")),
    Column("cloud_amount", "云服务（元）", False, ("cloud", "cloud amount", "cloud services", "云服务", "上云")),
    Column(
        "equipment_amount",
        "数据采集设备（元）",
        False,
        ("equipment", "equipment amount", "data-collection equipment", "数据采集设备", "设备"),
    ),
    Column("other_amount", "其他（元）", False, ("other", "other amount", "其他", "其他费用")),
    Column("target_level", "目标等级", False, ("target level", "目标级别", "目标水平等级")),
    Column("scenes", "改造场景", False, ("scenes", "target scenes", "场景", "目标场景")),
    Column(
        "is_chain_project",
        "链式改造项目",
        False,
        ("chain", "chain project", "chain flag", "是否链式改造", "链式改造"),
    ),
)
ACCEPTANCE_COLUMNS = (
    CONTRACT,
    ENTERPRISE,
    Column("accepted_on", "验收日期", True, ("inspection date", "inspected on", "accepted on", "验收时间")),
    Column("passed", "验收结论", True, ("passed", "result", "是否通过", "结论", "验收结果")),
    Column("findings", "验收意见", False, ("findings", "意见", "问题与意见", "验收发现")),
    Column(
        "evaluation_body",
        "评估机构统一社会信用代码",
        True,
        (
            "evaluation body credit code",
            "evaluation body",
            "评估机构信用代码",
            "评估机构代码",
            "第三方机构统一社会信用代码",
        ),
    ),
    Column(
        "re_requested_on",
        "复验申请日期",
        False,
        ("re-inspection requested on", "reinspection requested on", "复验申请时间"),
    ),
)
PAYMENT_COLUMNS = (
    CONTRACT,
    ENTERPRISE,
    Column("source", "资金来源", True, ("fund source", "source", "资金渠道")),
    Column("purpose", "资金用途", True, ("purpose", "budget purpose", "budget line", "预算科目", "用途")),
    Column("committed_amount", "承诺金额（元）", False, ("committed amount", "承诺金额", "核定补贴金额")),
    Column("committed_on", "承诺日期", False, ("committed on", "commitment date", "核定日期")),
    Column("amount", "拨付金额（元）", False, ("payment amount", "amount", "拨付金额", "支付金额")),
    Column("tranche", "拨付批次", False, ("tranche", "批次")),
    Column("requested_on", "拨付申请日期", False, ("requested on", "request date", "申请日期")),
    Column("approved_on", "拨付审核日期", False, ("approved on", "approval date", "审核日期")),
    Column("paid_on", "支付日期", False, ("paid on", "payment date", "拨付日期", "到账日期")),
    Column("voucher_no", "凭证号", False, ("voucher no", "voucher number", "voucher", "凭证编号"), 64),
    Column("payee_account", "收款账号", False, ("payee account", "account", "收款账户"), 64),
    # The officers who took each step, as the programme's documents name them (the back-fill is
    # exempt from the four-eyes rule; the names are what the auditors check instead).
    Column("requested_by_name", "申请人", False, ("requested by", "requester", "拨付申请人", "申请经办人"), 100),
    Column("approved_by_name", "审核人", False, ("approved by", "approver", "拨付审核人", "审批人"), 100),
    Column("paid_by_name", "支付经办人", False, ("paid by", "payer", "支付人", "经办人"), 100),
)


@dataclass(frozen=True)
class Kind:
    """A kind of row: its key in results, the sheet it is written on, and its columns."""

    key: str
    sheet: str
    sheet_aliases: tuple
    columns: tuple

    @functools.cached_property
    def schema(self):
        """The columns with their parsers; the contract number marks the header row."""
        typed = tuple(dataclasses.replace(c, parse=parser_for(c.key)) for c in self.columns)
        return Schema(typed, anchor="contract_no")

    @property
    def keys(self):
        return {c.key for c in self.columns}

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


PROJECTS = Kind("projects", "项目", ("projects", "project", "改造项目", "数字化改造项目", "项目备案"), PROJECT_COLUMNS)
ACCEPTANCES = Kind("acceptances", "验收", ("acceptances", "acceptance", "项目验收", "验收记录"), ACCEPTANCE_COLUMNS)
PAYMENTS = Kind("payments", "拨付", ("payments", "payment", "资金拨付", "拨付记录"), PAYMENT_COLUMNS)
KINDS = (PROJECTS, ACCEPTANCES, PAYMENTS)
KINDS_BY_KEY = {k.key: k for k in KINDS}
#: The template's help sheets.
HELP_SHEETS = {"填写说明", "允许值", "说明", "instructions", "allowedvalues"}
#: Columns holding credit codes: kept as text in the error sheet.
CODE_KEYS = ("enterprise", "provider", "evaluation_body")


def kind_by_sheet_name(title):
    name = header_key(title)
    for kind in KINDS:
        if name in {header_key(n) for n in (kind.sheet, *kind.sheet_aliases)}:
            return kind
    return None


def _kind_score(kind, headers):
    table = kind.schema.table()
    keys = {table.get(header_key(h)) for h in headers} - {None, "contract_no", "enterprise"}
    return len(keys)


def guess_kind(rows):
    """The kind whose columns the first non-blank rows name best (at least two of its own)."""
    seen = 0
    for _number, row in rows:
        if reading.row_is_blank(row):
            continue
        seen += 1
        headers = [reading.header_text(v) for v in row[: reading.MAX_COLUMNS]]
        best = max(KINDS, key=lambda k: _kind_score(k, headers))
        if _kind_score(best, headers) >= 2:
            return best
        if seen >= reading.HEADER_SEARCH_ROWS:
            break
    return None


# --- Cells ----------------------------------------------------------------------------------------

LEVEL_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}

#: Chinese names of the budget purposes as the programme's documents write them (first = written).
PURPOSE_LABELS = {
    BudgetPurpose.SME_TRANSFORMATION: (
        "中小企业数字化改造和诊断补贴",
        "中小企业数字化改造补贴",
        "数字化改造补贴",
        "改造补贴",
    ),
    BudgetPurpose.PLATFORM: ("平台建设", "平台"),
    BudgetPurpose.PROVIDER_CAPABILITY: ("服务商能力提升", "服务商能力建设"),
    BudgetPurpose.CHAIN_TRANSFORMATION: ("链式转型", "链式数字化转型"),
    BudgetPurpose.PURCHASED_SERVICES: ("购买服务", "政府购买服务"),
    BudgetPurpose.BENCHMARK_DEMO: ("标杆示范",),
    BudgetPurpose.CHAIN_MODEL: ("链式模式", "链式转型模式"),
    BudgetPurpose.PROCESS_MANAGEMENT: ("全过程管理",),
    BudgetPurpose.PUBLIC_PLATFORM: ("公共服务平台",),
    BudgetPurpose.INTEREST_SUBSIDY: ("贴息贴费", "贷款贴息贴费"),
    BudgetPurpose.PUBLICITY: ("宣传推广", "宣传对接"),
    BudgetPurpose.EVALUATION_ACCEPTANCE: ("评估验收", "测评验收"),
    BudgetPurpose.AUDIT: ("审计",),
}
#: Short Chinese names of the fund sources by kind (first = written).
SOURCE_LABELS = {
    "central": ("中央资金", "中央财政资金", "中央财政补助资金", "中央", "中央补助"),
    "district": ("区级配套资金", "区级资金", "区配套资金", "区级", "区配套", "配套资金"),
}


def parse_date(value):
    """``(date, None)`` or ``(None, message)``: a date of the pilot (see :func:`core.tabular.cells.parse_date`),
    neither in the future nor before the pilot began."""
    day, message = cells.parse_date(value)
    if message:
        return None, message
    if day > timezone.localdate():
        return None, _("{date} is in the future; only what has happened is back-filled.").format(date=day.isoformat())
    if day < PILOT_START:
        return None, _("{date} is before the pilot began (October 2024). Check the year.").format(date=day.isoformat())
    return day, None


def parse_money(value):
    """``(Decimal, None)`` or ``(None, message)``: an amount in yuan, 0 or more, at most two decimals."""
    return cells.parse_money(value, sign=Sign.NON_NEGATIVE)


def parser_for(key):
    """The parser of a column, by its key: credit codes, dates (``*_on``), amounts, booleans, whole
    numbers, scenes; other columns are text."""
    if key in CODE_KEYS:
        return cells.parse_credit_code
    if key.endswith("_on"):
        return parse_date
    if key.endswith("amount") or key == "total_investment":
        return parse_money
    if key in ("passed", "is_chain_project"):
        return cells.parse_bool
    if key == "target_level":
        return parse_level
    if key == "tranche":
        return parse_tranche
    if key == "scenes":
        return parse_scenes
    return None


def parse_level(value):
    """The target level: 1–4, written 2, L2, 2级 or 二级."""
    return cells.parse_whole(value, 1, 4, words=LEVEL_WORDS, strip=r"^(L|l|level)|级$")


def parse_tranche(value):
    return cells.parse_whole(value, 1, 20, words=LEVEL_WORDS, strip=r"^(L|l|level)|级$")


@functools.lru_cache(maxsize=1)
def scene_table():
    """``{normalised name or code: code}`` of the current index edition's scenes."""
    table = {}
    for code, name in Scene.objects.filter(edition__is_current=True).values_list("code", "name"):
        table[value_key(code)] = code
        table[value_key(name)] = code
    return table


def scene_names():
    return list(Scene.objects.filter(edition__is_current=True).order_by("order").values_list("name", "code"))


def parse_scenes(value):
    parts = cells.split_list(value)
    table = scene_table()
    codes, unknown = [], []
    for part in parts:
        code = table.get(value_key(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        return None, _(
            "{values} is not a scene of the index. Write scene names separated by 、 (such as 生产管控、质量管理); "
            "the template's 允许值 sheet lists them."
        ).format(values="、".join(unknown))
    return codes, None


@functools.cache
def purpose_table():
    table = {}
    for purpose in BudgetPurpose:
        table[value_key(purpose.value)] = purpose.value
        for label in PURPOSE_LABELS.get(purpose, ()):
            table[value_key(label)] = purpose.value
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in BudgetPurpose.choices:
                table.setdefault(value_key(label), code)
    return table


def purpose_label(purpose):
    labels = PURPOSE_LABELS.get(purpose)
    return labels[0] if labels else purpose


def source_table():
    table = {}
    for source in FundSource.objects.all():
        for name in (source.code, source.name, source.kind, *SOURCE_LABELS.get(source.kind, ())):
            table.setdefault(value_key(name), source)
    return table
