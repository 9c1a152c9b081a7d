from rest_framework.routers import SimpleRouter

from .views import (
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

urlpatterns = router.urls
