"""API shapes of diagnosis reports (一企一报告), their transitions and the district's deadlines."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diagnostics.choices import DeadlineKind
from diagnostics.models import Deadline, Diagnosis, DiagnosisTransition
from diagnostics.selectors.diagnoses import diagnosis_checklist, signed_pdf_of, software_share

from .assessments import SCORED_FIELDS


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()


class SignedPdfInfoSerializer(serializers.Serializer):
    """The signed report's file, as ``DiagnosisSerializer.signed_pdf`` gives it (null before one is uploaded)."""

    id = serializers.UUIDField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="The download link (a permission-checked route).")


class DiagnosisSerializer(serializers.ModelSerializer):
    """A report as read: content, score, workflow state, evidence checklist. Money in 元 as decimal
    strings; ``software_share`` is software-type cost / proposed cost as a fraction (0.6 = 60%)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.CharField(source="enterprise.unit.code", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    index = serializers.CharField(source="edition.code", read_only=True)
    score = serializers.DecimalField(
        max_digits=7, decimal_places=4, coerce_to_string=False, read_only=True, allow_null=True
    )
    software_share = serializers.SerializerMethodField()
    signed_pdf = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()
    complete = serializers.SerializerMethodField()

    class Meta:
        model = Diagnosis
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "provider",
            "provider_name",
            "status",
            "is_current",
            "version",
            "return_count",
            "diagnosed_on",
            *SCORED_FIELDS,
            "pain_points",
            "summary",
            "target_level",
            "target_scenes",
            "proposed_work",
            "proposed_cost",
            "software_cost",
            "software_share",
            "recommended_products",
            "submitted_on",
            "last_submitted_on",
            "accepted_on",
            "signed_pdf",
            "checklist",
            "complete",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_software_share(self, obj):
        share = software_share(obj)
        return None if share is None else float(round(share, 4))

    @extend_schema_field(SignedPdfInfoSerializer(allow_null=True))
    def get_signed_pdf(self, obj):
        pdf = signed_pdf_of(obj)
        if pdf is None:
            return None
        return {
            "id": str(pdf.pk),
            "name": pdf.original_name,
            "size": pdf.size,
            "sha256": pdf.sha256,
            "uploaded_at": pdf.uploaded_at,
            "url": reverse("core:attachment_download", args=[pdf.pk]),
        }

    def _checklist(self, obj):
        if not hasattr(obj, "_checklist_cache"):
            obj._checklist_cache = diagnosis_checklist(obj)
        return obj._checklist_cache

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checklist(self, obj):
        return [{"code": c.code, "label": c.label, "ok": c.ok} for c in self._checklist(obj)]

    def get_complete(self, obj) -> bool:
        return all(c.ok for c in self._checklist(obj))


class DiagnosisCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    provider = serializers.IntegerField()
    date = serializers.DateField(required=False, allow_null=True, help_text=_("The day the draft was opened."))


class DiagnosisUpdateSerializer(serializers.Serializer):
    """Content a PATCH may send; every field optional. Objects replace the stored object whole."""

    answers = serializers.JSONField(required=False, help_text=_("As for /api/v1/assessments/score/."))
    raw = serializers.JSONField(required=False)
    scenes = serializers.JSONField(required=False, help_text=_("Scene code → level 0–4."))
    scene_notes = serializers.JSONField(required=False)
    pain_points = serializers.JSONField(required=False, help_text=_("Scene code → pain points."))
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    target_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    target_scenes = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    proposed_work = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    proposed_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    software_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    recommended_products = serializers.ListField(child=serializers.IntegerField(), required=False)
    diagnosed_on = serializers.DateField(required=False, allow_null=True)


class TransitionRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, help_text=_("The day it happened; default today."))


class AcceptRequestSerializer(TransitionRequestSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReturnRequestSerializer(TransitionRequestSerializer):
    reason = serializers.CharField(max_length=4000)


class SignedPdfSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The signed report, a PDF."))


class DiagnosisTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    version = serializers.SerializerMethodField()

    class Meta:
        model = DiagnosisTransition
        fields = [
            "id",
            "action",
            "from_status",
            "to_status",
            "date",
            "reason",
            "actor",
            "recorded_at",
            "version",
            "snapshot",
        ]
        read_only_fields = fields

    def get_version(self, obj) -> int | None:
        return (obj.snapshot or {}).get("version")


class DeadlineSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.CharField(source="enterprise.unit.code", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True, default=False)
    done = serializers.BooleanField(read_only=True, default=False)
    set_by = serializers.CharField(source="set_by.username", default=None, read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "kind",
            "due_on",
            "note",
            "done",
            "overdue",
            "set_by",
            "updated_at",
        ]
        read_only_fields = fields


class DeadlineWriteSerializer(serializers.Serializer):
    """One deadline (``enterprise``) or the same one for many (``enterprises``)."""

    enterprise = serializers.IntegerField(required=False)
    enterprises = serializers.ListField(child=serializers.IntegerField(), required=False, allow_empty=False)
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)

    def validate(self, attrs):
        if not attrs.get("enterprise") and not attrs.get("enterprises"):
            raise serializers.ValidationError({"enterprise": [_("Name the enterprise (or a list in enterprises).")]})
        return attrs
