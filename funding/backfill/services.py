"""Running a back-fill upload: start, commit a preview, run (inline or as a background job), and
the results (status, error sheet, template). See :mod:`funding.backfill`."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from core import credit_code as cc
from core.errors import DomainError, PermissionDenied
from core.files import safe_file_name
from core.roles import GLOBAL_READ_ROLES, Role, has_role, role_of
from core.tabular import batches, writing
from core.tabular.batches import BatchFailed, BatchImport, ProgressReporter, bad_positions, error_note
from core.tabular.writing import TemplateWorkbook
from enterprises.roster import example_credit_code

from ..choices import PURPOSES_BY_SOURCE, BudgetPurpose
from ..models import BackfillBatch, FundSource
from .files import open_backfill
from .rows import Run, process_row
from .schema import ACCEPTANCES, CODE_KEYS, KINDS, PAYMENTS, PROJECTS, SOURCE_LABELS, purpose_label, scene_names

logger = logging.getLogger(__name__)


#: Data rows one file may hold (all sheets together); a longer history is split into several files.
MAX_ROWS = 5_000
#: Files with more rows than this are processed by a background job (each row goes through the
#: services, some 40 queries: a few hundred rows fit in a request, thousands do not).
INLINE_MAX_ROWS = 200
TASK_NAME = "funding.tasks.backfill_task"
JOB_KIND = "history_backfill"


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


class BackfillFailed(BatchFailed):
    """The batch ended in failure (its ``error`` says why); raised by the task so the job fails too."""


class Backfill(BatchImport):
    """The back-fill's batches: :data:`BACKFILL` drives them through the shared batch engine."""

    model = BackfillBatch
    job_kind = JOB_KIND
    task_name = TASK_NAME
    label = "History back-fill"
    failed_exception = BackfillFailed
    errors_kind = "backfill_errors"

    @property
    def no_longer_allowed(self):
        return _("The person who uploaded this file may no longer back-fill history.")

    @property
    def unexpected_error(self):
        return _(
            "The back-fill stopped on an unexpected error ({error}) and nothing was written. Try again; if it "
            "happens again, send the file to the district office."
        )

    @property
    def not_finished(self):
        return _("This upload has not finished, or failed as a whole: it has no error sheet.")

    def can_run(self, actor):
        return can_backfill(actor)

    def can_open(self, user):
        return can_view_backfills(user)

    def process(self, batch, *, job_id=None):
        return _process(batch, job_id=job_id)

    def error_file(self, batch):
        return error_file(batch=batch)

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
    batch = BACKFILL.batch_of(
        upload, actor=actor, name=name, file_format=file_format, commit=commit, kinds=kinds, row_count=rows
    )
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
    run = Run(batch)
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
                    process_row(run, sheet, number, cells)
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


# --- Results, error sheet, template ---------------------------------------------------------------


def backfill_status(batch):
    """What ``GET /api/v1/backfill/{batch}/`` answers: the batch's state and, when done, its result."""
    return BACKFILL.status(batch)


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
        wanted[(sheet, number)] = errors
    with batch.file.open("rb") as handle, open_backfill(handle, name=batch.file_name) as opened:
        sheets = []
        for sheet in opened.sheets:
            headers = sheet.layout.headers
            rows = [
                (cells, error_note(wanted[(sheet.title, n)], row=n), bad_positions(headers, wanted[(sheet.title, n)]))
                for n, cells in sheet.data_rows()
                if (sheet.title, n) in wanted
            ]
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
    "requested_by_name": "选填：原始单据上的拨付申请经办人姓名；补录的拨付不受“四眼原则”限制，以此记录实际经办人",
    "approved_by_name": "选填：原始单据上的审核人姓名",
    "paid_by_name": "选填：原始单据上的支付经办人姓名",
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
            300000, 1, "2025-11-01", "2025-11-05", "2025-11-12", "PZ-2025-1108", "", "张明", "李华", "王芳",
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
