from django.urls import path

from . import views

app_name = "unitreports"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.overview_export, name="overview_export"),
    path("list/", views.report_list, name="list"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_form, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_form, name="round_edit"),
    path("rounds/<int:pk>/fill/", views.fill, name="fill"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
]
