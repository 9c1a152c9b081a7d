from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.imports import ImportBatchErrorsView, ImportBatchView, ImportView
from .views.registry import EnterpriseViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    path("enterprises/import/", ImportView.as_view(), name="enterprise-import"),
    path("enterprises/import/<uuid:batch>/", ImportBatchView.as_view(), name="enterprise-import-batch"),
    path("enterprises/import/<uuid:batch>/errors/", ImportBatchErrorsView.as_view(), name="enterprise-import-errors"),
    *router.urls,
]
