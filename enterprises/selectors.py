"""Reads of the registry, always through the viewer's scope."""

from django.db.models import Count

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
    filterset = EnterpriseFilter(
        params or None, queryset=enterprise_list(viewer=viewer).order_by("unit__code", "name", "pk")
    )
    return filterset, filterset.qs


def enterprise_get(*, viewer, pk):
    """One enterprise in the viewer's scope (``Enterprise.DoesNotExist`` outside it, as when missing)."""
    return enterprise_list(viewer=viewer).select_related("replacement", "created_by").get(pk=pk)


def enterprise_counts(*, viewer):
    """``{(unit_id, status): n}`` over the viewer's scope, in one grouped query: what the home page's
    figures and per-unit table are summed from (:func:`enterprise_status_counts`,
    :func:`unit_enterprise_counts` with ``counts=``). ``COUNT(*)`` reads no column outside the
    (unit, status) index, so PostgreSQL answers from the index alone (``ent_unit_status``)."""
    return {
        (row["unit_id"], row["status"]): row["n"]
        for row in enterprise_list(viewer=viewer).order_by().values("unit_id", "status").annotate(n=Count("*"))
    }


def enterprise_status_counts(*, viewer, queryset=None, counts=None):
    """``{status: count}`` over the viewer's scope (or a filtered queryset, or the viewer's
    :func:`enterprise_counts` already read), every status present."""
    result = dict.fromkeys(Status.values, 0)
    if counts is not None:
        for (_unit_id, status), n in counts.items():
            result[status] = result.get(status, 0) + n
        return result
    base = queryset if queryset is not None else enterprise_list(viewer=viewer)
    # COUNT(*), not COUNT(id): the count needs no column outside the status index (index-only scan).
    for row in base.order_by().values("status").annotate(n=Count("*")):
        result[row["status"]] = row["n"]
    return result


def enterprise_status_history(*, enterprise):
    return (
        EnterpriseStatusChange.objects.filter(enterprise=enterprise)
        .select_related("actor", "replacement", "from_unit", "to_unit")
        .order_by("-happened_on", "-recorded_at")
    )


def replaced_by_this(*, enterprise):
    """The withdrawn enterprises this one replaces."""
    return Enterprise.objects.filter(replacement=enterprise).select_related("unit")


def unit_enterprise_counts(*, viewer, counts=None):
    """Per unit the viewer sees: active, proposed and withdrawn counts, its quota and shortfall (3
    queries; 2 when given the viewer's :func:`enterprise_counts`)."""
    if counts is None:
        counts = enterprise_counts(viewer=viewer)
    rows = {}
    for (unit_id, status), n in counts.items():
        rows.setdefault(unit_id, {"active": 0, "proposed": 0, "withdrawn": 0})
        if status in (Status.ACTIVE, Status.PROPOSED, Status.WITHDRAWN):
            rows[unit_id][status] += n
    quotas = {q.unit_id: q.required for q in UnitQuota.objects.all()}
    role = role_of(viewer)
    result = []
    for unit in unit_list():
        if role == Role.UNIT_STAFF and unit.pk != viewer.unit_id:
            continue
        if role not in GLOBAL_READ_ROLES and role != Role.UNIT_STAFF and unit.pk not in rows:
            continue
        row = rows.get(unit.pk, {"active": 0, "proposed": 0, "withdrawn": 0})
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
