"""The reports API (docs/api.md): the indicator report computed now, and the snapshots (request, list,
read, compare, PDF)."""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.mixins import JsonErrorsMixin
from core.api.pagination import PortalPagination
from core.api.renderers import PdfRenderer, accepts
from core.errors import DomainError
from core.models import OrgUnit

from ..exports import snapshot_pdf_download
from ..selectors import snapshots
from ..selectors.indicators import indicator_report
from ..selectors.scope import period_by_code
from ..services.snapshots import snapshot_request
from .serializers import SNAPSHOT_REQUEST, snapshot_summary


def _unit_by_code(code):
    unit = None
    if code:
        unit = OrgUnit.objects.filter(code=str(code).strip(), parent__isnull=False).first()
        if unit is None:
            raise DomainError("unknown_unit", _("No unit has the code {code}.").format(code=code), field="unit")
    return unit


class IndicatorReportView(APIView):
    """Target vs actual for a period, district-wide or for one unit, computed now."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="2025, 2026 or total", required=True),
            OpenApiParameter("unit", OpenApiTypes.STR, description="a unit's 9-digit code"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="default today (Asia/Shanghai)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        period = period_by_code(request.query_params.get("period"))
        unit = _unit_by_code(request.query_params.get("unit"))
        report = indicator_report(
            viewer=request.user, period=period, unit=unit, as_of=request.query_params.get("as_of")
        )
        return Response(report)


class ReportSnapshotCreateView(APIView):
    """Request a snapshot of the indicator report (a Celery task computes it and its PDF), or list
    the snapshots the caller may read, newest first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="2025, 2026 or total"),
            OpenApiParameter("unit", OpenApiTypes.STR, description="a unit's 9-digit code, or district"),
            OpenApiParameter("status", OpenApiTypes.STR, description="pending, running, done or failed"),
            OpenApiParameter("trigger", OpenApiTypes.STR, description="request or nightly"),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
        operation_id="reports_list",
    )
    def get(self, request):
        snapshots_qs = snapshots.snapshot_list(viewer=request.user, filters=request.query_params)
        paginator = PortalPagination()
        page = paginator.paginate_queryset(snapshots_qs, request, view=self)
        return paginator.get_paginated_response([snapshot_summary(s) for s in page])

    @extend_schema(request=SNAPSHOT_REQUEST, responses={202: OpenApiTypes.OBJECT})
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            raise DomainError("invalid", _("Send an object with period, and optionally unit and as_of."))
        period = period_by_code(data.get("period"))
        unit = _unit_by_code(data.get("unit"))
        snapshot = snapshot_request(actor=request.user, period=period, unit=unit, as_of=data.get("as_of"))
        snapshot.refresh_from_db(fields=["status"])  # in-process (no broker): already done
        return Response({"id": str(snapshot.pk), "status": snapshot.status}, status=status.HTTP_202_ACCEPTED)


def _snapshot(request, pk):
    try:
        uuid.UUID(str(pk))
    except ValueError:
        raise DomainError("not_found", _("No report snapshot you can see has this id."), status=404) from None
    return snapshots.snapshot_get(viewer=request.user, snapshot_id=pk)


class ReportSnapshotDetailView(APIView):
    """A report snapshot: its status and, once done, its 17 rows (numbers as JSON numbers)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        return Response(snapshots.snapshot_as_dict(_snapshot(request, pk)))


class ReportSnapshotCompareView(APIView):
    """What changed between two finished snapshots of the same period and scope: per indicator the
    actual before and after, the change, and the records that entered or left it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("a", OpenApiTypes.UUID, description="a snapshot id", required=True),
            OpenApiParameter("b", OpenApiTypes.UUID, description="another snapshot id", required=True),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No snapshot you can see has id a or b."),
        },
    )
    def get(self, request):
        ids = [request.query_params.get(key, "").strip() for key in ("a", "b")]
        for key, value in zip(("a", "b"), ids, strict=True):
            if not value:
                raise DomainError("required", _("Give two snapshot ids, a and b."), field=key)
        first, second = (_snapshot(request, pk) for pk in ids)
        comparison = snapshots.snapshot_compare(viewer=request.user, first=first, second=second)
        return Response(
            {
                "period": comparison["after"].period.code,
                "unit": comparison["after"].unit.code if comparison["after"].unit_id else None,
                "before": snapshot_summary(comparison["before"]),
                "after": snapshot_summary(comparison["after"]),
                "indicators": [
                    {k: row[k] for k in ("number", "name", "before", "after", "change", "entered", "left")}
                    for row in comparison["rows"]
                ],
            }
        )


def _accepts_pdf(request):
    """Whether the client's ``Accept`` names application/pdf (or a wildcard covering it)."""
    return accepts(request, "application/pdf")


class ReportSnapshotPdfView(JsonErrorsMixin, APIView):
    """The snapshot's summary in Chinese as a PDF; 409 while the snapshot is not done."""

    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The snapshot as a PDF")})
    def get(self, request, pk):
        if not _accepts_pdf(request):
            raise NotAcceptable(_("This download is a PDF: send Accept: application/pdf."))
        snapshot = _snapshot(request, pk)
        pdf = snapshots.snapshot_pdf(snapshot)
        return snapshot_pdf_download(request, snapshot, pdf)
