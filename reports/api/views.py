from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from core.models import OrgUnit
from reports.selectors import indicator_report, period_by_code


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
        unit = None
        code = request.query_params.get("unit")
        if code:
            unit = OrgUnit.objects.filter(code=code.strip(), parent__isnull=False).first()
            if unit is None:
                raise DomainError("unknown_unit", _("No unit has the code {code}.").format(code=code), field="unit")
        report = indicator_report(
            viewer=request.user, period=period, unit=unit, as_of=request.query_params.get("as_of")
        )
        return Response(report)
