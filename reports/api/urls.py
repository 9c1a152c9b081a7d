from django.urls import path

from .views import IndicatorReportView

urlpatterns = [
    path("indicators/report/", IndicatorReportView.as_view(), name="indicator-report"),
]
