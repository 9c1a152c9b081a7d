"""The street/town assessment API: the 18 units' scores and ranks of a year, computed now."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import assessment_list
from .serializers import assessment_row


class UnitAssessmentListView(APIView):
    """``GET /api/v1/unit-assessments/?year=2025|2026``: a plain array of the units' rows, rank 1 for the highest
    score, equal scores sharing a rank (district officials, auditors, admins; unit staff get their own row)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.STR, description="2025 or 2026", required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        rows = assessment_list(viewer=request.user, year=request.query_params.get("year"))
        return Response([assessment_row(row) for row in rows])
