"""The diagnostics API: the score endpoint, assessments, diagnosis reports and deadlines."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.assessments import AssessmentViewSet, RulesView, ScoreView
from .views.diagnoses import DeadlineViewSet, DiagnosisViewSet

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns = [
    path("assessments/score/", ScoreView.as_view(), name="assessment-score"),
    path("assessments/rules/", RulesView.as_view(), name="assessment-rules"),
    *router.urls,
]
