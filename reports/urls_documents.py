"""Routes of the report documents pages: "My documents", the requests and the checked download."""

from django.urls import path

from . import views_documents as views

urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/<uuid:pk>/download/", views.document_download, name="document_download"),
    path("documents/enterprise/<int:pk>/", views.request_enterprise_file, name="document_enterprise_file"),
    path("documents/project/<int:pk>/", views.request_project_dossier, name="document_project_dossier"),
    path("documents/ledger/", views.request_ledger_statement, name="document_ledger_statement"),
    path("documents/evidence/", views.request_evidence_pack, name="document_evidence_pack"),
]
