"""The events list and an event's attendance as xlsx or csv, under Chinese headers, through the same selectors
and filter as the pages; every cell formula-safe (``core.tabular.writing``), every download logged."""

from django.utils import timezone

from core.downloads import logged_download
from core.privacy import phone_for
from core.tabular import writing

EVENT_HEADERS = [
    "活动名称",
    "类型",
    "开始时间",
    "地点",
    "主办单位",
    "主题",
    "参与服务商",
    "容量",
    "状态",
    "邀请企业数",
    "签到人次",
    "到场企业数",
]
ATTENDANCE_HEADERS = ["企业名称", "统一社会信用代码", "属地", "姓名", "职务", "手机号", "签到时间", "来源"]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def event_rows(queryset):
    for event in queryset.prefetch_related("providers"):
        yield [
            event.title,
            event.get_kind_display(),
            _when(event.starts_at),
            event.place,
            event.organiser_unit.name,
            event.topic,
            "、".join(p.name for p in event.providers.all()),
            event.capacity,
            event.get_status_display(),
            event.invited_count,
            event.attendance_count,
            event.reached_count,
        ]


def attendance_rows(queryset, viewer):
    for row in queryset:
        yield [
            row.enterprise.name,
            row.enterprise.credit_code,
            row.enterprise.unit.name,
            row.attendee_name,
            row.attendee_title,
            phone_for(viewer, row.phone),
            _when(row.signed_in_at),
            row.get_source_display(),
        ]


def _response(request, *, title, kind, headers, rows, fmt, count):
    filename = f"{title}_{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        content, content_type = writing.write_csv(headers, rows), writing.CSV_TYPE
    else:
        content, content_type = writing.write_rows_xlsx(headers, rows, sheet_title=title[:31]), writing.XLSX_TYPE
    return logged_download(
        request, filename=filename, content_type=content_type, kind=kind, content=content, row_count=count
    )


def event_export_response(request, queryset, fmt):
    """The 活动清单 download, logged."""
    return _response(
        request,
        title="活动清单",
        kind="event_export",
        headers=EVENT_HEADERS,
        rows=event_rows(queryset),
        fmt=fmt,
        count=queryset.count(),
    )


def attendance_export_response(request, event, queryset, fmt):
    """One event's 签到名单 download, logged."""
    return _response(
        request,
        title=f"签到名单_{event.pk}",
        kind="event_attendance_export",
        headers=ATTENDANCE_HEADERS,
        rows=attendance_rows(queryset, request.user),
        fmt=fmt,
        count=queryset.count(),
    )
