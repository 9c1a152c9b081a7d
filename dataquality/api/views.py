"""``GET /api/v1/data-quality/``: the viewer's findings, paginated (docs/api.md "Data quality")."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from core.permissions import require

from .. import selectors
from ..forms import FindingQuery
from ..permissions import can_view_findings
from .serializers import FindingSerializer


class FindingListView(generics.ListAPIView):
    """Findings on the viewer's enterprises (district officials and admins: all; unit staff: their unit's),
    open ones by default (``?state=resolved|all``), narrowed by ``?kind=`` and ``?unit=`` (a unit code)."""

    serializer_class = FindingSerializer
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("unit", str),
            OpenApiParameter("state", str, enum=["open", "resolved", "all"]),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        require(can_view_findings(self.request.user))
        query = FindingQuery.read(self.request.query_params)
        return selectors.finding_list(
            viewer=self.request.user, kind=query["kind"] or None, unit=query["unit"], state=query["state"]
        )
