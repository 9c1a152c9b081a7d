"""The dossiers API (docs/api.md "Auditor dossier"): request one, list, read, download the zip."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAcceptable
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.mixins import JsonErrorsMixin
from core.api.pagination import PortalPagination
from core.api.renderers import ZipRenderer, accepts
from core.errors import DomainError

from ..exports import dossier_download
from ..models import Dossier
from ..selectors import dossier_get, dossier_list
from ..services import dossier_request
from .serializers import DOSSIER_REQUEST, dossier_as_dict

FIELDS = ("project", "enterprise", "unit", "period")


def _dossier(request, pk):
    try:
        return dossier_get(viewer=request.user, pk=pk)
    except Dossier.DoesNotExist:
        raise DomainError("not_found", _("No dossier you can see has this id."), status=404) from None


class DossierListView(APIView):
    """Ask for an auditor dossier of one project, one enterprise, or one unit over a period (a Celery task builds
    the zip), or list the dossiers the caller may see, newest first (their own; every dossier for the district,
    finance officers, auditors and admins)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="only the caller's own dossiers"),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
        operation_id="dossiers_list",
    )
    def get(self, request):
        mine = str(request.query_params.get("mine", "")).lower() in ("1", "true", "yes")
        dossiers = dossier_list(viewer=request.user, mine=mine)
        paginator = PortalPagination()
        page = paginator.paginate_queryset(dossiers, request, view=self)
        return paginator.get_paginated_response([dossier_as_dict(d) for d in page])

    @extend_schema(
        request=DOSSIER_REQUEST,
        responses={
            202: OpenApiTypes.OBJECT,
            404: OpenApiResponse(description="No project, enterprise or unit the caller may see has this id or code."),
        },
        operation_id="dossiers_create",
    )
    def post(self, request):
        data = request.data
        if not hasattr(data, "get"):
            raise DomainError("invalid", _("Send an object with project, enterprise, or unit and period."))
        values = {}
        for name in FIELDS:
            value = data.get(name)
            if isinstance(value, (dict, list, bool)):
                raise DomainError("invalid", _("This value is not an id or a code."), field=name)
            values[name] = None if value in (None, "") else str(value)
        dossier = dossier_request(actor=request.user, **values)
        dossier.refresh_from_db(fields=["status"])  # in-process (no broker): already built
        return Response({"id": str(dossier.pk), "status": dossier.status}, status=status.HTTP_202_ACCEPTED)


class DossierDetailView(APIView):
    """A dossier: its status and progress, its subject, the audit head it was made at and, once built, the zip's
    size and SHA-256."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="dossiers_retrieve")
    def get(self, request, pk):
        return Response(dossier_as_dict(_dossier(request, pk)))


class DossierZipView(JsonErrorsMixin, APIView):
    """The dossier's zip (``application/zip``), logged as a download; 409 while it is not built."""

    renderer_classes = [JSONRenderer, ZipRenderer]

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(response=OpenApiTypes.BINARY, description="The dossier's zip"),
            409: OpenApiResponse(description="The dossier is not built yet."),
        },
        operation_id="dossiers_zip",
    )
    def get(self, request, pk):
        if not accepts(request, "application/zip"):
            raise NotAcceptable(_("This download is a zip: send Accept: application/zip."))
        return dossier_download(request, _dossier(request, pk))
