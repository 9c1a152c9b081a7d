"""The report pages, one module of routes per area (dashboards, snapshots, documents)."""

from . import urls_dashboard, urls_documents, urls_snapshots

app_name = "reports"

urlpatterns = [*urls_dashboard.urlpatterns, *urls_snapshots.urlpatterns, *urls_documents.urlpatterns]
