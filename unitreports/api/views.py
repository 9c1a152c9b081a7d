"""The unit reports' API: read-only, scoped (a unit's staff their own unit; the district, auditors and admins
every unit), with the list page's filters."""

from rest_framework import generics

from .. import selectors
from ..filters import UnitReportFilter
from .serializers import UnitReportSerializer


class UnitReportListView(generics.ListAPIView):
    """Unit reports (定期上报), filtered by ``round`` (id), ``unit`` (code), ``status`` and ``period``."""

    serializer_class = UnitReportSerializer
    filterset_class = UnitReportFilter

    def get_queryset(self):
        return (
            selectors.report_list(viewer=self.request.user)
            .select_related("round__indicator_period")
            .order_by("round__period_start", "unit__code", "pk")
        )


class UnitReportDetailView(generics.RetrieveAPIView):
    """One unit report with its figures and sections."""

    serializer_class = UnitReportSerializer

    def get_queryset(self):
        return selectors.report_list(viewer=self.request.user).select_related("round__indicator_period")
