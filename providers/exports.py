"""Two of the district's six work lists (docs/domain.md §7) as xlsx and csv: the 服务商清单 (providers) and
the 优秀产品清单 (recognised 小快轻准 products).

No official column set exists, so the columns are the portal's own facts, under Chinese headers
(the lists are documents handed on, whatever the reader's language). As in ``enterprises.exports``:
the caller passes a queryset already narrowed to the viewer's scope and filters; every text cell goes
through :func:`core.tabular.writing.safe_cell` (a value starting like a formula gets a leading
apostrophe); CSV is UTF-8 with a BOM (Excel on Chinese Windows); every download is logged.
"""

from django.utils import timezone, translation

from core.downloads import logged_download
from core.privacy import phone_for
from core.tabular import writing
from enterprises.choices import Sector

from .choices import SCENE_LABELS, PoolStatus, PriceModel, ProviderType

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

PROVIDER_TITLE = "服务商清单"
PRODUCT_TITLE = "优秀产品清单"

PROVIDER_HEADERS = [
    "统一社会信用代码",
    "服务商名称",
    "服务商类型",
    "资源池状态",
    "状态日期",
    "重点服务商认定日期",
    "服务行业",
    "服务场景",
    "资质",
    "地址",
    "联系人",
    "联系电话",
    "服务企业数",
    "产品及解决方案数",
    "入选优秀产品数",
]
PRODUCT_HEADERS = [
    "产品及解决方案名称",
    "服务商",
    "服务商统一社会信用代码",
    "覆盖场景",
    "价格模式",
    "价格",
    "部署数量",
    "入选日期",
    "简介",
]


def _label(choices, value):
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _sectors(codes):
    return "、".join(_label(Sector, code) for code in codes or [])


def _scenes(codes):
    return "、".join(SCENE_LABELS.get(code, code) for code in codes or [])


def provider_rows(queryset, viewer):
    """One list per provider, in the order of :data:`PROVIDER_HEADERS`. The queryset carries the counts
    of :func:`providers.selectors.provider_list_with_counts`."""
    with translation.override("zh-hans"):
        for p in queryset.iterator(chunk_size=500):
            yield [
                p.credit_code,
                p.name,
                _label(ProviderType, p.type),
                _label(PoolStatus, p.pool_status),
                p.pool_status_since,
                p.key_provider_since,
                _sectors(p.sectors),
                _scenes(p.scenes),
                p.qualifications,
                p.address,
                p.contact_name,
                phone_for(viewer, p.contact_phone) if p.contact_phone else "",
                getattr(p, "enterprise_count", None),
                getattr(p, "product_count", None),
                getattr(p, "recognised_count", None),
            ]


def product_rows(queryset, viewer=None):
    with translation.override("zh-hans"):
        for product in queryset.select_related("provider").iterator(chunk_size=500):
            yield [
                product.name,
                product.provider.name,
                product.provider.credit_code,
                _scenes(product.scenes),
                _label(PriceModel, product.price_model),
                product.price_note,
                product.deployments,
                product.recognised_on,
                product.description,
            ]


def as_xlsx(headers, rows, title):
    return writing.write_rows_xlsx(headers, rows, sheet_title=title)


def as_csv(headers, rows):
    """UTF-8 with BOM; dates as ISO text; every text cell formula-safe."""
    return writing.write_csv(headers, rows)


def _response(request, *, title, kind, headers, rows, fmt, count):
    filename = f"{title}_{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        content, content_type = as_csv(headers, rows), CSV_TYPE
    else:
        content, content_type = as_xlsx(headers, rows, title), XLSX_TYPE
    return logged_download(
        request, filename=filename, content_type=content_type, kind=kind, content=content, row_count=count
    )


def provider_export_response(request, queryset, fmt):
    """The 服务商清单 download in ``fmt`` (``xlsx`` or ``csv``), logged."""
    return _response(
        request,
        title=PROVIDER_TITLE,
        kind="provider_export",
        headers=PROVIDER_HEADERS,
        rows=provider_rows(queryset, request.user),
        fmt=fmt,
        count=queryset.count(),
    )


def product_export_response(request, queryset, fmt):
    """The 优秀产品清单 download (recognised products only; the caller passes them), logged."""
    return _response(
        request,
        title=PRODUCT_TITLE,
        kind="product_export",
        headers=PRODUCT_HEADERS,
        rows=product_rows(queryset),
        fmt=fmt,
        count=queryset.count(),
    )
