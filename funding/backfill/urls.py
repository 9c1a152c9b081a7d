"""History back-fill pages, at /funding/backfill/: upload, template, batches, batch, commit, errors."""

from . import views

app_name = "backfill"

urlpatterns = views.PAGES.urlpatterns()
