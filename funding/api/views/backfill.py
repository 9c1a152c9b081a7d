"""History back-fill over the API: POST /api/v1/backfill/ (preview or commit), a batch, its error sheet
(the views themselves are :mod:`core.tabular.api`)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers

from core.tabular import api
from core.tabular.batches import ACTIONS
from funding.backfill import schema, services


class BackfillRequestSerializer(api.UploadRequestSerializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the file checks answer an empty file with their own clear message
        help_text="A workbook with the sheets 项目, 验收, 拨付 (any of them), or a CSV file holding one of them.",
    )


# The shared shapes under this import's own names, which the schema's components keep.
class BackfillErrorSerializer(api.RowErrorSerializer):
    pass


class BackfillRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row number within its sheet (the header is row 1).")
    sheet = serializers.CharField(help_text="The sheet's name as written (项目, 验收, 拨付 in the template).")
    kind = serializers.ChoiceField(choices=[k.key for k in schema.KINDS])
    action = serializers.ChoiceField(choices=ACTIONS)
    contract_no = serializers.CharField()
    errors = BackfillErrorSerializer(many=True)


class BackfillTotalsSerializer(api.TotalsSerializer):
    pass


class BackfillResultSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    committed = serializers.BooleanField()
    totals = BackfillTotalsSerializer()
    totals_by_kind = serializers.DictField(child=BackfillTotalsSerializer())
    rows = BackfillRowSerializer(many=True)


@extend_schema_view(
    post=extend_schema(
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
)
class BackfillView(api.BatchUploadView):
    """Upload the programme's history: 200 with a result per row (a preview unless ``commit``), or 202 with
    the batch to poll for a file above 200 rows (processed by a background job)."""

    batch_import = services.BACKFILL
    request_serializer = BackfillRequestSerializer
    failure_code = "backfill_failed"

    def start(self, *, actor, upload, commit):
        return services.backfill_import(actor=actor, upload=upload, commit=commit)


@extend_schema_view(
    get=extend_schema(
        responses={200: BackfillResultSerializer},
        summary="Poll a history back-fill upload (its state; its result once done)",
    )
)
class BackfillBatchView(api.BatchStatusView):
    """A finished history upload and its result."""

    batch_import = services.BACKFILL


@extend_schema_view(get=extend_schema(summary="Download a history upload's error sheet"))
class BackfillErrorsView(api.BatchErrorsView):
    """The upload's error rows as uploaded, sheet by sheet, with a last column 错误说明 (.xlsx)."""

    batch_import = services.BACKFILL
