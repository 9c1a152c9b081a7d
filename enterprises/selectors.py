"""Reads of the registry, always through the viewer's scope."""

from django.db.models import Count, Q

from core.roles import GLOBAL_READ_ROLES, Role, role_of
from core.selectors import unit_list

from .choices import Status
from .filters import EnterpriseFilter
from .models import Enterprise, EnterpriseStatusChange, UnitQuota


def enterprise_list(*, viewer):
    """Enterprises the viewer may see, with their unit loaded (no query per row)."""
    return Enterprise.objects.visible_to(viewer).select_related("unit")


def enterprise_filtered(*, viewer, params):
    """The viewer's enterprises narrowed by the list's filters (shared by page, export and API)."""
    filterset = EnterpriseFilter(params or None, queryset=enterprise_list(viewer=viewer).order_by("unit__code", "name"))
    return filterset, filterset.qs


def enterprise_get(*, viewer, pk):
    """One enterprise in the viewer's scope (``Enterprise.DoesNotExist`` outside it, as when missing)."""
    return enterprise_list(viewer=viewer).select_related("replacement", "created_by").get(pk=pk)


def enterprise_status_counts(*, viewer, queryset=None):
    """``{status: count}`` over the viewer's scope (or a filtered queryset), every status present."""
    counts = dict.fromkeys(Status.values, 0)
    base = queryset if queryset is not None else enterprise_list(viewer=viewer)
    for row in base.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def enterprise_status_history(*, enterprise):
    return (
        EnterpriseStatusChange.objects.filter(enterprise=enterprise)
        .select_related("actor", "replacement", "from_unit", "to_unit")
        .order_by("-happened_on", "-recorded_at")
    )


def replaced_by_this(*, enterprise):
    """The withdrawn enterprises this one replaces."""
    return Enterprise.objects.filter(replacement=enterprise).select_related("unit")


def unit_enterprise_counts(*, viewer):
    """Per unit the viewer sees: active, proposed and withdrawn counts, its quota and shortfall (2 queries)."""
    rows = {
        row["unit__code"]: row
        for row in enterprise_list(viewer=viewer)
        .order_by()
        .values("unit__code")
        .annotate(
            active=Count("pk", filter=Q(status=Status.ACTIVE)),
            proposed=Count("pk", filter=Q(status=Status.PROPOSED)),
            withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        )
    }
    quotas = {q.unit_id: q.required for q in UnitQuota.objects.all()}
    role = role_of(viewer)
    result = []
    for unit in unit_list():
        if role == Role.UNIT_STAFF and unit.pk != viewer.unit_id:
            continue
        if role not in GLOBAL_READ_ROLES and role != Role.UNIT_STAFF and unit.code not in rows:
            continue
        row = rows.get(unit.code, {"active": 0, "proposed": 0, "withdrawn": 0})
        required = quotas.get(unit.pk)
        result.append(
            {
                "unit": unit,
                "unit__code": unit.code,
                "unit__name": unit.name,
                "active": row["active"],
                "proposed": row["proposed"],
                "withdrawn": row["withdrawn"],
                "required": required,
                "short": max(0, required - row["active"]) if required is not None else 0,
            }
        )
    return result


def proposed_queue(*, viewer):
    return enterprise_list(viewer=viewer).filter(status=Status.PROPOSED).order_by("unit__code", "created_at")
