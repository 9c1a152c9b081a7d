"""Roster import over the API (docs/api.md): upload, poll a batch, download its error sheet (the views
themselves are :mod:`core.tabular.api`)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from core.tabular import api
from enterprises import imports


@extend_schema_field({"type": "string", "description": "`pending`, `running`, `done` or `failed`."})
class BatchStatusField(serializers.CharField):
    """A batch's state, described in words: as an enum it would collide with the enterprises' ``status``
    (drf-spectacular names enums after their field)."""


class ImportRequestSerializer(api.UploadRequestSerializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the roster checks answer an empty file with their own clear message
        help_text="The roster, .xlsx or .csv (UTF-8, UTF-8 with BOM or GBK).",
    )


# The shared shapes under this import's own names, which the schema's components keep.
class ImportErrorSerializer(api.RowErrorSerializer):
    pass


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Spreadsheet row number (the header is row 1).")
    action = serializers.ChoiceField(choices=imports.ACTIONS)
    credit_code = serializers.CharField()
    errors = ImportErrorSerializer(many=True)


class ImportTotalsSerializer(api.TotalsSerializer):
    pass


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


@extend_schema_view(
    post=extend_schema(
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
)
class ImportView(api.BatchUploadView):
    """Upload a roster: 200 with the import result, or 202 with the batch to poll for a file above 5,000 rows."""

    batch_import = imports.ROSTER_IMPORT
    request_serializer = ImportRequestSerializer
    failure_code = "import_failed"

    def start(self, *, actor, upload, commit):
        return imports.roster_import(actor=actor, upload=upload, commit=commit)


@extend_schema_view(get=extend_schema(responses={200: ImportBatchStatusSerializer}, summary="Poll an import batch"))
class ImportBatchView(api.BatchStatusView):
    """An import batch: its state, and its import result when done (uploader and district; 404 otherwise)."""

    batch_import = imports.ROSTER_IMPORT


@extend_schema_view(get=extend_schema(summary="Download an import batch's error sheet"))
class ImportBatchErrorsView(api.BatchErrorsView):
    """The batch's error rows as uploaded, with a last column 错误说明 saying what to fix (.xlsx)."""

    batch_import = imports.ROSTER_IMPORT
