"""Routes of the dashboards: targets and actuals, drill-down, target allocation."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("indicators/", views.indicator_dashboard, name="indicators"),
    re_path(r"^indicators/(?P<number>[0-9]{1,2}|1\+2|R[1-3])/$", views.indicator_records, name="indicator_records"),
    path("targets/", views.unit_targets, name="targets"),
    path("targets/history/", views.target_history_page, name="target_history"),
]
