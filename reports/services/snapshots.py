"""Report snapshots written: requested, created nightly, and computed by their task (docs/api.md).

``snapshot_request`` checks the requester's scope, creates the pending row and sends
``reports.tasks.compute_snapshot_task`` on commit (``nightly_snapshots`` does the same every night for
each begun period, district-wide); the task calls ``snapshot_compute``, which claims the row under a
lock (with a lease), stores the rows with the ids of the records behind each number and,
district-wide, the per-unit annex and the dashboard figures, renders the PDF once and marks the
snapshot done or failed.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from books.selectors import closure_in_force
from core.errors import PermissionDenied
from core.history import set_history
from core.jobs import claim_leased, send_task
from core.roles import role_of
from core.selectors import unit_list
from notifications.choices import NotificationKind as Notice
from notifications.services import notify_event, users
from providers.models import Product, Provider
from trail.selectors import chain_head

from ..models import Indicator, IndicatorTarget, ReportingPeriod, ReportSnapshot
from ..permissions import REPORT_ROLES, REQUEST_ROLES
from ..rendering.snapshots import render_snapshot_pdf
from ..selectors import indicators as counting
from ..selectors.dashboards import stored_extras
from ..selectors.indicators import as_number, completion, indicator_report_for_scope
from ..selectors.scope import parse_as_of, report_scope
from ..selectors.snapshots import NUMBER_FIELDS

#: The Celery task that computes a snapshot, sent by name (``reports.tasks`` imports this module).
COMPUTE_TASK = "reports.tasks.compute_snapshot_task"

logger = logging.getLogger(__name__)


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
        # The same report already waiting or being computed is the answer: a second click, or many
        # users asking at once, do not queue the same work twice.
        waiting = (
            ReportSnapshot.objects.select_for_update()
            .filter(period=period, unit=unit, as_of=as_of)
            .filter(status__in=(ReportSnapshot.Status.PENDING, ReportSnapshot.Status.RUNNING))
            .order_by("requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        snapshot = ReportSnapshot(period=period, unit=unit, as_of=as_of, requested_by=actor)
        set_history(snapshot, actor=actor)
        snapshot.save()
        snapshot_id = str(snapshot.pk)
        transaction.on_commit(lambda: _send(snapshot_id))
    return snapshot


def nightly_snapshots(*, today=None):
    """Create, for every reporting period that has begun, a district-wide snapshot as of ``today``
    (default: today in Asia/Shanghai) with trigger "nightly", and send their tasks on commit.

    Idempotent: a period that already has a nightly snapshot as of that day (pending, running or
    done) gets no second one; a failed one is tried again. The periods are locked while checking,
    so two overlapping runs cannot both create one. Returns the snapshots created.
    """
    today = today or timezone.localdate()
    created = []
    with transaction.atomic():
        periods = list(ReportingPeriod.objects.select_for_update().filter(start__lte=today).order_by("order"))
        existing = set(
            ReportSnapshot.objects.filter(
                period__in=periods, unit__isnull=True, as_of=today, trigger=ReportSnapshot.Trigger.NIGHTLY
            )
            .exclude(status=ReportSnapshot.Status.FAILED)
            .values_list("period_id", flat=True)
        )
        for period in periods:
            if period.pk in existing:
                continue
            snapshot = ReportSnapshot.objects.create(
                period=period, unit=None, as_of=today, trigger=ReportSnapshot.Trigger.NIGHTLY
            )
            created.append(snapshot)
        ids = [str(s.pk) for s in created]
        transaction.on_commit(lambda: [_send(snapshot_id) for snapshot_id in ids])
    return created


def _send(snapshot_id):
    """Send the snapshot's task; when the broker is down the snapshot stays pending (no error for the
    requester) and ``core.tasks.requeue_expired_jobs_task`` sends it once Redis is back (the model is
    registered as a leased model in ``reports/apps.py``). Returns whether the broker took it."""
    return send_task(COMPUTE_TASK, [snapshot_id])


def snapshot_claim(snapshot_id, *, lease_seconds=None):
    """Take the snapshot for this worker, or ``None`` if it must not run now (finished, or running
    under another worker's valid lease). An expired lease is taken over."""
    return claim_leased(ReportSnapshot, snapshot_id, label="snapshot", lease_seconds=lease_seconds)


def _stored(value):
    return None if value is None else str(value)


#: What the ids of each number are: the records counted (see ``indicators.records``).
RECORD_TYPES = {
    **dict.fromkeys(("1", "2", "1+2", "3", "4", "5", "8", "R1", "R2", "R3"), "enterprise"),
    **dict.fromkeys(("7", "10", "11", "12", "13"), "recognition"),
    "6": "product",
    "9": "provider",
}


def _flag(condition):
    if not condition:  # an empty Q: every row meets it (R3's denominator)
        return Value(True, output_field=BooleanField())
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def counted_ids(*, period, unit, as_of):
    """The ids of the records behind every number of a report: ``{number: {"record_type", "ids"}}``
    (ratios also ``denominator_ids``; 6 and 9 in a unit's report have ``ids`` None). The same rule
    conditions as ``indicators.compute`` and ``indicators.records``, one query per kind of record
    (four at most) whatever the size of the data."""
    w = counting.Window(start=period.start, end=period.end or as_of, as_of=as_of, unit=unit)
    flags, any_rule = {}, Q()
    for index, (number, rule) in enumerate(counting.ENTERPRISE_COUNTS.items()):
        flags[(number, "ids")] = (f"c{index}", rule(w))
    for index, (number, rule) in enumerate(counting.ENTERPRISE_RATIOS.items()):
        denominator, numerator = rule(w)
        flags[(number, "denominator_ids")] = (f"d{index}", denominator)
        flags[(number, "ids")] = (f"n{index}", numerator)
    everyone = any(not condition for _name, condition in flags.values())
    for _name, condition in flags.values():
        any_rule |= condition
    result = {number: {"record_type": kind, "ids": []} for number, kind in RECORD_TYPES.items()}
    for number in counting.ENTERPRISE_RATIOS:
        result[number]["denominator_ids"] = []
    rows = (
        counting.enterprise_base(w)
        .filter(counting.in_pilot_list(w))
        .annotate(**{name: _flag(condition) for name, condition in flags.values()})
        .filter(Q() if everyone else any_rule)
        .order_by("pk")
        .values_list("pk", *(name for name, _condition in flags.values()))
    )
    keys = list(flags)
    for pk, *hits in rows:
        for (number, field), hit in zip(keys, hits, strict=True):
            if hit:
                result[number][field].append(pk)

    rules = counting.RECOGNITION_COUNTS
    any_recognition = Q()
    for rule in rules.values():
        any_recognition |= rule(w)
    names = {number: f"r{index}" for index, number in enumerate(rules)}
    rows = (
        counting.recognition_base(w)
        .filter(any_recognition)
        .annotate(**{names[number]: _flag(rule(w)) for number, rule in rules.items()})
        .order_by("pk")
        .values_list("pk", *names.values())
    )
    for pk, *hits in rows:
        for number, hit in zip(rules, hits, strict=True):
            if hit:
                result[number]["ids"].append(pk)

    if unit is None:
        result["6"]["ids"] = list(
            Product.objects.filter(counting.indicator_6(w)).order_by("pk").values_list("pk", flat=True)
        )
        result["9"]["ids"] = list(
            Provider.objects.filter(counting.indicator_9(w)).order_by("pk").values_list("pk", flat=True)
        )
    else:
        result["6"]["ids"] = result["9"]["ids"] = None
    return result


def unit_annex(*, period, as_of):
    """The per-unit annex of a district-wide report: for each of the district's units (by code) its
    17 rows ``{"number", "target", "actual", "completion"}``, the target being the unit's allocation
    (None where none is allocated, and for 6 and 9, which are not broken down by unit). Numbers as
    strings, as stored. A fixed number of queries (``indicators.compute_by_unit`` and three more)."""
    actuals = counting.compute_by_unit(start=period.start, end=period.end or as_of, as_of=as_of)
    indicators = list(Indicator.objects.order_by("order").values_list("pk", "number", "by_unit"))
    targets = {
        (unit_id, indicator_id): target
        for unit_id, indicator_id, target in IndicatorTarget.objects.filter(
            period=period, unit__isnull=False
        ).values_list("unit_id", "indicator_id", "target")
    }
    annex = []
    for unit in unit_list():
        values = actuals.get(unit.pk, {})
        rows = []
        for indicator_id, number, by_unit in indicators:
            target = as_number(targets.get((unit.pk, indicator_id))) if by_unit else None
            actual = as_number(values.get(number)) if by_unit else None
            rows.append(
                {
                    "number": number,
                    "target": _stored(target),
                    "actual": _stored(actual),
                    "completion": _stored(completion(actual, target)),
                }
            )
        annex.append({"unit": unit.code, "name": unit.name, "indicators": rows})
    return annex


def snapshot_contents(*, period, unit, as_of):
    """What a snapshot stores: its 17 rows (numbers as strings, each with ``record_type`` and the
    ``ids`` counted) and, district-wide, the per-unit annex. A fixed number of queries. (The
    dashboard figures beside them: :func:`reports.selectors.dashboards.stored_extras`.)"""
    report = indicator_report_for_scope(period=period, unit=unit, as_of=as_of)
    ids = counted_ids(period=period, unit=unit, as_of=as_of)
    rows = [
        {**row, **{k: _stored(row[k]) for k in NUMBER_FIELDS}, **ids.get(row["number"], {})}
        for row in report["indicators"]
    ]
    annex = unit_annex(period=period, as_of=as_of) if unit is None else []
    return rows, annex


#: What ``note_close`` sets on a snapshot being computed.
CLOSE_FIELDS = (
    "closed_through",
    "closure_id",
    "audit_entries",
    "audit_head",
    "close_baseline_id",
    "changed_after_close",
)


def note_close(snapshot):
    """Note on ``snapshot`` (being computed) the period close in force and the audit trail's head, and flag the
    rows whose actual changed since the close: compared with the earliest snapshot of the same period and unit
    computed under the same closure (the figures as they stood at close). Nothing is flagged without a close."""
    closure = closure_in_force()
    snapshot.audit_entries, snapshot.audit_head = chain_head()
    snapshot.closure_id = closure.pk if closure else None
    snapshot.closed_through = closure.through if closure else None
    snapshot.close_baseline_id, snapshot.changed_after_close = None, []
    if closure is None:
        return snapshot
    baseline = (
        ReportSnapshot.objects.filter(
            period=snapshot.period_id, unit=snapshot.unit_id, closure=closure, status=ReportSnapshot.Status.DONE
        )
        .exclude(pk=snapshot.pk)
        .order_by("finished_at", "requested_at")
        .first()
    )
    if baseline is None:
        return snapshot
    before = {row["number"]: row.get("actual") for row in baseline.indicators}
    snapshot.close_baseline_id = baseline.pk
    snapshot.changed_after_close = [
        {"number": row["number"], "name": row["name"], "old": before[row["number"]], "new": row.get("actual")}
        for row in snapshot.indicators
        if row["number"] in before and as_number(before[row["number"]]) != as_number(row.get("actual"))
    ]
    return snapshot


def snapshot_compute(snapshot_id):
    """Compute and store a snapshot; returns its final status, or ``None`` when not claimed.

    Safe to run twice: a finished snapshot is returned untouched. An error marks it failed with
    the message (and is logged).
    """
    snapshot = snapshot_claim(snapshot_id)
    if snapshot is None:
        return None
    try:
        snapshot.indicators, snapshot.units = snapshot_contents(
            period=snapshot.period, unit=snapshot.unit, as_of=snapshot.as_of
        )
        extras = stored_extras(unit=snapshot.unit, as_of=snapshot.as_of)
        note_close(snapshot)
        pdf = render_snapshot_pdf(snapshot)
        with transaction.atomic():
            locked = ReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
            if locked.is_finished:  # another delivery finished it meanwhile
                return locked.status
            locked.indicators = snapshot.indicators
            locked.units = snapshot.units
            locked.extras = extras
            for field in CLOSE_FIELDS:
                setattr(locked, field, getattr(snapshot, field))
            locked.pdf.save("snapshot.pdf", ContentFile(pdf), save=False)
            locked.status = ReportSnapshot.Status.DONE
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.lease_expires_at = None
            set_history(locked, actor=snapshot.requested_by)
            locked.save()
            notify_event(
                users(locked.requested_by),
                Notice.REPORT_DONE,
                f"{locked.period.name} {locked.unit.name if locked.unit_id else '全区'} {locked.as_of}",
                link=reverse("reports:snapshot_detail", args=[locked.pk]),
            )
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
        set_history(snapshot, actor=snapshot.requested_by)
        snapshot.save()
