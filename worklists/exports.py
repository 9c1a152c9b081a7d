"""The 任务清单 and 政策清单 as xlsx, as the other lists are exported (``funding.exports``): a write-only
workbook, every text cell formula-safe (``core.tabular.writing.safe_cell``), Chinese headers (the lists
are documents handed on, whatever the reader's language), and each download logged with who took it.
The caller passes querysets already narrowed to the viewer's scope and the page's filters.
"""

from django.utils import timezone

from core.downloads import logged_download
from funding.exports import XLSX_TYPE, workbook_bytes

TASK_TITLE = "任务清单"
POLICY_TITLE = "政策清单"

TASK_HEADERS = [
    "序号",
    "类别",
    "任务",
    "工作目标及内容",
    "责任部门",
    "责任街镇",
    "开始时间",
    "完成时限",
    "进度",
    "完成比例（%）",
    "是否逾期",
    "进展情况",
    "工作方案出处",
    "更新人",
    "更新时间",
]
POLICY_HEADERS = [
    "文号",
    "标题",
    "发文机关",
    "发文日期",
    "支持内容",
    "申报开始",
    "申报截止",
    "申报窗口",
    "施行日期",
    "有效期至",
    "状态",
    "链接",
    "备注",
]


#: The codes as the lists write them: fixed Chinese, like the headers, whatever the catalogue says.
CATEGORY_ZH = {"key_task": "重点任务", "phase": "推进阶段"}
STATUS_ZH = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成"}


def _yes(value):
    return "是" if value else "否"


def task_rows(queryset):
    today = timezone.localdate()
    for t in queryset.select_related("unit", "updated_by"):
        yield [
            t.position,
            CATEGORY_ZH[t.category],
            t.title,
            t.target,
            t.responsible_departments,
            t.unit.name if t.unit else "",
            t.starts_on,
            t.deadline,
            STATUS_ZH[t.status],
            t.percent,
            _yes(t.is_overdue(today)),
            t.progress_note,
            t.source,
            t.updated_by.username if t.updated_by else "",
            timezone.localtime(t.updated_at).replace(tzinfo=None) if t.updated_at else None,
        ]


def policy_rows(queryset):
    today = timezone.localdate()
    for p in queryset:
        yield [
            p.number,
            p.title,
            p.issuer,
            p.issued_on,
            p.support,
            p.window_opens,
            p.window_closes,
            "开放中" if p.is_window_open(today) else ("未设置" if p.window_opens is None else "未开放"),
            p.effective_from,
            p.effective_to,
            "有效" if p.is_in_force(today) else "失效",
            p.url,
            p.note,
        ]


def _download(request, *, title, kind, content, count):
    filename = f"{title}_{timezone.localdate():%Y%m%d}.xlsx"
    return logged_download(
        request, filename=filename, content_type=XLSX_TYPE, kind=kind, content=content, row_count=count
    )


def export_tasks(request, queryset):
    content = workbook_bytes([(TASK_TITLE, TASK_HEADERS, task_rows(queryset))])
    return _download(request, title=TASK_TITLE, kind="task_export", content=content, count=queryset.count())


def export_policies(request, queryset):
    content = workbook_bytes([(POLICY_TITLE, POLICY_HEADERS, policy_rows(queryset))])
    return _download(request, title=POLICY_TITLE, kind="policy_export", content=content, count=queryset.count())
