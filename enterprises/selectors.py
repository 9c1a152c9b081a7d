"""Reads of the registry, always through the viewer's scope."""

from django.db.models import Count, Q

from .choices import Status
from .models import Enterprise


def enterprise_list(*, viewer):
    """Enterprises the viewer may see, with their unit loaded (no query per row)."""
    return Enterprise.objects.visible_to(viewer).select_related("unit")


def enterprise_status_counts(*, viewer):
    """``{status: count}`` over the viewer's scope, every status present (zero when none)."""
    counts = dict.fromkeys(Status.values, 0)
    for row in enterprise_list(viewer=viewer).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def unit_enterprise_counts(*, viewer):
    """Per unit the viewer sees: active (in the pilot list) and proposed counts, one query."""
    rows = (
        enterprise_list(viewer=viewer)
        .order_by()
        .values("unit__code", "unit__name")
        .annotate(
            active=Count("pk", filter=Q(status=Status.ACTIVE)), proposed=Count("pk", filter=Q(status=Status.PROPOSED))
        )
        .order_by("unit__code")
    )
    return list(rows)
