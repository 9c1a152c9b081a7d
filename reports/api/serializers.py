"""What the reports API reads and answers: the snapshot request's body and a snapshot in a list (docs/api.md)."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

#: The body of a snapshot request (documented in the schema; read by the view field by field).
SNAPSHOT_REQUEST = inline_serializer(
    "ReportSnapshotRequest",
    {
        "period": serializers.CharField(help_text="2025, 2026 or total"),
        "unit": serializers.CharField(required=False, help_text="a unit's 9-digit code"),
        "as_of": serializers.DateField(required=False, help_text="default today (Asia/Shanghai)"),
    },
)


def snapshot_summary(snapshot):
    """A snapshot in a list: the contract's fields without the rows, and who and when."""
    return {
        "id": str(snapshot.pk),
        "status": snapshot.status,
        "period": snapshot.period.code,
        "unit": snapshot.unit.code if snapshot.unit_id else None,
        "as_of": snapshot.as_of.isoformat(),
        "trigger": snapshot.trigger,
        "requested_by": snapshot.requested_by.username if snapshot.requested_by_id else None,
        "requested_at": snapshot.requested_at.isoformat(),
        "finished_at": snapshot.finished_at.isoformat() if snapshot.finished_at else None,
    }
