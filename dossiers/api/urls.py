from django.urls import path

from .views import DossierDetailView, DossierListView, DossierZipView

urlpatterns = [
    path("dossiers/", DossierListView.as_view(), name="dossiers"),
    path("dossiers/<str:pk>/", DossierDetailView.as_view(), name="dossier"),
    path("dossiers/<str:pk>/zip/", DossierZipView.as_view(), name="dossier-zip"),
]
