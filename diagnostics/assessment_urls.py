from django.urls import path

from . import assessment_views, index_views

app_name = "assessments"

urlpatterns = [
    path("", assessment_views.assessment_list_page, name="list"),
    path("mine/", assessment_views.my_evaluations, name="mine"),
    path("live-score/", assessment_views.live_score, name="live_score"),
    path("new/<int:enterprise_pk>/<str:method>/", assessment_views.assessment_create_page, name="create"),
    path("<int:pk>/", assessment_views.assessment_detail, name="detail"),
    path("<int:pk>/edit/", assessment_views.assessment_edit_page, name="edit"),
    path("<int:pk>/delete/", assessment_views.assessment_delete_page, name="delete"),
    # The index as data
    path("index/", index_views.index_list, name="index_list"),
    path("index/options/<int:pk>/", index_views.index_option, name="index_option"),
    path("index/<str:code>/", index_views.index_detail, name="index_detail"),
]
