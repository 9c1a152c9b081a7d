"""Read-only representations of the two work lists kept by this app."""

from django.utils import timezone
from rest_framework import serializers

from ..models import PolicyDocument, WorkTask


class WorkTaskSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The unit's 9-digit code (none: district-wide)."
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    overdue = serializers.SerializerMethodField(help_text="The deadline has passed and the task is not done.")

    class Meta:
        model = WorkTask
        fields = [
            "id",
            "position",
            "category",
            "source",
            "title",
            "target",
            "responsible_departments",
            "unit",
            "unit_name",
            "starts_on",
            "deadline",
            "status",
            "percent",
            "progress_note",
            "overdue",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, task) -> bool:
        return task.is_overdue(timezone.localdate())


class PolicyDocumentSerializer(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField()
    window_open = serializers.SerializerMethodField(help_text="The application window is open today.")
    url = serializers.CharField(read_only=True, help_text="A link to the published text, or empty.")

    class Meta:
        model = PolicyDocument
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "issued_on",
            "support",
            "window_opens",
            "window_closes",
            "window_open",
            "effective_from",
            "effective_to",
            "repealed",
            "in_force",
            "url",
            "note",
            "updated_at",
        ]
        read_only_fields = fields

    def get_in_force(self, policy) -> bool:
        return policy.is_in_force(timezone.localdate())

    def get_window_open(self, policy) -> bool:
        return policy.is_window_open(timezone.localdate())
