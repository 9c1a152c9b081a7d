from django.urls import path
from rest_framework.routers import SimpleRouter

from .assessment_views import AssessmentViewSet, ScoreView

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")

urlpatterns = [
    path("assessments/score/", ScoreView.as_view(), name="assessment-score"),
    *router.urls,
]
