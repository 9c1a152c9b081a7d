from rest_framework.routers import SimpleRouter

from .views import ClosureExceptionViewSet, ClosureViewSet

router = SimpleRouter()
router.register("closures", ClosureViewSet, basename="closure")
router.register("closure-exceptions", ClosureExceptionViewSet, basename="closure-exception")

urlpatterns = router.urls
