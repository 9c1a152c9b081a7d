"""Routes of the report snapshots pages."""

from django.urls import path

from . import views_snapshots as views

urlpatterns = [
    path("snapshots/", views.snapshot_list, name="snapshot_list"),
    path("snapshots/request/", views.snapshot_request, name="snapshot_request"),
    path("snapshots/compare/", views.snapshot_compare, name="snapshot_compare"),
    path("snapshots/<uuid:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<uuid:pk>/pdf/", views.snapshot_pdf, name="snapshot_pdf"),
    path("snapshots/<uuid:pk>/xlsx/", views.snapshot_xlsx, name="snapshot_xlsx"),
]
