"""URL map: pages, the REST API under /api/v1/, the OpenAPI schema, the language switch."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.views import LogoutView, PasswordView, TokenView, UserViewSet
from core.api.views import UnitListView
from core.views import api_guide, favicon

from .home import home

router = DefaultRouter()
router.register("users", UserViewSet, basename="user")

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("auth/password/", PasswordView.as_view(), name="password"),
    path("units/", UnitListView.as_view(), name="units"),
    path("", include("enterprises.api.urls")),
    path("", include("providers.api.urls")),
    path("", include("events.api.urls")),
    path("", include("diagnostics.api.urls")),
    path("", include("funding.api.urls")),
    path("", include("dataquality.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("worklists.api.urls")),
    path("", include("trail.api.urls")),
    path("", include("dossiers.api.urls")),
    path("", include("unitassessments.api.urls")),
    path("", include("selfevaluations.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("books.api.urls")),
    path("", include("unitreports.api.urls")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("audit/trail/", include("trail.urls")),
    path("books/", include("books.urls")),
    path("audit/", include("core.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("providers/", include("providers.urls")),
    path("events/", include("events.urls")),
    path("", include("diagnostics.urls")),
    path("reports/", include("reports.urls")),
    path("funding/backfill/", include("funding.backfill.urls")),
    path("funding/", include("funding.urls")),
    path("data-quality/", include("dataquality.urls")),
    path("worklists/", include("worklists.urls")),
    path("dossiers/", include("dossiers.urls")),
    path("unit-assessments/", include("unitassessments.urls")),
    path("self-evaluations/", include("selfevaluations.urls")),
    path("notifications/", include("notifications.urls")),
    path("unit-reports/", include("unitreports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: pages carry no inline script (CSP).
    path("api-guide/", api_guide, name="api-guide"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

handler403 = "core.views.error_403"
handler404 = "core.views.error_404"
handler500 = "core.views.error_500"
