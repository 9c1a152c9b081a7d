from django.urls import path

from .views import imports as import_views
from .views import registry as views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list_page, name="list"),
    path("export/", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("confirm/", views.confirm_queue, name="confirm_queue"),
    path("units/", views.unit_overview, name="unit_overview"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/<str:action>/", views.enterprise_action, name="action"),
    # Roster import (enterprises/views/imports.py): import, import_template, import_batches, import_batch,
    # import_commit, import_errors
    *import_views.PAGES.urlpatterns("import/"),
]
