"""History back-fill over the API, under /api/v1/backfill/."""

from django.urls import path

from .backfill_views import BackfillBatchView, BackfillErrorsView, BackfillView

urlpatterns = [
    path("backfill/", BackfillView.as_view(), name="backfill"),
    path("backfill/<uuid:batch>/", BackfillBatchView.as_view(), name="backfill-batch"),
    path("backfill/<uuid:batch>/errors/", BackfillErrorsView.as_view(), name="backfill-errors"),
]
