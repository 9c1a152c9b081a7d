"""History back-fill over the API: POST /api/v1/backfill/ (preview or commit), a batch, its error sheet."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.mixins import JsonErrorsMixin
from core.downloads import logged_download
from core.errors import Conflict, PermissionDenied
from core.tabular.batches import ACTIONS
from enterprises.api.views.imports import XlsxRenderer
from funding.backfill import schema, services
from funding.models import BackfillBatch


class BackfillRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the file checks answer an empty file with their own clear message
        help_text="A workbook with the sheets 项目, 验收, 拨付 (any of them), or a CSV file holding one of them.",
    )
    commit = serializers.BooleanField(
        required=False, default=False, help_text="true writes the valid rows; false (default) only previews."
    )


class BackfillErrorSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="The header of the offending column as written in the file.")
    message = serializers.CharField()


class BackfillRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row number within its sheet (the header is row 1).")
    sheet = serializers.CharField(help_text="The sheet's name as written (项目, 验收, 拨付 in the template).")
    kind = serializers.ChoiceField(choices=[k.key for k in schema.KINDS])
    action = serializers.ChoiceField(choices=ACTIONS)
    contract_no = serializers.CharField()
    errors = BackfillErrorSerializer(many=True)


class BackfillTotalsSerializer(serializers.Serializer):
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    error = serializers.IntegerField()


class BackfillResultSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    committed = serializers.BooleanField()
    totals = BackfillTotalsSerializer()
    totals_by_kind = serializers.DictField(child=BackfillTotalsSerializer())
    rows = BackfillRowSerializer(many=True)


class BackfillView(APIView):
    """Upload the programme's history: 200 with a result per row (a preview unless ``commit``), or 202 with
    the batch to poll for a file above 200 rows (processed by a background job)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": BackfillRequestSerializer},
        responses={
            200: BackfillResultSerializer,
            202: inline_serializer(
                "BackfillAccepted", {"batch": serializers.UUIDField(), "status": serializers.CharField()}
            ),
            400: OpenApiResponse(description="Not a readable history file: the message says what to fix."),
            403: OpenApiResponse(description="This role may not back-fill history."),
            409: OpenApiResponse(description="The run failed as a whole; nothing was written."),
        },
        summary="Back-fill projects, acceptances and payments from a spreadsheet (preview or commit)",
    )
    def post(self, request):
        allowed, reason = services.can_backfill(request.user)
        if not allowed:
            raise PermissionDenied(reason)
        data = BackfillRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.backfill_import(
            actor=request.user, upload=data.validated_data["file"], commit=data.validated_data["commit"]
        )
        if batch.status == BackfillBatch.Status.FAILED:
            return Response(
                {"code": "backfill_failed", "message": batch.error, "batch": str(batch.pk), "status": batch.status},
                status=status.HTTP_409_CONFLICT,
            )
        if batch.status == BackfillBatch.Status.DONE:
            return Response(batch.result)
        return Response({"batch": str(batch.pk), "status": batch.status}, status=status.HTTP_202_ACCEPTED)


def _visible_batch_queryset(request):
    allowed, reason = services.can_view_backfills(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    return BackfillBatch.objects.visible_to(request.user)


def _visible_batch(request, pk):
    return get_object_or_404(_visible_batch_queryset(request), pk=pk)


class BackfillBatchView(APIView):
    """A finished history upload and its result."""

    @extend_schema(
        responses={200: BackfillResultSerializer},
        summary="Poll a history back-fill upload (its state; its result once done)",
    )
    def get(self, request, batch):
        batch = get_object_or_404(_visible_batch_queryset(request).select_related("job", "uploaded_by"), pk=batch)
        return Response(services.backfill_status(batch))


class BackfillErrorsView(JsonErrorsMixin, APIView):
    """The upload's error rows as uploaded, sheet by sheet, with a last column 错误说明 (.xlsx)."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        responses={(200, services.XLSX_TYPE): OpenApiTypes.BINARY},
        summary="Download a history upload's error sheet",
    )
    def get(self, request, batch):
        batch = _visible_batch(request, batch)
        if batch.status != BackfillBatch.Status.DONE:
            raise Conflict(
                "not_finished", _("This upload has not finished, or failed as a whole: it has no error sheet.")
            )
        filename = services.error_file_name(batch)
        return logged_download(
            request,
            filename=filename,
            content_type=services.XLSX_TYPE,
            kind="backfill_errors",
            content=services.error_file(batch=batch),
            row_count=(batch.totals or {}).get("error", 0),
        )
