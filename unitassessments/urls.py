"""The street/town assessment pages (街镇考核)."""

from django.urls import path

from . import views

app_name = "unitassessments"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("weights/", views.weights, name="weights"),
    path("export/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("export/pdf/", views.export_pdf, name="export_pdf"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
]
