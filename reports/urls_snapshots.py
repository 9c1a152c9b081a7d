"""Routes of the report snapshots pages."""

urlpatterns = []
