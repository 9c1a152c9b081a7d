"""Input and output shapes of the closures API (docs/api.md "Period close")."""

from rest_framework import serializers

from ..models import Closure, ClosureException


def _username(field):
    return serializers.CharField(source=f"{field}.username", default=None, allow_null=True, read_only=True)


class ClosureExceptionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    requested_by = _username("requested_by")
    approved_by = _username("approved_by")
    rejected_by = _username("rejected_by")
    used_by = _username("used_by")

    class Meta:
        model = ClosureException
        fields = [
            "id",
            "closure",
            "record_model",
            "record_id",
            "description",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "approved_by",
            "approved_at",
            "valid_until",
            "rejected_by",
            "rejected_at",
            "used_by",
            "used_at",
            "uses",
        ]
        read_only_fields = fields


class ClosureSerializer(serializers.ModelSerializer):
    in_force = serializers.BooleanField(source="is_in_force", read_only=True)
    closed_by = _username("closed_by")
    reopen_requested_by = _username("reopen_requested_by")
    reopened_by = _username("reopened_by")

    class Meta:
        model = Closure
        fields = [
            "id",
            "through",
            "reason",
            "in_force",
            "closed_by",
            "closed_at",
            "reopen_reason",
            "reopen_requested_by",
            "reopen_requested_at",
            "reopened_by",
            "reopened_at",
        ]
        read_only_fields = fields


class CloseSerializer(serializers.Serializer):
    through = serializers.DateField()
    reason = serializers.CharField()


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField()


class NothingSerializer(serializers.Serializer):
    pass


class ExceptionRequestSerializer(serializers.Serializer):
    record_model = serializers.CharField(
        max_length=100, help_text="The record's model label, e.g. funding.disbursement"
    )
    record_id = serializers.CharField(max_length=64)
    reason = serializers.CharField()
