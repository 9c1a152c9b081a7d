"""Roster import over the API (docs/api.md): upload, poll a batch, download its error sheet."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import renderers, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.mixins import JsonErrorsMixin
from core.downloads import logged_download
from core.errors import Conflict, PermissionDenied
from core.tabular import writing
from enterprises import imports, permissions
from enterprises.models import ImportBatch

XLSX_TYPE = writing.XLSX_TYPE


@extend_schema_field({"type": "string", "description": "`pending`, `running`, `done` or `failed`."})
class BatchStatusField(serializers.CharField):
    """A batch's state, described in words: as an enum it would collide with the enterprises' ``status``
    (drf-spectacular names enums after their field)."""


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the roster checks answer an empty file with their own clear message
        help_text="The roster, .xlsx or .csv (UTF-8, UTF-8 with BOM or GBK).",
    )
    commit = serializers.BooleanField(
        required=False, default=False, help_text="true writes the valid rows; false (default) only previews."
    )


class ImportErrorSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="The header of the offending column as written in the file.")
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row number (the header is row 1).")
    action = serializers.ChoiceField(choices=imports.ACTIONS)
    credit_code = serializers.CharField()
    errors = ImportErrorSerializer(many=True)


class ImportTotalsSerializer(serializers.Serializer):
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    committed = serializers.BooleanField()
    totals = ImportTotalsSerializer()
    rows = ImportRowSerializer(many=True)


class ImportAcceptedSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    status = BatchStatusField()


class ImportBatchStatusSerializer(ImportResultSerializer):
    status = BatchStatusField()
    file_name = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField(allow_null=True)
    commit = serializers.BooleanField()
    row_count = serializers.IntegerField()
    progress = serializers.IntegerField(help_text="0–100")
    error = serializers.CharField(required=False, help_text="Why a failed batch failed.")

    class Meta:
        # Until the batch is done, only the state is present (not totals and rows).
        ref_name = "ImportBatchStatus"


def _failure(batch):
    return Response(
        {"code": "import_failed", "message": batch.error, "batch": str(batch.pk), "status": batch.status},
        status=status.HTTP_409_CONFLICT,
    )


class ImportView(APIView):
    """Upload a roster: 200 with the import result, or 202 with the batch to poll for a file above 5,000 rows."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportResultSerializer,
            202: ImportAcceptedSerializer,
            400: OpenApiResponse(description="Not a readable roster: the message says what to fix."),
            403: OpenApiResponse(description="This role may not import rosters."),
            409: OpenApiResponse(description="The commit failed; nothing was written."),
        },
        summary="Import a roster of enterprises (preview or commit)",
    )
    def post(self, request):
        allowed, reason = permissions.can_import(request.user)
        if not allowed:
            raise PermissionDenied(reason)
        data = ImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = imports.roster_import(
            actor=request.user, upload=data.validated_data["file"], commit=data.validated_data["commit"]
        )
        if batch.status == ImportBatch.Status.DONE:
            return Response(batch.result)
        if batch.status == ImportBatch.Status.FAILED:
            return _failure(batch)
        return Response({"batch": str(batch.pk), "status": batch.status}, status=status.HTTP_202_ACCEPTED)


def _visible_batch(request, pk):
    return get_object_or_404(ImportBatch.objects.visible_to(request.user).select_related("job", "uploaded_by"), pk=pk)


class ImportBatchView(APIView):
    """An import batch: its state, and its import result when done (uploader and district; 404 otherwise)."""

    @extend_schema(responses={200: ImportBatchStatusSerializer}, summary="Poll an import batch")
    def get(self, request, batch):
        return Response(imports.import_status(_visible_batch(request, batch)))


class XlsxRenderer(renderers.BaseRenderer):
    """Lets clients that ask for xlsx by ``Accept`` reach the view; error bodies stay JSON."""

    media_type = XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


class ImportBatchErrorsView(JsonErrorsMixin, APIView):
    """The batch's error rows as uploaded, with a last column 错误说明 saying what to fix (.xlsx)."""

    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    @extend_schema(
        responses={(200, XLSX_TYPE): OpenApiTypes.BINARY},
        summary="Download an import batch's error sheet",
    )
    def get(self, request, batch):
        batch = _visible_batch(request, batch)
        if batch.status != ImportBatch.Status.DONE:
            raise Conflict("not_finished", _("This import has not finished; its error sheet is not ready yet."))
        content = imports.import_error_file(batch=batch)
        filename = imports.error_file_name(batch)
        return logged_download(
            request,
            filename=filename,
            content_type=XLSX_TYPE,
            kind="roster_errors",
            content=content,
            row_count=batch.totals.get("error", 0),
        )
