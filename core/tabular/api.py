"""The API of a spreadsheet import, written once: upload a file (preview or commit), poll a batch,
download its error sheet (docs/api.md).

An import subclasses the three views, naming its :class:`~core.tabular.batches.BatchImport`, its
request serializer and its service, and documents each with ``extend_schema_view``; the shapes its
rows take are its own serializers, on the shared ones below.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.mixins import JsonErrorsMixin
from core.downloads import logged_download
from core.errors import Conflict
from core.permissions import require

from .writing import XLSX_TYPE

# No docstrings on the serializers below: the schema would show them in each import's components.


class UploadRequestSerializer(serializers.Serializer):
    # An import declares its ``file`` again with its own ``help_text``.
    file = serializers.FileField(allow_empty_file=True)  # the file checks answer an empty file with their own message
    commit = serializers.BooleanField(
        required=False, default=False, help_text="true writes the valid rows; false (default) only previews."
    )


class RowErrorSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="The header of the offending column as written in the file.")
    message = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


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


class BatchAPIView(APIView):
    """A view of one import's batches: ``batch_import`` is its :class:`~core.tabular.batches.BatchImport`."""

    batch_import = None

    def visible_batch(self, request, pk):
        """The batch, if the caller may see the import's batches (else 403) and this one (else 404)."""
        require(self.batch_import.can_open(request.user))
        queryset = self.batch_import.model.objects.visible_to(request.user).select_related("job", "uploaded_by")
        return get_object_or_404(queryset, pk=pk)


class BatchUploadView(BatchAPIView):
    """Upload a file: 200 with the result, 202 with the batch to poll when a background job runs it, 409
    when the run failed as a whole (``failure_code``). A subclass supplies :meth:`start` (its service)."""

    parser_classes = [MultiPartParser, FormParser]
    request_serializer = UploadRequestSerializer
    failure_code = ""

    def start(self, *, actor, upload, commit):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def post(self, request):
        require(self.batch_import.can_run(request.user))
        data = self.request_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = self.start(actor=request.user, upload=data.validated_data["file"], commit=data.validated_data["commit"])
        Status = self.batch_import.model.Status
        if batch.status == Status.FAILED:
            return Response(
                {"code": self.failure_code, "message": batch.error, "batch": str(batch.pk), "status": batch.status},
                status=status.HTTP_409_CONFLICT,
            )
        if batch.status == Status.DONE:
            return Response(batch.result)
        return Response({"batch": str(batch.pk), "status": batch.status}, status=status.HTTP_202_ACCEPTED)


class BatchStatusView(BatchAPIView):
    """A batch: its state, and its result when done."""

    def get(self, request, batch):
        return Response(self.batch_import.status(self.visible_batch(request, batch)))


class BatchErrorsView(JsonErrorsMixin, BatchAPIView):
    """The batch's error rows as uploaded, with a last column 错误说明 saying what to fix (.xlsx); 409 until
    the batch is done."""

    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    @extend_schema(responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request, batch):
        batch_import = self.batch_import
        batch = self.visible_batch(request, batch)
        if batch.status != batch.Status.DONE:
            raise Conflict("not_finished", batch_import.not_finished)
        return logged_download(
            request,
            filename=batch_import.error_file_name(batch),
            content_type=XLSX_TYPE,
            kind=batch_import.errors_kind,
            content=batch_import.error_file(batch),
            row_count=(batch.totals or {}).get("error", 0),
        )
