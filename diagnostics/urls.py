"""Pages of diagnostics under one namespace, one nested namespace per area:
``diagnostics:index:<name>`` (/assessments/index/…), ``diagnostics:assessments:<name>`` (/assessments/…)
and ``diagnostics:diagnoses:<name>`` (/diagnoses/…)."""

from django.urls import include, path

from .views import assessments, diagnoses, index, offline

app_name = "diagnostics"

index_patterns = [
    path("", index.index_list, name="list"),
    path("options/<int:pk>/", index.index_option, name="option"),
    path("<str:code>/", index.index_detail, name="detail"),
]

assessment_patterns = [
    path("", assessments.assessment_list_page, name="list"),
    path("mine/", assessments.my_evaluations, name="mine"),
    path("live-score/", assessments.live_score, name="live_score"),
    path("offline/", offline.offline_manifest, name="offline"),
    path("new/<int:enterprise_pk>/<str:method>/", assessments.assessment_create_page, name="create"),
    path("<int:pk>/", assessments.assessment_detail, name="detail"),
    path("<int:pk>/edit/", assessments.assessment_edit_page, name="edit"),
    path("<int:pk>/delete/", assessments.assessment_delete_page, name="delete"),
]

diagnosis_patterns = [
    path("", diagnoses.report_list, name="list"),
    path("queue/", diagnoses.provider_work_queue, name="work_queue"),
    path("review/", diagnoses.district_review_queue, name="review_queue"),
    path("new/", diagnoses.report_create, name="create"),
    path("deadlines/", diagnoses.deadlines, name="deadlines"),
    path("<int:pk>/", diagnoses.report_detail, name="detail"),
    path("<int:pk>/edit/", diagnoses.report_edit, name="edit"),
    path("<int:pk>/signed-pdf/", diagnoses.signed_pdf, name="signed_pdf"),
    path("<int:pk>/versions/<int:version>/", diagnoses.report_version, name="version"),
    path("<int:pk>/<str:action>/", diagnoses.report_action, name="action"),
]

urlpatterns = [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("assessments/index/", include((index_patterns, "index"))),
    path("assessments/", include((assessment_patterns, "assessments"))),
    path("diagnoses/", include((diagnosis_patterns, "diagnoses"))),
]
