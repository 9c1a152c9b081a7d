"""Routes of the dashboards: targets and actuals, drill-down, target allocation."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.indicator_dashboard, name="indicators"),
]
