from rest_framework.routers import SimpleRouter

from .views import (
    AcceptanceViewSet,
    BudgetLineViewSet,
    CommitmentViewSet,
    DisbursementViewSet,
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

urlpatterns = router.urls
