"""The report pages, grouped by area (dashboards, targets, snapshots, documents)."""

from django.urls import path, re_path

from .views import dashboards, documents, snapshots, targets

app_name = "reports"

urlpatterns = [
    # dashboards
    path("indicators/", dashboards.indicator_dashboard, name="indicators"),
    re_path(
        r"^indicators/(?P<number>[0-9]{1,2}|1\+2|R[1-3])/$", dashboards.indicator_records, name="indicator_records"
    ),
    # targets
    path("targets/", targets.unit_targets, name="targets"),
    path("targets/history/", targets.target_history_page, name="target_history"),
    # snapshots
    path("snapshots/", snapshots.snapshot_list, name="snapshot_list"),
    path("snapshots/request/", snapshots.snapshot_request, name="snapshot_request"),
    path("snapshots/compare/", snapshots.snapshot_compare, name="snapshot_compare"),
    path("snapshots/<uuid:pk>/", snapshots.snapshot_detail, name="snapshot_detail"),
    path("snapshots/<uuid:pk>/pdf/", snapshots.snapshot_pdf, name="snapshot_pdf"),
    path("snapshots/<uuid:pk>/xlsx/", snapshots.snapshot_xlsx, name="snapshot_xlsx"),
    # documents
    path("documents/", documents.document_list, name="documents"),
    path("documents/<uuid:pk>/download/", documents.document_download, name="document_download"),
    path("documents/enterprise/<int:pk>/", documents.request_enterprise_file, name="document_enterprise_file"),
    path("documents/project/<int:pk>/", documents.request_project_dossier, name="document_project_dossier"),
    path("documents/ledger/", documents.request_ledger_statement, name="document_ledger_statement"),
    path("documents/evidence/", documents.request_evidence_pack, name="document_evidence_pack"),
]
