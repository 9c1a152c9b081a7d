from django.urls import path

from . import diagnosis_views as views

app_name = "diagnoses"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("queue/", views.provider_work_queue, name="work_queue"),
    path("review/", views.district_review_queue, name="review_queue"),
    path("new/", views.report_create, name="create"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/signed-pdf/", views.signed_pdf, name="signed_pdf"),
    path("<int:pk>/versions/<int:version>/", views.report_version, name="version"),
    path("<int:pk>/<str:action>/", views.report_action, name="action"),
]
