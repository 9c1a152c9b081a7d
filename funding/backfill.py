"""History back-fill: the projects, acceptances and payments of the pilot since October
2024, from before the portal, loaded from spreadsheets with the roster's discipline.

**The file.** One workbook with up to three sheets — 项目 (projects), 验收 (acceptances) and
拨付 (payments) — or a CSV file holding one of them. A sheet is recognised by its name, else by
its header row; sheets named 填写说明 / 允许值 (the template's help) and sheets that hold none of
the three are ignored. One workbook rather than three kinds of file, because one upload then
carries a project from filing to payment, and the sheets are processed in that order (projects,
then acceptances, then payments) so later sheets can name projects of the earlier one. The file is
read by the tabular engine (:mod:`core.tabular`): the same streaming, encodings (UTF-8, GBK),
and messages for malformed files. At most :data:`MAX_ROWS` rows per file.

**Rows are written through the services** (:mod:`funding.services.projects`,
:mod:`funding.services.ledger`), in file order, with the uploader as actor, so every rule holds:
an accepted diagnosis before filing, the acceptance gate, the money rules, no future dates. Each
row runs in its own savepoint: a refused row is reported (row number, the column as written, and
why) and the others are written. The whole file is one transaction. **A preview runs exactly the
same code in a transaction that is rolled back**, so it predicts what the commit will do.

**Re-importing is safe**: a project is identified by enterprise + contract number, an acceptance by
project + inspection date, a payment by its voucher number (or, not yet paid, by its commitment
line, tranche, request date and amount). A row already recorded the same way is *unchanged*; a
row that goes further (an approval date added, a payment now paid) *updates* it; a row that
contradicts what is recorded is an error (records are corrected on their pages, not by import).

**Who**: district officials back-fill projects, acceptances and commitments; finance officers
back-fill payments (against commitments already recorded); admins everything. A row the uploader
may not write is an error saying so.
"""

import dataclasses
import datetime
import functools
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core import credit_code as cc
from core.errors import DomainError, PermissionDenied
from core.files import safe_file_name
from core.money import Sign
from core.programme import PILOT_START
from core.roles import DISTRICT_ROLES, GLOBAL_READ_ROLES, Role, has_role, role_of
from core.tabular import batches, cells, reading, writing
from core.tabular.batches import ACTIONS, BatchFailed, BatchImport, ProgressReporter, error_note
from core.tabular.cells import value_key
from core.tabular.schema import Column, Schema, header_key
from core.tabular.writing import TemplateWorkbook
from diagnostics.models import Scene
from enterprises.models import Enterprise
from enterprises.roster import example_credit_code
from providers.models import EvaluationBody, Provider

from .backfill_models import BackfillBatch
from .choices import PURPOSES_BY_SOURCE, BudgetPurpose, CommitmentStatus, DisbursementStatus, ProjectAction
from .choices import ProjectStatus as PS
from .models import Acceptance, BudgetLine, CommitmentLine, Disbursement, FundSource, Project
from .services import ledger
from .services import projects as project_services

logger = logging.getLogger(__name__)

#: Data rows one file may hold (all sheets together); a longer history is split into several files.
MAX_ROWS = 5_000
#: Files with more rows than this are processed by a background job (each row goes through the
#: services, some 40 queries: a few hundred rows fit in a request, thousands do not).
INLINE_MAX_ROWS = 200
TASK_NAME = "funding.tasks.backfill_task"
JOB_KIND = "history_backfill"
XLSX_TYPE = writing.XLSX_TYPE


# --- Who may back-fill ----------------------------------------------------------------------------


def can_backfill(user):
    """Upload history at all: the district (projects, acceptances, commitments), finance (payments), admins."""
    if has_role(user, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER):
        return True, ""
    return False, _("Only district officials and finance officers back-fill the programme's history.")


def can_view_backfills(user):
    """See the uploads: the roles that read the whole programme (auditors included)."""
    if role_of(user) in GLOBAL_READ_ROLES:
        return True, ""
    return False, _("Only the district, finance officers and auditors see the history back-fills.")


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


def _kind_by_sheet_name(title):
    name = header_key(title)
    for kind in KINDS:
        if name in {header_key(n) for n in (kind.sheet, *kind.sheet_aliases)}:
            return kind
    return None


def _kind_score(kind, headers):
    table = kind.schema.table()
    keys = {table.get(header_key(h)) for h in headers} - {None, "contract_no", "enterprise"}
    return len(keys)


def _guess_kind(rows):
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


# --- Reading the file -----------------------------------------------------------------------------


class _SheetMixin:
    """One sheet of a back-fill file, read by the roster engine with this kind's columns."""

    anchor = "contract_no"
    kind = None
    title = ""

    def detect_layout(self):
        if self.kind is None:
            rows = self.raw_rows()
            try:
                self.kind = _guess_kind(rows)
            finally:
                rows.close()
            if self.kind is None:
                return None
        self.schema = self.kind.schema
        return super().detect_layout()

    def header(self, key):
        """The header of a column as written in this sheet (its template header when absent)."""
        position = self.layout.index.get(key)
        return self.layout.headers[position] if position is not None else self.kind.column(key).header


class _CsvSheet(_SheetMixin, reading.CsvFile):
    def __init__(self, fileobj, *, name=""):
        super().__init__(fileobj, name=name)
        if self.kind is not None:
            self.title = self.kind.sheet


class _XlsxSheet(_SheetMixin, reading.XlsxFile):
    """A sheet of a workbook opened once for all its sheets (see BackfillFile)."""


def _sheet_error(title, exc):
    return DomainError(
        exc.code,
        _("Sheet “{sheet}”: {message}").format(sheet=title, message=exc.message),
        field="file",
        status=exc.status,
    )


class BackfillFile:
    """An opened back-fill file: ``sheets`` in processing order (projects, acceptances, payments)."""

    def __init__(self, fileobj, *, name=""):
        reading.check_size(reading.file_size(fileobj))
        self.format = reading.sniff_format(fileobj, name)
        self.workbook = None
        sheets = []
        if self.format == "xlsx":
            sheets = self._xlsx_sheets(fileobj, name)
        else:
            sheet = _CsvSheet(fileobj, name=name)
            if sheet.kind is not None:
                sheets = [sheet]
        if not sheets:
            self.close()
            raise DomainError(
                "no_history_sheet",
                _(
                    "No sheet of projects (项目), acceptances (验收) or payments (拨付) was found. Use the template: "
                    "its sheets have the right names and column headers."
                ),
                field="file",
            )
        seen = {}
        for sheet in sheets:
            if sheet.kind.key in seen:
                self.close()
                raise DomainError(
                    "duplicate_sheet",
                    _("The sheets “{first}” and “{second}” both hold {kind}: put them on one sheet.").format(
                        first=seen[sheet.kind.key], second=sheet.title, kind=sheet.kind.sheet
                    ),
                    field="file",
                )
            seen[sheet.kind.key] = sheet.title
        self.sheets = sorted(sheets, key=lambda s: KINDS.index(s.kind))

    def _xlsx_sheets(self, fileobj, name):
        self.workbook = reading.load_workbook(fileobj)
        sheets = []
        for worksheet in self.workbook.worksheets:
            if header_key(worksheet.title) in HELP_SHEETS:
                continue
            sheet = _XlsxSheet.of_sheet(self.workbook, worksheet, fileobj=fileobj, name=name)
            sheet.title = worksheet.title
            sheet.kind = _kind_by_sheet_name(worksheet.title)
            try:
                sheet.layout = sheet.detect_layout()
            except DomainError as exc:
                if sheet.kind is None or exc.code == "empty_roster":
                    continue  # an unrelated sheet, or one of the three left empty
                self.close()
                raise _sheet_error(worksheet.title, exc) from exc
            if sheet.kind is not None:
                sheets.append(sheet)
        return sheets

    def count_rows(self, limit=None):
        total = 0
        for sheet in self.sheets:
            total += sheet.count_rows(limit=None if limit is None else limit - total)
            if limit is not None and total >= limit:
                break
        return total

    def close(self):
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_backfill(fileobj, *, name=""):
    """Check and open an uploaded back-fill file (seekable, binary); use as a context manager."""
    try:
        return BackfillFile(fileobj, name=name)
    except DomainError as exc:
        if exc.code == "empty_roster":
            raise DomainError(
                "empty_file", _("The file holds no rows: fill in the template's sheets."), field="file"
            ) from exc
        raise


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
def _scene_table():
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
    table = _scene_table()
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
def _purpose_table():
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


def _source_table():
    table = {}
    for source in FundSource.objects.all():
        for name in (source.code, source.name, source.kind, *SOURCE_LABELS.get(source.kind, ())):
            table.setdefault(value_key(name), source)
    return table


# --- Rows -----------------------------------------------------------------------------------------


class BackfillFailed(BatchFailed):
    """The batch ended in failure (its ``error`` says why); raised by the task so the job fails too."""


class _RowFailed(Exception):
    """A service refused the row: its savepoint is rolled back (the error is already on the row)."""


@dataclass
class Row:
    """One data row of a sheet: values by column key, errors ``(column as written, message)``."""

    sheet: object
    number: int
    cells: tuple
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def kind(self):
        return self.sheet.kind

    def error(self, key, message):
        self.errors.append((self.sheet.header(key), str(message)))

    def has(self, key):
        return key in self.values and self.values[key] not in (None, "")


def _read(row):
    """Check every cell of ``row`` with its column's parser and normalise it into ``row.values``."""
    row.values = row.kind.schema.read_row(row.cells, row.sheet.layout, error=row.error)
    _check_order(row)


#: Dates that must not come before another: (later, earlier).
DATE_ORDER = {
    "projects": (("approved_on", "filed_on"), ("acceptance_requested_on", "approved_on")),
    "acceptances": (("accepted_on", "re_requested_on"),),
    "payments": (("requested_on", "committed_on"), ("approved_on", "requested_on"), ("paid_on", "approved_on")),
}


def _check_order(row):
    kind = row.kind.key
    for later, earlier in DATE_ORDER[kind]:
        if row.has(later) and row.has(earlier) and row.values[later] < row.values[earlier]:
            row.error(
                later,
                _("{later} ({date}) cannot come before {earlier} ({before}).").format(
                    later=row.sheet.header(later),
                    date=row.values[later].isoformat(),
                    earlier=row.sheet.header(earlier),
                    before=row.values[earlier].isoformat(),
                ),
            )
    if kind == "projects" and row.has("acceptance_requested_on") and not row.has("approved_on"):
        row.error("approved_on", _("A project asks for acceptance after the district approved it: fill in this date."))
    if kind == "payments":
        _check_payment_columns(row)


def _check_payment_columns(row):
    if not row.has("amount") and not row.has("committed_amount") and not row.errors:
        row.error("amount", _("Fill in the payment amount, or the committed amount, or both."))
    if row.has("committed_amount") and not row.has("committed_on"):
        row.error("committed_on", _("Fill in the day the amount was committed."))
    if row.has("amount"):
        if not row.has("requested_on"):
            row.error("requested_on", _("Fill in the day the payment was requested."))
        if row.has("paid_on") and not row.has("approved_on"):
            row.error("approved_on", _("A paid payment was approved first: fill in the day it was approved."))
        if row.has("paid_on") and not row.has("voucher_no"):
            row.error("voucher_no", _("Fill in the voucher number of the payment."))
        if row.has("voucher_no") and not row.has("paid_on"):
            row.error("paid_on", _("A voucher number belongs to a paid payment: fill in the day it was paid."))
    else:
        for key in ("requested_on", "approved_on", "paid_on", "voucher_no", "tranche"):
            if row.has(key):
                row.error("amount", _("Fill in the payment amount (the row has payment details)."))
                break


# --- Running a file -------------------------------------------------------------------------------


class _Run:
    """The state of one pass over a file."""

    def __init__(self, batch):
        self.batch = batch
        self.actor = batch.uploaded_by
        self.role = role_of(self.actor)
        self.reason = _("History back-fill: {file}").format(file=batch.file_name)[:100]
        self.sources = _source_table()
        _scene_table.cache_clear()  # read afresh for each file (the current edition may change)
        self.seen = {}  # (kind, identity) -> row number
        self.outcomes = []
        self.totals = dict.fromkeys(ACTIONS, 0)
        self.by_kind = {}


@contextmanager
def _step(row, key, **aliases):
    """Run a service call for the column ``key``: a refusal becomes the row's error, named by the
    column the service blames (``aliases`` map the service's field names to this sheet's keys)."""
    try:
        yield
    except DomainError as exc:
        target = aliases.get(exc.field) or (exc.field if exc.field in row.kind.keys else key)
        row.error(target, exc.message)
        raise _RowFailed from exc
    except ValidationError as exc:
        row.error(key, " ".join(exc.messages))
        raise _RowFailed from exc


class Backfill(BatchImport):
    """The back-fill's batches: :data:`BACKFILL` drives them through the shared batch engine."""

    model = BackfillBatch
    job_kind = JOB_KIND
    task_name = TASK_NAME
    label = "History back-fill"
    failed_exception = BackfillFailed

    @property
    def no_longer_allowed(self):
        return _("The person who uploaded this file may no longer back-fill history.")

    @property
    def unexpected_error(self):
        return _(
            "The back-fill stopped on an unexpected error ({error}) and nothing was written. Try again; if it "
            "happens again, send the file to the district office."
        )

    def can_run(self, actor):
        return can_backfill(actor)

    def process(self, batch, *, job_id=None):
        return _process(batch, job_id=job_id)

    def status(self, batch):
        data = super().status(batch)
        if batch.job is not None and not batch.is_finished:
            data["message"] = batch.job.message
        return data


BACKFILL = Backfill()


def backfill_import(*, actor, upload, commit=False):
    """Check ``upload`` and run it as a new batch of ``actor`` (a preview unless ``commit``).

    A file that cannot be read raises ``DomainError`` (nothing is recorded). Otherwise the batch is
    stored with its file. Up to :data:`INLINE_MAX_ROWS` rows are processed now and the batch is
    returned finished: *done* with a result per row, or *failed* (an unexpected error: nothing was
    written). A longer file gets a background job (enqueued on commit); the batch returns *pending*.
    """
    BACKFILL.check_allowed(actor)
    name = safe_file_name(getattr(upload, "name", "") or "history.xlsx")
    with open_backfill(upload, name=name) as opened:
        file_format = opened.format
        kinds = [sheet.kind.key for sheet in opened.sheets]
        rows = opened.count_rows(limit=MAX_ROWS + 1)
    if rows == 0:
        raise DomainError("empty_file", _("The file has header rows but no rows below them."), field="file")
    if rows > MAX_ROWS:
        raise DomainError(
            "too_many_rows",
            _(
                "The file has more than {limit} rows. Split the history into several files (by year or by street), "
                "and upload them one after the other: projects before their acceptances and payments."
            ).format(limit=f"{MAX_ROWS:,}"),
            field="file",
        )
    upload.seek(0)
    size = reading.file_size(upload)
    upload.seek(0)
    batch = BackfillBatch(
        uploaded_by=actor,
        file_name=name,
        file_format=file_format,
        file_size=size,
        kinds=kinds,
        commit=bool(commit),
        row_count=rows,
    )
    batch.file.save(name, upload, save=False)
    return BACKFILL.start(batch, background=rows > INLINE_MAX_ROWS)


def backfill_commit(*, actor, batch):
    """Write what a preview showed: its stored file runs again, with commit, as a new batch. Only its
    uploader may (the preview predicted what *their* commit does; others' rights differ)."""
    BACKFILL.check_allowed(actor)
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded this file may write it."))
    BACKFILL.check_committable(batch)
    new = BACKFILL.commit_of(batch, actor=actor, kinds=batch.kinds, preview_of=batch)
    return BACKFILL.start(new, background=new.row_count > INLINE_MAX_ROWS)


def backfill_run(batch_id, *, job_id=None):
    """Process a batch (inline, or from its task); see :meth:`core.tabular.batches.BatchImport.run`."""
    return BACKFILL.run(batch_id, job_id=job_id)


def _process(batch, *, job_id=None):
    run = _Run(batch)
    # Progress of a background run, written on a side connection (the run is one transaction).
    reporter = ProgressReporter(job_id, in_transaction=True) if job_id else None
    # One transaction for the whole file; a preview rolls it back, having done exactly what the
    # commit will do (the same services, in the same order, with the same savepoints).
    with (
        batch.file.open("rb") as handle,
        open_backfill(handle, name=batch.file_name) as opened,
        transaction.atomic(),
    ):
        done = 0
        try:
            for sheet in opened.sheets:
                for number, cells in sheet.data_rows():
                    _process_row(run, sheet, number, cells)
                    done += 1
                    if reporter and done % 25 == 0:
                        progress = min(99, int(done * 100 / max(batch.row_count, 1)))
                        reporter.report(progress, _("{n} rows processed").format(n=done))
        finally:
            if reporter:
                reporter.close()
        if not batch.commit:
            transaction.set_rollback(True)
    return {
        "batch": str(batch.pk),
        "committed": bool(batch.commit),
        "totals": run.totals,
        "totals_by_kind": run.by_kind,
        "rows": [
            {
                "row": number,
                "sheet": title,
                "kind": kind,
                "action": action,
                "contract_no": contract,
                "errors": [{"column": column, "message": message} for column, message in errors],
            }
            for number, title, kind, action, contract, errors in run.outcomes
        ],
    }


WRITERS = {}


def _writer(kind):
    def register(function):
        WRITERS[kind.key] = function
        return function

    return register


def _process_row(run, sheet, number, cells):
    row = Row(sheet=sheet, number=number, cells=cells)
    _read(row)
    action = "error"
    if not row.errors:
        try:
            with transaction.atomic():
                action = WRITERS[row.kind.key](run, row)
                if row.errors:
                    raise _RowFailed
        except _RowFailed:
            action = "error"
    if row.errors:
        action = "error"
    run.totals[action] += 1
    counts = run.by_kind.setdefault(row.kind.key, dict.fromkeys(ACTIONS, 0))
    counts[action] += 1
    positions = {header: i for i, header in enumerate(sheet.layout.headers)}
    row.errors.sort(key=lambda error: positions.get(error[0], len(positions)))
    run.outcomes.append(
        (number, sheet.title, row.kind.key, action, row.values.get("contract_no", ""), list(row.errors))
    )


def _fail(row, key, message):
    row.error(key, message)
    raise _RowFailed


def _once(run, row, identity, key):
    """Refuse a second row of the file for the same record."""
    seen = run.seen.setdefault((row.kind.key, identity), row.number)
    if seen != row.number:
        _fail(row, key, _("The same record is already on row {row} of this sheet: keep one row.").format(row=seen))


def _require_district(run, row, what):
    if run.role not in DISTRICT_ROLES:
        _fail(
            row,
            "contract_no",
            _("Only a district official may back-fill {what}; this row was not written.").format(what=what),
        )


def _find_project(run, row):
    projects = Project.objects.visible_to(run.actor).filter(contract_no=row.values["contract_no"])
    if row.has("enterprise"):
        projects = projects.filter(enterprise__credit_code=row.values["enterprise"])
    found = list(projects.select_related("enterprise")[:2])
    if not found:
        _fail(
            row,
            "contract_no",
            _(
                "No project with this contract number is recorded{for_enterprise}. Back-fill the project on the "
                "项目 sheet first (that sheet is processed before this one), or check the number."
            ).format(for_enterprise=_(" for this enterprise") if row.has("enterprise") else ""),
        )
    if len(found) > 1:
        _fail(
            row,
            "enterprise",
            _("Several enterprises have a project with this contract number: fill in the enterprise's credit code."),
        )
    return found[0]


# --- Projects -------------------------------------------------------------------------------------

PROJECT_FACTS = (
    "title",
    "total_investment",
    "software_amount",
    "cloud_amount",
    "equipment_amount",
    "other_amount",
    "target_level",
    "scenes",
    "is_chain_project",
)


def _transition_dates(project, action):
    return set(project.transitions.filter(action=action).values_list("date", flat=True))


@_writer(PROJECTS)
def _write_project(run, row):
    v = row.values
    _require_district(run, row, _("projects"))
    _once(run, row, (v["enterprise"], v["contract_no"]), "contract_no")
    enterprise = Enterprise.objects.filter(credit_code=v["enterprise"]).first()
    if enterprise is None:
        _fail(
            row,
            "enterprise",
            _("No pilot enterprise has this credit code. Register the enterprise first (roster upload)."),
        )
    provider = Provider.objects.filter(credit_code=v["provider"]).first()
    if provider is None:
        _fail(row, "provider", _("No service provider with this credit code is registered in the portal."))
    facts = {key: v[key] for key in PROJECT_FACTS if row.has(key)}
    project = Project.objects.filter(enterprise=enterprise, contract_no=v["contract_no"]).first()
    action = "unchanged"
    if project is None:
        with _step(row, "enterprise", date="filed_on"):
            project = project_services.project_file(
                actor=run.actor,
                enterprise=enterprise,
                provider=provider,
                contract_no=v["contract_no"],
                date=v["filed_on"],
                **facts,
            )
        action = "create"
    else:
        _same_project(row, project, provider, facts)
    if row.has("approved_on") and v["approved_on"] not in _transition_dates(project, ProjectAction.APPROVE):
        if project.approved_on is not None:
            _recorded_differently(row, "approved_on", project.approved_on)
        with _step(row, "approved_on"):
            project = project_services.project_approve(
                actor=run.actor, project=project, date=v["approved_on"], reason=run.reason
            )
        action = action if action == "create" else "update"
    requested = _transition_dates(project, ProjectAction.REQUEST_ACCEPTANCE)
    if row.has("acceptance_requested_on") and v["acceptance_requested_on"] not in requested:
        if requested:
            _recorded_differently(row, "acceptance_requested_on", min(requested))
        with _step(row, "acceptance_requested_on"):
            project_services.project_request_acceptance(
                actor=run.actor, project=project, date=v["acceptance_requested_on"], reason=run.reason
            )
        action = action if action == "create" else "update"
    return action


def _shown(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(value) or "—"
    return str(value) if value not in (None, "") else "—"


def _recorded_differently(row, key, recorded):
    _fail(
        row,
        key,
        _(
            "This record is already in the portal with {recorded} here. A back-fill does not change what is "
            "recorded: correct this cell, or correct the record on its page."
        ).format(recorded=_shown(recorded)),
    )


def _same_project(row, project, provider, facts):
    if project.provider_id != provider.pk:
        _recorded_differently(row, "provider", project.provider.credit_code)
    if project.filed_on != row.values["filed_on"]:
        _recorded_differently(row, "filed_on", project.filed_on)
    for key, value in facts.items():
        recorded = getattr(project, key)
        if key == "scenes":
            if sorted(recorded or []) != sorted(value):
                _recorded_differently(row, key, recorded)
        elif recorded != value:
            _recorded_differently(row, key, recorded)


# --- Acceptances ----------------------------------------------------------------------------------


@_writer(ACCEPTANCES)
def _write_acceptance(run, row):
    v = row.values
    _require_district(run, row, _("acceptances"))
    project = _find_project(run, row)
    _once(run, row, (project.pk, v["accepted_on"]), "accepted_on")
    body = EvaluationBody.objects.filter(credit_code=v["evaluation_body"]).first()
    if body is None:
        _fail(row, "evaluation_body", _("No evaluation body with this credit code is registered in the portal."))
    findings = v.get("findings", "").strip()
    existing = Acceptance.objects.filter(project=project, accepted_on=v["accepted_on"]).first()
    if existing is not None:
        if existing.passed != v["passed"]:
            _recorded_differently(row, "passed", existing.passed)
        if existing.evaluation_body_id != body.pk:
            _recorded_differently(
                row, "evaluation_body", existing.evaluation_body and existing.evaluation_body.credit_code
            )
        if findings and existing.findings != findings:
            _recorded_differently(row, "findings", existing.findings)
        return "unchanged"
    if project.status == PS.FAILED:
        if not row.has("re_requested_on"):
            _fail(
                row,
                "re_requested_on",
                _(
                    "This project failed its previous inspection: fill in the day re-inspection was requested "
                    "before recording this one."
                ),
            )
        with _step(row, "re_requested_on"):
            project = project_services.project_request_acceptance(
                actor=run.actor, project=project, date=v["re_requested_on"], reason=run.reason
            )
    if project.status != PS.ACCEPTANCE_REQUESTED:
        _fail(
            row,
            "contract_no",
            _(
                "This project is {status}: an inspection is recorded once acceptance was requested. Fill in the "
                "project's acceptance requested date on the 项目 sheet."
            ).format(status=project.get_status_display()),
        )
    if project.acceptance_requested_on and v["accepted_on"] < project.acceptance_requested_on:
        _fail(
            row,
            "accepted_on",
            _("The inspection cannot come before acceptance was requested ({date}).").format(
                date=project.acceptance_requested_on.isoformat()
            ),
        )
    with _step(row, "accepted_on", passed="passed", findings="findings", evaluation_body="evaluation_body"):
        project_services.project_accept(
            actor=run.actor,
            project=project,
            passed=v["passed"],
            accepted_on=v["accepted_on"],
            findings=findings,
            evaluation_body=body,
            backfill=True,
        )
    return "create"


# --- Payments -------------------------------------------------------------------------------------


def _budget_line(run, row):
    source = run.sources.get(value_key(row.values["source"]))
    if source is None:
        _fail(
            row,
            "source",
            _("“{value}” is not a fund source. Write 中央资金 or 区级配套资金.").format(value=row.values["source"]),
        )
    text = value_key(row.values["purpose"])
    purpose = _purpose_table().get(text)
    if purpose is None:
        line = next((ln for ln in BudgetLine.objects.filter(source=source) if value_key(ln.name) == text), None)
        if line is not None:
            return line
        _fail(
            row,
            "purpose",
            _("“{value}” is not a purpose of {source}. Use one of: {allowed}.").format(
                value=row.values["purpose"],
                source=source.name,
                allowed="、".join(purpose_label(p) for p in sorted(PURPOSES_BY_SOURCE[source.kind])),
            ),
        )
    if purpose not in PURPOSES_BY_SOURCE[source.kind]:
        _fail(
            row,
            "purpose",
            _("{purpose} is not paid from {source}.").format(purpose=purpose_label(purpose), source=source.name),
        )
    line = BudgetLine.objects.filter(source=source, purpose=purpose).first()
    if line is None:
        _fail(
            row,
            "purpose",
            _(
                "{source} has no budget line for {purpose} yet: a finance officer sets it on the ledger page first."
            ).format(source=source.name, purpose=purpose_label(purpose)),
        )
    return line


def _commitment_line(run, row, project, budget_line):
    """The project's active commitment on the line, checked against the row, or a new one."""
    v = row.values
    existing = (
        CommitmentLine.objects.filter(
            commitment__project=project, budget_line=budget_line, commitment__status=CommitmentStatus.ACTIVE
        )
        .select_related("commitment")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        if row.has("committed_amount") and existing.amount != v["committed_amount"]:
            _recorded_differently(row, "committed_amount", existing.amount)
        if row.has("committed_on") and existing.commitment.committed_on != v["committed_on"]:
            _recorded_differently(row, "committed_on", existing.commitment.committed_on)
        return existing, False
    if not row.has("committed_amount"):
        _fail(
            row,
            "committed_amount",
            _("No commitment of this project on this budget line is recorded: fill in the committed amount and date."),
        )
    if not has_role(run.actor, Role.DISTRICT_OFFICIAL):
        _fail(
            row,
            "committed_amount",
            _(
                "No commitment of this project on this budget line is recorded, and only a district official commits "
                "funds. Ask the district to back-fill the commitment first (this row with the payment columns left "
                "blank), then upload this file again."
            ),
        )
    with _step(row, "committed_amount", amount="committed_amount", committed_on="committed_on", lines="purpose"):
        commitment = ledger.commitment_create(
            actor=run.actor,
            title=_("Transformation subsidy · {contract}").format(contract=project.contract_no),
            lines=[(budget_line, v["committed_amount"])],
            committed_on=v["committed_on"],
            project=project,
            note=run.reason,
        )
    return commitment.lines.get(), True


@_writer(PAYMENTS)
def _write_payment(run, row):
    v = row.values
    if row.has("amount") and not has_role(run.actor, Role.FINANCE_OFFICER):
        _fail(
            row,
            "amount",
            _(
                "Only a finance officer may back-fill payments; this row was not written. (A district official may "
                "back-fill the commitment alone: leave the payment columns blank.)"
            ),
        )
    if not row.has("amount") and not has_role(run.actor, Role.DISTRICT_OFFICIAL):
        _fail(row, "committed_amount", _("Only a district official commits funds; this row was not written."))
    project = _find_project(run, row)
    budget_line = _budget_line(run, row)
    if row.has("voucher_no"):
        _once(run, row, ("voucher", v["voucher_no"]), "voucher_no")
    else:
        _once(
            run,
            row,
            (project.pk, budget_line.pk, v.get("amount"), v.get("requested_on"), v.get("tranche")),
            "contract_no",
        )
    commitment_line, created = _commitment_line(run, row, project, budget_line)
    action = "create" if created else "unchanged"
    if not row.has("amount"):
        return action
    tranche = v.get("tranche") or 1
    payments = Disbursement.objects.filter(reverses__isnull=True).exclude(status=DisbursementStatus.REJECTED)
    if row.has("voucher_no"):
        payment = payments.filter(voucher_no=v["voucher_no"]).first()
        if payment is not None and payment.commitment_line_id != commitment_line.pk:
            _fail(
                row,
                "voucher_no",
                _("This voucher number is already recorded for another payment: {payment}.").format(payment=payment),
            )
    else:
        payment = payments.filter(
            commitment_line=commitment_line, tranche=tranche, requested_on=v["requested_on"], amount=v["amount"]
        ).first()
    if payment is not None:
        for key, recorded in (
            ("amount", payment.amount),
            ("tranche", payment.tranche),
            ("requested_on", payment.requested_on),
        ):
            wanted = tranche if key == "tranche" else v[key]
            if recorded != wanted and (key != "tranche" or row.has("tranche")):
                _recorded_differently(row, key, recorded)
    else:
        with _step(row, "amount"):
            payment = ledger.disbursement_request(
                actor=run.actor,
                commitment_line=commitment_line,
                amount=v["amount"],
                tranche=tranche,
                requested_on=v["requested_on"],
                payee_account=v.get("payee_account", ""),
                reason=run.reason,
            )
        action = "create"
    if row.has("approved_on"):
        if payment.approved_on is not None and payment.approved_on != v["approved_on"]:
            _recorded_differently(row, "approved_on", payment.approved_on)
        if payment.status == DisbursementStatus.REQUESTED:
            with _step(row, "approved_on"):
                payment = ledger.disbursement_approve(actor=run.actor, disbursement=payment, date=v["approved_on"])
            action = action if action == "create" else "update"
    if row.has("paid_on"):
        if payment.paid_on is not None and payment.paid_on != v["paid_on"]:
            _recorded_differently(row, "paid_on", payment.paid_on)
        if payment.status == DisbursementStatus.APPROVED:
            with _step(row, "paid_on"):
                payment = ledger.disbursement_pay(
                    actor=run.actor, disbursement=payment, voucher_no=v["voucher_no"], date=v["paid_on"]
                )
            action = action if action == "create" else "update"
    return action


# --- Results, error sheet, template ---------------------------------------------------------------


def backfill_status(batch):
    """What ``GET /api/v1/backfill/{batch}/`` answers: the batch's state and, when done, its result."""
    return BACKFILL.status(batch)


def progress_of(batch):
    return batch.progress


def error_rows(batch):
    """``[(sheet, row, kind, [(column, message), ...]), ...]`` of a finished batch's error rows."""
    rows = (batch.result or {}).get("rows", ())
    return [
        (r["sheet"], r["row"], r["kind"], [(e["column"], e["message"]) for e in r["errors"]])
        for r in rows
        if r["action"] == "error"
    ]


def error_file(*, batch):
    """The error rows as uploaded, one sheet per kind named as in the upload (so the corrected
    workbook can be uploaded again as it is), with 错误说明 last. xlsx bytes."""
    wanted = {}
    for sheet, number, _kind, errors in error_rows(batch):
        wanted[(sheet, number)] = error_note(errors)
    with batch.file.open("rb") as handle, open_backfill(handle, name=batch.file_name) as opened:
        sheets = []
        for sheet in opened.sheets:
            rows = [(cells, wanted[(sheet.title, n)]) for n, cells in sheet.data_rows() if (sheet.title, n) in wanted]
            if not rows:
                continue
            positions = [sheet.layout.index[k] for k in CODE_KEYS if k in sheet.layout.index]
            sheets.append((sheet.title or sheet.kind.sheet, sheet.layout.headers, rows, positions))
        if not sheets:
            sheets.append(("错误行", ["—"], [], ()))
        return writing.write_error_workbook(sheets)


error_file_name = batches.error_file_name


TEMPLATE_NAME = "历史数据补录模板.xlsx"

GUIDANCE = {
    "enterprise": "18 位统一社会信用代码（文本格式）；企业须已在试点企业名单中",
    "enterprise_name": "选填，仅便于核对，不导入",
    "provider": "服务商的 18 位统一社会信用代码；服务商须已在门户登记",
    "contract_no": "改造合同编号；同一企业的同一合同编号视为同一项目，重复导入不会重复登记",
    "title": "选填",
    "filed_on": "备案日期，如 2025-03-18；企业须已有通过审核的诊断报告",
    "approved_on": "区级审批通过日期；未审批的留空",
    "acceptance_requested_on": "申请验收日期；须先有审批通过日期",
    "total_investment": "单位：元",
    "software_amount": "单位：元；链式改造项目软件类费用须不低于合规支出的 60%",
    "cloud_amount": "单位：元",
    "equipment_amount": "单位：元",
    "other_amount": "单位：元；留空时为总投资减去软件、云服务和设备",
    "target_level": "1–4，留空时取诊断报告的目标等级",
    "scenes": "场景名称或代码，以“、”分隔，见“允许值”；留空时取诊断报告的目标场景",
    "is_chain_project": "是 或 否",
    "accepted_on": "现场验收日期；同一项目同一日期的验收视为同一次",
    "passed": "通过 / 不通过（或 是 / 否）",
    "findings": "不通过时必填：问题与整改要求",
    "evaluation_body": "第三方评估机构的 18 位统一社会信用代码",
    "re_requested_on": "上次验收不通过、整改后申请复验的日期；首次验收留空",
    "source": "中央资金 或 区级配套资金",
    "purpose": "资金用途名称或代码，见“允许值”；须已由财务人员设定预算",
    "committed_amount": "单位：元；该项目在该科目尚无承诺时必填（由区级管理人员补录）",
    "committed_on": "承诺（核定）日期",
    "amount": "单位：元；由财务人员补录；只补录承诺时留空",
    "tranche": "第几批拨付，默认 1",
    "requested_on": "拨付申请日期",
    "approved_on_payment": "拨付审核日期；已支付的必填",
    "paid_on": "支付日期；未支付的留空",
    "voucher_no": "已支付的必填；同一凭证号视为同一笔拨付",
    "payee_account": "选填",
}


def _example_rows():
    def code(body):
        return body + cc.check_character(body)

    enterprise, provider, body = example_credit_code(), code("91310000MA1K00002"), code("91310000MA1K00003")
    return {
        "projects": [
            enterprise, "上海松江示例精密机械有限公司", provider, "HT-2025-018", "生产管控系统改造",
            "2025-03-18", "2025-04-02", "2025-09-15", 1200000, 720000, 120000, 240000, 120000, 2,
            "生产管控、质量管理", "否",
        ],
        "acceptances": [
            "HT-2025-018", enterprise, "2025-10-20", "通过", "资料齐全，系统运行正常", body, "",
        ],
        "payments": [
            "HT-2025-018", enterprise, "中央资金", "中小企业数字化改造和诊断补贴", 300000, "2025-04-10",
            300000, 1, "2025-11-01", "2025-11-05", "2025-11-12", "PZ-2025-1108", "",
        ],
    }  # fmt: skip


def write_template():
    """The blank workbook: the sheets 项目, 验收, 拨付 (headers, credit codes as text, drop-down
    lists), 填写说明 (each column, an example row per sheet) and 允许值 (scenes, sources, purposes)."""
    template = TemplateWorkbook()
    data_sheets = {}
    for kind in KINDS:
        data_sheets[kind.key] = template.data_sheet(
            kind.sheet, kind.columns, text_keys=(*CODE_KEYS, "contract_no", "voucher_no"), min_width=14
        )

    template.note(
        "历史数据补录填写说明（2024 年 10 月试点启动以来的项目、验收和资金拨付）", font=Font(bold=True, size=14)
    )
    template.note("三个工作表按 项目 → 验收 → 拨付 的顺序导入；可只填其中一个或几个。先“检查”，确认无误后再“写入”。")
    template.note("红色列为必填。日期写作 2025-03-18，不得晚于今天，也不得早于 2024-10-01。金额单位均为元。")
    template.note(
        "区级管理人员补录项目、验收和资金承诺；财务人员补录拨付（承诺须已登记）。重复导入同一文件不会重复登记。"
    )
    examples = _example_rows()
    for kind in KINDS:
        template.note()
        template.notes.append([f"工作表“{kind.sheet}”"])
        template.notes[template.notes.max_row][0].font = Font(bold=True, size=12)
        template.column_help(
            kind.columns,
            GUIDANCE,
            guidance_key=lambda c, kind=kind: (
                "approved_on_payment" if kind is PAYMENTS and c.key == "approved_on" else c.key
            ),
        )
        template.note("示例行：")
        template.note(*[c.header for c in kind.columns], font=template.bold)
        template.note(*examples[kind.key])
    for letter, width in (("A", 26), ("B", 22), ("C", 70)):
        template.notes.column_dimensions[letter].width = width

    sources = list(FundSource.objects.order_by("kind", "code"))
    ranges = template.allowed_values(
        [
            ("场景名称", [name for name, _code in scene_names()]),
            ("场景代码", [code for _name, code in scene_names()]),
            ("资金来源", [SOURCE_LABELS.get(s.kind, (s.name,))[0] for s in sources]),
            ("中央资金用途", [purpose_label(p) for p in BudgetPurpose if p in PURPOSES_BY_SOURCE["central"]]),
            ("区级配套资金用途", [purpose_label(p) for p in BudgetPurpose if p in PURPOSES_BY_SOURCE["district"]]),
            ("验收结论", ["通过", "不通过"]),
            ("是否", ["是", "否"]),
        ]
    )
    template.dropdown(data_sheets["projects"], PROJECTS.columns, "is_chain_project", ranges["是否"])
    template.dropdown(data_sheets["acceptances"], ACCEPTANCES.columns, "passed", ranges["验收结论"])
    template.dropdown(data_sheets["payments"], PAYMENTS.columns, "source", ranges["资金来源"])
    return template.to_bytes()
