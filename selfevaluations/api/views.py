"""The self-evaluations API (docs/api.md "Self-evaluations"): start a version, list, read, download the Word
document and the PDF, compare two versions, save and list narrative revisions."""

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
from core.api.renderers import PdfRenderer, accepts
from core.errors import DomainError
from core.permissions import require

from ..exports import selfevaluation_download
from ..models import SelfEvaluation
from ..permissions import can_read_selfevaluations
from ..rendering import DOCX
from ..selectors import narrative_revisions, selfevaluation_compare, selfevaluation_get, selfevaluation_list
from ..services import narrative_save, selfevaluation_start
from .serializers import NARRATIVE, START, revision_as_dict, selfevaluation_as_dict


class DocxRenderer(PdfRenderer):
    """Lets a client whose ``Accept`` names the Word type download the document."""

    media_type = DOCX
    format = "docx"


def _evaluation(request, pk):
    require(can_read_selfevaluations(request.user))
    try:
        return selfevaluation_get(viewer=request.user, pk=pk)
    except SelfEvaluation.DoesNotExist:
        raise DomainError("not_found", _("No self-evaluation you can see has this id."), status=404) from None


def _text(data, name, *, required=True):
    value = data.get(name) if hasattr(data, "get") else None
    if isinstance(value, (dict, list, bool)) or (required and value in (None, "")):
        raise DomainError("invalid", _("This field is required and is text."), field=name)
    return None if value in (None, "") else str(value)


def _stage_param(request):
    stage = request.query_params.get("stage") or None
    if stage not in (None, "midterm", "final"):
        raise DomainError("invalid_stage", _("Choose a stage: midterm or final."), field="stage")
    return stage


class SelfEvaluationListView(APIView):
    """Start a version of the mid-term or final self-evaluation as of a day (a Celery task builds it), or list the
    versions, newest first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.STR, enum=["midterm", "final"]),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
        operation_id="selfevaluations_list",
    )
    def get(self, request):
        require(can_read_selfevaluations(request.user))
        versions = selfevaluation_list(viewer=request.user, stage=_stage_param(request))
        paginator = PortalPagination()
        page = paginator.paginate_queryset(versions, request, view=self)
        return paginator.get_paginated_response([selfevaluation_as_dict(v) for v in page])

    @extend_schema(
        request=START,
        responses={201: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
        operation_id="selfevaluations_create",
    )
    def post(self, request):
        if not hasattr(request.data, "get"):
            raise DomainError("invalid", _("Send an object with stage and, optionally, as_of."))
        evaluation = selfevaluation_start(
            actor=request.user, stage=_text(request.data, "stage"), as_of=_text(request.data, "as_of", required=False)
        )
        evaluation.refresh_from_db(fields=["status"])  # in-process (no broker): already built
        code = status.HTTP_201_CREATED if evaluation.is_finished else status.HTTP_202_ACCEPTED
        return Response({"id": str(evaluation.pk), "status": evaluation.status}, status=code)


class SelfEvaluationDetailView(APIView):
    """A version: its status, stage, day, version number, the snapshot its figures come from (with its provenance)
    and the narrative revisions it merged."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="selfevaluations_retrieve")
    def get(self, request, pk):
        return Response(selfevaluation_as_dict(_evaluation(request, pk)))


class SelfEvaluationCompareView(APIView):
    """The figures that differ between this version and another (``?with=<id>``): ``[{"key", "label", "old",
    "new"}]``, old being the other version's."""

    @extend_schema(
        parameters=[OpenApiParameter("with", OpenApiTypes.UUID, required=True)],
        responses=OpenApiTypes.OBJECT,
        operation_id="selfevaluations_compare",
    )
    def get(self, request, pk):
        new = _evaluation(request, pk)
        other = request.query_params.get("with")
        if not other:
            raise DomainError("invalid", _("Name the version to compare with (with=<id>)."), field="with")
        old = _evaluation(request, other)
        for version in (old, new):
            if version.status != SelfEvaluation.Status.DONE:
                raise DomainError("not_ready", _("Both versions must be generated."), status=409)
        return Response({"old": str(old.pk), "new": str(new.pk), "changed": selfevaluation_compare(old, new)})


class _FileView(JsonErrorsMixin, APIView):
    kind = "docx"
    media = DOCX

    def get(self, request, pk):
        if not accepts(request, self.media):
            raise NotAcceptable(_("This download is a file of its own type: send a matching Accept."))
        return selfevaluation_download(request, _evaluation(request, pk), self.kind)


class SelfEvaluationDocxView(_FileView):
    """The editable Word document, logged as a download; 409 while it is not generated."""

    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        responses={(200, DOCX): OpenApiResponse(response=OpenApiTypes.BINARY), 409: OpenApiResponse()},
        operation_id="selfevaluations_docx",
    )
    def get(self, request, pk):
        return super().get(request, pk)


class SelfEvaluationPdfView(_FileView):
    """The same document as PDF, logged as a download; 409 while it is not generated."""

    kind = "pdf"
    media = "application/pdf"
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY), 409: OpenApiResponse()},
        operation_id="selfevaluations_pdf",
    )
    def get(self, request, pk):
        return super().get(request, pk)


class NarrativeListView(APIView):
    """The narrative revisions of a stage (``?stage=``), newest first; or save a new revision of a section."""

    @extend_schema(
        parameters=[OpenApiParameter("stage", OpenApiTypes.STR, enum=["midterm", "final"], required=True)],
        responses=OpenApiTypes.OBJECT,
        operation_id="selfevaluations_narratives_list",
    )
    def get(self, request):
        require(can_read_selfevaluations(request.user))
        stage = _stage_param(request)
        if stage is None:
            raise DomainError("invalid_stage", _("Choose a stage: midterm or final."), field="stage")
        revisions = narrative_revisions(viewer=request.user, stage=stage)
        paginator = PortalPagination()
        page = paginator.paginate_queryset(revisions, request, view=self)
        return paginator.get_paginated_response([revision_as_dict(r) for r in page])

    @extend_schema(
        request=NARRATIVE, responses={201: OpenApiTypes.OBJECT}, operation_id="selfevaluations_narratives_create"
    )
    def post(self, request):
        data = request.data
        revision = narrative_save(
            actor=request.user,
            stage=_text(data, "stage"),
            section=_text(data, "section"),
            text=_text(data, "text", required=False) or "",
        )
        return Response(revision_as_dict(revision), status=status.HTTP_201_CREATED)
