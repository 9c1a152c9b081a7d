from django.urls import path

from .views import (
    IndicatorReportView,
    ReportSnapshotCompareView,
    ReportSnapshotCreateView,
    ReportSnapshotDetailView,
    ReportSnapshotPdfView,
)

urlpatterns = [
    path("indicators/report/", IndicatorReportView.as_view(), name="indicator-report"),
    path("reports/", ReportSnapshotCreateView.as_view(), name="report-snapshots"),
    path("reports/compare/", ReportSnapshotCompareView.as_view(), name="report-snapshot-compare"),
    path("reports/<str:pk>/", ReportSnapshotDetailView.as_view(), name="report-snapshot"),
    path("reports/<str:pk>/pdf/", ReportSnapshotPdfView.as_view(), name="report-snapshot-pdf"),
]
