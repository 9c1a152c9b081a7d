"""Routes of the report documents pages."""

urlpatterns = []
