"""The 试点企业清单 (pilot enterprise list) as xlsx and csv.

The columns are :class:`~enterprises.resources.EnterpriseResource`'s: the roster's Chinese headers
(so an export can be edited and imported again) then status, pilot year, cloud verification date
and digital levels. Rows are streamed from the database (``iterator``) into openpyxl's write-only
mode or a CSV stream (UTF-8 with BOM, so Excel on Chinese Windows opens it); every text cell goes
through :func:`~core.tabular.writing.safe_cell`. The caller passes a queryset already narrowed to the
viewer's scope and filters.
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.services import client_address, download_log
from core.tabular import writing

from .resources import EnterpriseResource

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
TITLE = "试点企业清单"
CHUNK = 2000


def export_headers(resource=None):
    return (resource or EnterpriseResource()).get_export_headers()


def export_rows(queryset, resource=None):
    """One list per enterprise, in the order of :func:`export_headers`; text cells made formula-safe."""
    resource = resource or EnterpriseResource()
    export_fields = resource.get_export_fields()
    for enterprise in queryset.select_related("unit").iterator(chunk_size=CHUNK):
        yield [writing.safe_cell(resource.export_field(field, enterprise)) for field in export_fields]


def export_xlsx(queryset):
    """The list as xlsx bytes (write-only workbook: rows are never all held as cells)."""
    resource = EnterpriseResource()
    return writing.write_rows_xlsx(export_headers(resource), export_rows(queryset, resource), sheet_title=TITLE)


def _csv_value(value):
    return "" if value is None else value


def export_csv_chunks(queryset):
    """The list as CSV, UTF-8 with BOM, in byte chunks (for a streaming response)."""
    resource = EnterpriseResource()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([writing.safe_cell(h) for h in export_headers(resource)])
    yield "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(export_rows(queryset, resource), start=1):
        writer.writerow([_csv_value(v) for v in row])
        if count % 500 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def export_csv(queryset):
    return b"".join(export_csv_chunks(queryset))


def export_filename(fmt):
    return f"{TITLE}_{timezone.localdate():%Y%m%d}.{fmt}"


def export_response(request, queryset, fmt):
    """The download of the list in ``fmt`` (``xlsx`` or ``csv``), logged as an export."""
    filename = export_filename(fmt)
    download_log(
        actor=request.user,
        kind="enterprise_export",
        description=filename,
        path=request.get_full_path(),
        ip_address=client_address(request),
        row_count=queryset.count(),
    )
    if fmt == "csv":
        response = StreamingHttpResponse(export_csv_chunks(queryset), content_type=CSV_TYPE)
    else:
        response = HttpResponse(export_xlsx(queryset), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
