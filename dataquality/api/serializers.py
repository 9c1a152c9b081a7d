from rest_framework import serializers


class FindingSerializer(serializers.Serializer):
    """One finding: its kind, the enterprise, the other one of a pair (null when not visible or not a pair)."""

    kind = serializers.CharField()
    kind_label = serializers.CharField()
    enterprise = serializers.IntegerField(source="enterprise.pk")
    enterprise_name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    unit = serializers.CharField(source="enterprise.unit.code")
    other = serializers.SerializerMethodField()
    other_name = serializers.SerializerMethodField()
    detail = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    state = serializers.SerializerMethodField()
    resolution = serializers.SerializerMethodField()

    def get_other(self, row) -> int | None:
        return row.other.pk if row.other else None

    def get_other_name(self, row) -> str | None:
        return row.other.name if row.other else None

    def get_state(self, row) -> str:
        return "open" if row.is_open else "resolved"

    def get_resolution(self, row) -> dict | None:
        r = row.resolution
        if r is None:
            return None
        return {
            "resolution": r.resolution,
            "reason": r.reason,
            "resolved_at": r.resolved_at.isoformat(),
            "resolved_by": r.resolved_by.username if r.resolved_by else None,
        }
