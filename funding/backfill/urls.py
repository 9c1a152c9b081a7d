"""History back-fill pages, at /funding/backfill/."""

from django.urls import path

from . import views

app_name = "backfill"

urlpatterns = [
    path("", views.backfill_upload, name="upload"),
    path("template/", views.backfill_template, name="template"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<uuid:pk>/", views.batch_detail, name="batch"),
    path("batches/<uuid:pk>/commit/", views.batch_commit, name="commit"),
    path("batches/<uuid:pk>/errors/", views.batch_errors, name="errors"),
]
