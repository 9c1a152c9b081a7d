from django.urls import path

from .views import UnitReportDetailView, UnitReportListView

urlpatterns = [
    path("unit-reports/", UnitReportListView.as_view(), name="unit-report-list"),
    path("unit-reports/<int:pk>/", UnitReportDetailView.as_view(), name="unit-report-detail"),
]
