from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.backfill import BackfillBatchView, BackfillErrorsView, BackfillView
from .views.records import (
    AcceptanceViewSet,
    BudgetLineViewSet,
    CommitmentViewSet,
    DisbursementViewSet,
    FinancialProductViewSet,
    InterestSubsidyViewSet,
    ProjectViewSet,
    RecognitionViewSet,
)

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("acceptances", AcceptanceViewSet, basename="acceptance")
router.register("recognitions", RecognitionViewSet, basename="recognition")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("disbursements", DisbursementViewSet, basename="disbursement")
router.register("financial-products", FinancialProductViewSet, basename="financial-product")
router.register("interest-subsidies", InterestSubsidyViewSet, basename="interest-subsidy")

urlpatterns = [
    *router.urls,
    # The history back-fill, under /api/v1/backfill/.
    path("backfill/", BackfillView.as_view(), name="backfill"),
    path("backfill/<uuid:batch>/", BackfillBatchView.as_view(), name="backfill-batch"),
    path("backfill/<uuid:batch>/errors/", BackfillErrorsView.as_view(), name="backfill-errors"),
]
