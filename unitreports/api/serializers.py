"""Read-only representations of unit reports."""

from rest_framework import serializers

from ..models import UnitReport


class UnitReportSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The unit's 9-digit code.")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    round = serializers.CharField(source="round.code", read_only=True, help_text="The round's code.")
    round_name = serializers.CharField(source="round.name", read_only=True)
    indicator_period = serializers.CharField(source="round.indicator_period.code", read_only=True)
    period_start = serializers.DateField(source="round.period_start", read_only=True)
    period_end = serializers.DateField(source="round.period_end", read_only=True)
    due_on = serializers.DateField(source="round.due_on", read_only=True)
    complete = serializers.BooleanField(read_only=True, help_text="Every narrative section is filled.")
    figures = serializers.JSONField(
        read_only=True, help_text="Indicator number → the unit's actual (int; ratios as decimal strings; null)."
    )

    class Meta:
        model = UnitReport
        fields = [
            "id",
            "round",
            "round_name",
            "indicator_period",
            "period_start",
            "period_end",
            "due_on",
            "unit",
            "unit_name",
            "status",
            "figures",
            "figures_as_of",
            "work_done",
            "dynamic_management",
            "problems",
            "next_steps",
            "complete",
            "first_submitted_at",
            "submitted_at",
            "reviewed_at",
            "return_reason",
            "updated_at",
        ]
        read_only_fields = fields
