from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    EvaluationBodyViewSet,
    EvaluatorAssignmentViewSet,
    ProductViewSet,
    ProviderAssignmentViewSet,
    ProviderRatingViewSet,
    ProviderViewSet,
    ScorecardViewSet,
    ScorecardWeightsView,
)

router = SimpleRouter()
router.register("providers", ProviderViewSet, basename="provider")
router.register("evaluators", EvaluationBodyViewSet, basename="evaluator")
router.register("products", ProductViewSet, basename="product")
router.register("provider-assignments", ProviderAssignmentViewSet, basename="provider-assignment")
router.register("evaluator-assignments", EvaluatorAssignmentViewSet, basename="evaluator-assignment")
router.register("provider-ratings", ProviderRatingViewSet, basename="provider-rating")
router.register("scorecards", ScorecardViewSet, basename="scorecard")

urlpatterns = [
    path("scorecard-weights/", ScorecardWeightsView.as_view(), name="scorecard-weights"),
    *router.urls,
]
