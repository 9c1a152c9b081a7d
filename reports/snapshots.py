"""Report snapshots: an indicator report frozen at a date, with its Chinese PDF (API_CONTRACT.md).

``snapshot_request`` checks the requester's scope, creates the pending row and enqueues
``compute_snapshot_task`` on commit; the task calls ``snapshot_compute``, which claims the row under
a lock (with a lease), computes the rows, renders the PDF and marks the snapshot done or failed.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role, role_of

from .models import ReportSnapshot
from .selectors import REPORT_ROLES, _number, indicator_report_for_scope, parse_as_of, report_scope

logger = logging.getLogger(__name__)

#: Who may request a snapshot (API_CONTRACT.md): district, auditor, admin; unit staff for their unit.
REQUEST_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF})
NUMBER_FIELDS = ("target", "actual", "completion")


# --- requests and reads --------------------------------------------------------------------------


def snapshot_request(*, actor, period, unit=None, as_of=None):
    """Create a pending snapshot of ``period`` for ``unit`` (None = district-wide) at ``as_of``
    (default today) and send its task once the transaction commits."""
    role = role_of(actor)
    if role not in REQUEST_ROLES:
        if role in REPORT_ROLES:
            raise PermissionDenied(_("Your role reads reports but does not request snapshots."))
        raise PermissionDenied(_("Your role does not see the indicator report."))
    unit = report_scope(actor, unit)
    as_of = parse_as_of(as_of)
    with transaction.atomic():
        snapshot = ReportSnapshot(period=period, unit=unit, as_of=as_of, requested_by=actor)
        snapshot._history_user = actor
        snapshot.save()
        snapshot_id = str(snapshot.pk)
        transaction.on_commit(lambda: _send(snapshot_id))
    return snapshot


def _send(snapshot_id):
    from .tasks import compute_snapshot_task

    compute_snapshot_task.delay(snapshot_id)


def snapshots_visible_to(viewer):
    """The snapshots ``viewer`` may read: all for global readers, their unit's for unit staff."""
    role = role_of(viewer)
    if role in REPORT_ROLES:
        return ReportSnapshot.objects.all()
    if role == Role.UNIT_STAFF and viewer.unit_id:
        return ReportSnapshot.objects.filter(unit_id=viewer.unit_id)
    raise PermissionDenied(_("Your role does not see the indicator report."))


def snapshot_get(*, viewer, snapshot_id):
    """A snapshot the viewer may read, or a 404 exactly like a missing one."""
    snapshot = snapshots_visible_to(viewer).select_related("period", "unit").filter(pk=snapshot_id).first()
    if snapshot is None:
        raise DomainError("not_found", _("No report snapshot you can see has this id."), status=404)
    return snapshot


def snapshot_pdf(snapshot):
    """The stored PDF of a finished snapshot, or a 409 while it is not done."""
    if snapshot.status != ReportSnapshot.Status.DONE or not snapshot.pdf:
        if snapshot.status == ReportSnapshot.Status.FAILED:
            raise Conflict("snapshot_failed", _("The snapshot failed: {error}").format(error=snapshot.error))
        raise Conflict("snapshot_not_done", _("The snapshot is still being computed; try again shortly."))
    return snapshot.pdf


def snapshot_as_dict(snapshot):
    """The contract's shape, with the stored number strings back as numbers (JSON numbers)."""
    return {
        "id": str(snapshot.pk),
        "status": snapshot.status,
        "period": snapshot.period.code,
        "unit": snapshot.unit.code if snapshot.unit_id else None,
        "as_of": snapshot.as_of.isoformat(),
        "indicators": [{**row, **{k: _number(row.get(k)) for k in NUMBER_FIELDS}} for row in snapshot.indicators or []],
    }


# --- the work of the task -----------------------------------------------------------------------


def snapshot_claim(snapshot_id, *, lease_seconds=None):
    """Take the snapshot for this worker, or ``None`` if it must not run now (finished, or running
    under another worker's valid lease). An expired lease is taken over."""
    lease = timedelta(seconds=lease_seconds or settings.PORTAL_JOB_LEASE_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        snapshot = ReportSnapshot.objects.select_for_update().filter(pk=snapshot_id).first()
        if snapshot is None or snapshot.is_finished:
            return None
        if snapshot.status == ReportSnapshot.Status.RUNNING:
            if snapshot.lease_expires_at and snapshot.lease_expires_at > now:
                return None
            logger.warning("Taking over snapshot %s whose lease expired at %s", snapshot.pk, snapshot.lease_expires_at)
        snapshot.status = ReportSnapshot.Status.RUNNING
        snapshot.attempts += 1
        snapshot.started_at = snapshot.started_at or now
        snapshot.lease_expires_at = now + lease
        snapshot.save(update_fields=["status", "attempts", "started_at", "lease_expires_at"])
        return snapshot


def _stored(value):
    return None if value is None else str(value)


def _shown(value, unit_of_measure):
    """A number as the PDF shows it: ratios (``%`` rows) as per cent, empty as a dash."""
    if value is None:
        return "—"
    value = Decimal(value)
    if unit_of_measure == "%":
        return f"{(value * 100).quantize(Decimal('0.1')).normalize():f}%"
    return f"{value.normalize():f}"


def _completion_shown(value):
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1')):f}%"


def render_snapshot_pdf(snapshot):
    """The snapshot as a PDF (bytes), rendered by WeasyPrint from ``reports/pdf_snapshot.html``."""
    from weasyprint import HTML

    rows = [
        {
            "number": row["number"],
            "name": row["name"],
            "unit_of_measure": row["unit_of_measure"],
            "target": _shown(row["target"], row["unit_of_measure"]),
            "actual": _shown(row["actual"], row["unit_of_measure"]),
            "completion": _completion_shown(row["completion"]),
        }
        for row in snapshot.indicators
    ]
    html = render_to_string(
        "reports/pdf_snapshot.html",
        {
            "snapshot": snapshot,
            "period": snapshot.period,
            "unit_name": snapshot.unit.name if snapshot.unit_id else "全区",
            "rows": rows,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def snapshot_compute(snapshot_id):
    """Compute and store a snapshot; returns its final status, or ``None`` when not claimed.

    Safe to run twice: a finished snapshot is returned untouched. An error marks it failed with
    the message (and is logged).
    """
    snapshot = snapshot_claim(snapshot_id)
    if snapshot is None:
        return None
    try:
        report = indicator_report_for_scope(period=snapshot.period, unit=snapshot.unit, as_of=snapshot.as_of)
        snapshot.indicators = [{**row, **{k: _stored(row[k]) for k in NUMBER_FIELDS}} for row in report["indicators"]]
        pdf = render_snapshot_pdf(snapshot)
        with transaction.atomic():
            locked = ReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
            if locked.is_finished:  # another delivery finished it meanwhile
                return locked.status
            locked.indicators = snapshot.indicators
            locked.pdf.save("snapshot.pdf", ContentFile(pdf), save=False)
            locked.status = ReportSnapshot.Status.DONE
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.lease_expires_at = None
            locked._history_user = snapshot.requested_by
            locked.save()
    except Exception as exc:
        # Logged, not re-raised: the row says what went wrong, and an in-process run (no broker)
        # must not turn the request that asked for the snapshot into a 500.
        logger.exception("Report snapshot %s failed", snapshot_id)
        _fail(snapshot_id, f"{type(exc).__name__}: {exc}")
        return ReportSnapshot.Status.FAILED
    return ReportSnapshot.Status.DONE


def _fail(snapshot_id, error):
    with transaction.atomic():
        snapshot = ReportSnapshot.objects.select_for_update().filter(pk=snapshot_id).first()
        if snapshot is None or snapshot.is_finished:
            return
        snapshot.status = ReportSnapshot.Status.FAILED
        snapshot.error = str(error)[:5000]
        snapshot.finished_at = timezone.now()
        snapshot.lease_expires_at = None
        snapshot._history_user = snapshot.requested_by
        snapshot.save()
