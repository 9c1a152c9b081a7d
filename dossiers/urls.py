from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list_page, name="list"),
    path("request/", views.request_dossier, name="request"),
    path("<str:pk>/", views.dossier_detail, name="detail"),
    path("<str:pk>/zip/", views.dossier_zip, name="zip"),
]
