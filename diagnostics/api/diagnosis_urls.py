from rest_framework.routers import SimpleRouter

from .diagnosis_views import DeadlineViewSet, DiagnosisViewSet

router = SimpleRouter()
router.register("diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("deadlines", DeadlineViewSet, basename="deadline")

urlpatterns = router.urls
