"""Report snapshots: an indicator report frozen at a date, with its Chinese PDF (API_CONTRACT.md).

``snapshot_request`` checks the requester's scope, creates the pending row and enqueues
``compute_snapshot_task`` on commit (``nightly_snapshots`` does the same every night for each begun
period, district-wide); the task calls ``snapshot_compute``, which claims the row under a lock (with a
lease), stores the rows with the ids of the records behind each number and, district-wide, the
per-unit annex, renders the PDF once and marks the snapshot done or failed.

Reads: ``snapshot_latest`` / ``snapshot_series`` for the dashboards, ``snapshot_list``,
``snapshot_previous`` and ``snapshot_compare`` (what changed, record by record) for the pages.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, JSONField, Max, Q, Value, When
from django.db.models.expressions import RawSQL
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role, role_of
from core.selectors import unit_list
from providers.models import Product, Provider

from .models import Indicator, IndicatorTarget, ReportingPeriod, ReportSnapshot
from .selectors import (
    REPORT_ROLES,
    _number,
    completion,
    indicator_report_for_scope,
    parse_as_of,
    report_scope,
    stored_extras,
)

logger = logging.getLogger(__name__)

#: Who may request a snapshot (API_CONTRACT.md): district, auditor, admin; unit staff for their unit.
REQUEST_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF})
NUMBER_FIELDS = ("target", "actual", "completion")
RATIO_NUMBERS = ("R1", "R2", "R3")
#: Not broken down by unit: no value in a unit's report, no column in the annex.
NOT_BY_UNIT = ("6", "9")
#: The keys of a row in the API (API_CONTRACT.md); the stored row also holds the ids counted.
CONTRACT_FIELDS = ("number", "name", "unit_of_measure", "target", "actual", "completion")


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
        snapshot._history_user = actor
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
    from core.jobs import send_task

    from .tasks import compute_snapshot_task

    return send_task(compute_snapshot_task.name, [snapshot_id])


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
    snapshot = (
        snapshots_visible_to(viewer).select_related("period", "unit", "requested_by").filter(pk=snapshot_id).first()
    )
    if snapshot is None:
        raise DomainError("not_found", _("No report snapshot you can see has this id."), status=404)
    return snapshot


#: A snapshot's JSON columns that its list and its page do not show: at 100,000 enterprises a
#: district snapshot's rows hold megabytes of ids.
UNSHOWN_JSON = ("indicators", "units", "extras")
#: How long a finished snapshot's page rows stay cached (they never change once it is finished).
PAGE_ROWS_CACHE_SECONDS = 7 * 24 * 3600


def _counted_row(row):
    """A stored row without the ids behind its number, with how many there are (``count``, and
    ``denominator`` for ratios; None where the snapshot recorded no ids)."""
    light = {k: v for k, v in row.items() if k not in ("ids", "denominator_ids")}
    light["count"] = len(row["ids"]) if isinstance(row.get("ids"), list) else None
    light["denominator"] = len(row["denominator_ids"]) if isinstance(row.get("denominator_ids"), list) else None
    return light


def _page_rows_key(snapshot_pk):
    return f"reports:snapshot-page-rows:v1:{snapshot_pk}"


def snapshot_page(*, viewer, snapshot_id):
    """A snapshot for its page, or a 404 exactly like a missing one: as :func:`snapshot_get`, with
    ``page_rows`` (its rows as :func:`_counted_row` makes them) and without ``indicators`` and
    ``extras``. On PostgreSQL the ids are counted and left out in the query, so the megabytes of
    JSON they make at 100,000 enterprises are neither sent nor parsed; elsewhere the rows are read
    whole and counted here. A finished snapshot's page rows are then cached: it is never written
    again (:func:`snapshot_compute` returns it untouched) and its id is never reused, so the copy
    cannot go stale; the scoped query for the snapshot itself runs on every request."""
    queryset = snapshots_visible_to(viewer).select_related("period", "unit", "requested_by").filter(pk=snapshot_id)
    key = _page_rows_key(snapshot_id)
    cached = cache.get(key)
    if cached is not None:
        snapshot = queryset.defer("indicators", "extras").first()
        if snapshot is None:
            raise DomainError("not_found", _("No report snapshot you can see has this id."), status=404)
        snapshot.page_rows = cached
        return snapshot
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        counted = RawSQL(  # a constant statement: no value from outside
            "(SELECT jsonb_agg((e - 'ids' - 'denominator_ids') || jsonb_build_object("
            "'count', CASE WHEN jsonb_typeof(e -> 'ids') = 'array' THEN jsonb_array_length(e -> 'ids') END, "
            "'denominator', CASE WHEN jsonb_typeof(e -> 'denominator_ids') = 'array' "
            "THEN jsonb_array_length(e -> 'denominator_ids') END) ORDER BY o) "
            'FROM jsonb_array_elements("reports_reportsnapshot"."indicators") WITH ORDINALITY AS t(e, o))',
            [],
            output_field=JSONField(),
        )
        queryset = queryset.defer("indicators", "extras").annotate(page_rows=counted)
    snapshot = queryset.first()
    if snapshot is None:
        raise DomainError("not_found", _("No report snapshot you can see has this id."), status=404)
    snapshot.page_rows = (
        (snapshot.page_rows or []) if postgresql else [_counted_row(row) for row in snapshot.indicators or []]
    )
    if snapshot.status == ReportSnapshot.Status.DONE:
        cache.set(key, snapshot.page_rows, PAGE_ROWS_CACHE_SECONDS)
    return snapshot


def _numbers(row):
    """A stored row with its number strings back as numbers (int or Decimal; None stays None)."""
    return {**row, **{k: _number(row.get(k)) for k in NUMBER_FIELDS}}


def _light(queryset):
    """Snapshots with their rows read without the ids behind each number (``light_rows``): at 100,000
    enterprises a district snapshot's ids are megabytes of JSON, which the dashboards never show. On
    PostgreSQL the ids are stripped in the query; elsewhere the rows are read whole."""
    if connection.vendor != "postgresql":
        return queryset
    light = RawSQL(  # a constant statement: no value from outside
        "(SELECT jsonb_agg(e - 'ids' - 'denominator_ids' ORDER BY o) "
        'FROM jsonb_array_elements("reports_reportsnapshot"."indicators") WITH ORDINALITY AS t(e, o))',
        [],
        output_field=JSONField(),
    )
    return queryset.defer("indicators").annotate(light_rows=light)


#: The JSON columns of a snapshot: megabytes at 100,000 enterprises (the ids behind every number).
PAYLOAD_FIELDS = ("indicators", "units", "extras")
#: How long a finished snapshot's light payload stays cached (it never changes once finished).
PAYLOAD_CACHE_SECONDS = 7 * 24 * 3600


def _payload_key(snapshot_pk):
    return f"reports:snapshot-payload:v2:{snapshot_pk}"


def _with_payload(snapshot):
    """A finished snapshot read without its JSON columns (``defer(*PAYLOAD_FIELDS)``), given its light
    rows (:func:`_light`), per-unit annex and frozen dashboard figures: from the cache, or from one
    query that is then cached. A finished snapshot is never written again (:func:`snapshot_compute`
    returns it untouched), and its id is never reused, so the cached copy cannot go stale; the
    dashboards then read a few hundred bytes of metadata a column instead of detoasting and
    rebuilding megabytes of JSON on every request. ``None`` passes through."""
    if snapshot is None:
        return None
    key = _payload_key(snapshot.pk)
    payload = cache.get(key)
    if payload is None:
        row = _light(ReportSnapshot.objects.filter(pk=snapshot.pk)).first()
        payload = {
            # Stored with their numbers already converted (see _numbers): read on every dashboard view.
            "light_rows": [_numbers(r) for r in _rows_of(row)],
            "units": row.units or [],
            "annex_as_numbers": _annex_as_numbers(row),
            "extras": row.extras or {},
        }
        if snapshot.status == ReportSnapshot.Status.DONE:
            cache.set(key, payload, PAYLOAD_CACHE_SECONDS)
    snapshot.light_rows = payload["light_rows"]
    snapshot.units = payload["units"]
    snapshot.annex_as_numbers = payload["annex_as_numbers"]
    snapshot.extras = payload["extras"]
    return snapshot


def _rows_of(snapshot):
    """A snapshot's 17 rows: light when read through :func:`_light`, else as stored."""
    if hasattr(snapshot, "light_rows"):
        return snapshot.light_rows or []
    return snapshot.indicators or []


def _annex_rows(snapshot, unit_code):
    """A unit's 17 rows out of a district snapshot's annex (names from the snapshot's own rows), or
    ``None`` when the annex has no entry for the unit."""
    entry = next((e for e in snapshot.units or [] if e.get("unit") == unit_code), None)
    if entry is None:
        return None
    names = {row["number"]: row for row in _rows_of(snapshot)}
    return [
        {
            "number": row["number"],
            "name": names.get(row["number"], {}).get("name", ""),
            "unit_of_measure": names.get(row["number"], {}).get("unit_of_measure", ""),
            **{k: _number(row.get(k)) for k in NUMBER_FIELDS},
        }
        for row in entry.get("indicators", [])
    ]


def _annex_as_numbers(snapshot):
    return [
        {**entry, "indicators": [_numbers(row) for row in entry.get("indicators", [])]}
        for entry in snapshot.units or []
    ]


def _newest(*snapshots):
    """The newest of the given snapshots by as-of date, then by when it finished (None ignored)."""
    present = [s for s in snapshots if s is not None]
    return max(present, key=lambda s: (s.as_of, s.finished_at or s.requested_at), default=None)


def snapshot_latest(*, viewer, period, unit=None):
    """The latest finished snapshot covering ``period`` for ``unit`` (None = district-wide), or ``None``.

    Returns ``{"snapshot", "source", "indicators", "units"}``: ``indicators`` holds the 17 rows as in
    :func:`snapshot_as_dict` (numbers as numbers), ``units`` the per-unit annex (district-wide only).
    For a unit, the newer (by as-of date, then by finishing time) of the unit's own latest snapshot and
    the unit's rows in the latest district snapshot that has an annex; ``source`` says which ("unit"
    or "annex"; "district" for a district-wide answer). Unit staff are narrowed to their own unit and
    read their unit's rows of district snapshots. Two queries of metadata at most, the JSON columns
    (rows without their ids, annex, frozen figures) from the cache (:func:`_with_payload`).
    """
    unit = report_scope(viewer, unit)
    done = (
        ReportSnapshot.objects.filter(period=period, status=ReportSnapshot.Status.DONE)
        .select_related("period", "unit", "requested_by")
        .defer(*PAYLOAD_FIELDS)
    )
    if unit is None:
        snapshot = _with_payload(done.filter(unit__isnull=True).order_by("-as_of", "-finished_at").first())
        if snapshot is None:
            return None
        return {
            "snapshot": snapshot,
            "source": "district",
            "indicators": list(snapshot.light_rows),  # converted by _with_payload
            "units": list(snapshot.annex_as_numbers),
        }
    own = _with_payload(done.filter(unit=unit).order_by("-as_of", "-finished_at").first())
    # The district snapshot is read here for its annex entry of this unit only (the viewer's scope
    # was checked by report_scope above).
    district = _with_payload(
        done.filter(unit__isnull=True).exclude(units=[]).order_by("-as_of", "-finished_at").first()
    )
    rows = _annex_rows(district, unit.code) if district is not None else None
    if rows is None:
        district = None
    newest = _newest(own, district)
    if newest is None:
        return None
    if newest is own:
        return {
            "snapshot": own,
            "source": "unit",
            "indicators": list(own.light_rows),
            "units": [],
        }
    return {"snapshot": district, "source": "annex", "indicators": rows, "units": []}


def _actual_columns(unit_code=None):
    """Expressions reading only the numbers and actuals out of a snapshot's JSON, so a series does not
    load the ids stored with every row: jsonpath on PostgreSQL; elsewhere (the embedded SQLite) the
    whole column, read in Python. ``unit_code`` reads that unit's annex entry instead of the rows."""
    if connection.vendor != "postgresql":
        return {"payload": F("units") if unit_code else F("indicators")}
    if unit_code is None:
        return {
            "numbers": RawSQL("jsonb_path_query_array(indicators, '$[*].number')", (), output_field=JSONField()),
            "actuals": RawSQL("jsonb_path_query_array(indicators, '$[*].actual')", (), output_field=JSONField()),
        }
    where = "$[*] ? (@.unit == $code).indicators[*]"
    return {
        key: RawSQL(
            "jsonb_path_query_array(units, %s::jsonpath, jsonb_build_object('code', %s::text))",
            (f"{where}.{field}", unit_code),
            output_field=JSONField(),
        )
        for key, field in (("numbers", "number"), ("actuals", "actual"))
    }


def _actuals(row, unit_code=None):
    """``{number: actual}`` from a row of :func:`_actual_columns` (empty when the unit has no entry)."""
    if "payload" in row:
        rows = row["payload"] or []
        if unit_code is not None:
            entry = next((e for e in rows if e.get("unit") == unit_code), None)
            rows = entry.get("indicators", []) if entry else []
        return {r["number"]: _number(r.get("actual")) for r in rows}
    return {n: _number(a) for n, a in zip(row["numbers"] or [], row["actuals"] or [], strict=True)}


def finished_marker(unit=None):
    """A short text that changes whenever a snapshot a view of ``unit`` (None: the district) reads
    finishes, or such a finished one is deleted (their number and the last finishing time): what a
    cached view derived from finished snapshots is keyed on. The district's views read district
    snapshots only; a unit's, its own and the district's (their annex). One aggregate over the
    snapshots table (a few rows a day)."""
    done = ReportSnapshot.objects.filter(status=ReportSnapshot.Status.DONE)
    done = done.filter(unit__isnull=True) if unit is None else done.filter(Q(unit__isnull=True) | Q(unit=unit))
    row = done.aggregate(n=Count("pk"), last=Max("finished_at"))
    return f"{row['n']}:{row['last'].isoformat() if row['last'] else '-'}"


def snapshot_series(*, viewer, period, unit=None):
    """The actuals of the finished snapshots of ``period`` for ``unit`` over time, for trend charts:
    ``[(as_of, finished_at, {number: actual}), …]`` ordered by as-of date, one entry per as-of date
    (the snapshot that finished last). For a unit, its own snapshots and its rows in district
    snapshots' annexes are merged. One query when cached (the key: the period's finished snapshots),
    else three at most; on PostgreSQL one row per as-of date (``DISTINCT ON``) carrying the actuals only."""
    unit = report_scope(viewer, unit)
    done = ReportSnapshot.objects.filter(period=period, status=ReportSnapshot.Status.DONE).order_by(
        "as_of", "-finished_at"
    )
    # The series changes only when a snapshot of the period finishes or is deleted: key the cached
    # copy on the period's finished snapshots (their number and the last finishing time).
    marker = done.order_by().aggregate(n=Count("pk"), last=Max("finished_at"))
    key = (
        f"reports:snapshot-series:v1:{period.pk}:{unit.code if unit else 'district'}:"
        f"{marker['n']}:{marker['last'].isoformat() if marker['last'] else '-'}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    series = _series(done, unit)
    cache.set(key, series, PAYLOAD_CACHE_SECONDS)
    return series


def _series(done, unit):
    if connection.vendor == "postgresql":
        done = done.distinct("as_of")
    series = {}

    def read(qs, unit_code=None):
        columns = _actual_columns(unit_code)
        for row in qs.annotate(**columns).values("as_of", "finished_at", *columns):
            values = _actuals(row, unit_code)
            if not values:
                continue
            as_of, finished_at = row["as_of"], row["finished_at"]
            if as_of not in series or finished_at > series[as_of][1]:
                series[as_of] = (as_of, finished_at, values)

    if unit is None:
        read(done.filter(unit__isnull=True))
    else:
        read(done.filter(unit=unit))
        read(done.filter(unit__isnull=True).exclude(units=[]), unit.code)
    return [series[key] for key in sorted(series)]


def snapshot_list(*, viewer, filters=None):
    """The snapshots the viewer may read, newest first, narrowed by ``filters`` (period code, unit
    code, status, trigger; blank values ignored). An unknown value is a DomainError naming its field.
    Read without the JSON columns (:data:`UNSHOWN_JSON`): a list shows none of them."""
    filters = filters or {}
    qs = snapshots_visible_to(viewer).select_related("period", "unit", "requested_by").defer(*UNSHOWN_JSON)
    period = (filters.get("period") or "").strip()
    if period:
        qs = qs.filter(period__code=period)
    unit = (filters.get("unit") or "").strip()
    if unit == "district":
        qs = qs.filter(unit__isnull=True)
    elif unit:
        qs = qs.filter(unit__code=unit)
    for field, choices in (("status", ReportSnapshot.Status), ("trigger", ReportSnapshot.Trigger)):
        value = (filters.get(field) or "").strip()
        if value:
            if value not in choices.values:
                raise DomainError(
                    f"unknown_{field}",
                    _("Choose one of: {choices}.").format(choices=", ".join(choices.values)),
                    field=field,
                )
            qs = qs.filter(**{field: value})
    return qs.order_by("-requested_at")


def snapshot_previous(*, viewer, snapshot):
    """The finished snapshot of the same period and scope just before ``snapshot`` (by as-of date,
    then by finishing time), or ``None``: what "compare with the previous snapshot" compares with.
    Read without the JSON columns (:data:`UNSHOWN_JSON`; they load if asked for)."""
    finished = snapshot.finished_at or snapshot.requested_at
    return (
        snapshots_visible_to(viewer)
        .filter(period_id=snapshot.period_id, unit_id=snapshot.unit_id, status=ReportSnapshot.Status.DONE)
        .exclude(pk=snapshot.pk)
        .filter(Q(as_of__lt=snapshot.as_of) | Q(as_of=snapshot.as_of, finished_at__lt=finished))
        .select_related("period", "unit", "requested_by")
        .defer(*UNSHOWN_JSON)
        .order_by("-as_of", "-finished_at")
        .first()
    )


def _record_labels(wanted):
    """``{record_type: {id: (label, detail)}}`` for the ids wanted, one query per record type."""
    from enterprises.models import Enterprise
    from funding.models import Recognition

    labels = {}
    if wanted.get("enterprise"):
        labels["enterprise"] = {
            pk: (name, f"{code} · {unit}")
            for pk, name, code, unit in Enterprise.objects.filter(pk__in=wanted["enterprise"]).values_list(
                "pk", "name", "credit_code", "unit__name"
            )
        }
    if wanted.get("recognition"):
        kinds = dict(Recognition._meta.get_field("kind").choices)
        labels["recognition"] = {
            pk: (title, f"{kinds.get(kind, kind)} · {day.isoformat()}")
            for pk, title, kind, day in Recognition.objects.filter(pk__in=wanted["recognition"]).values_list(
                "pk", "title", "kind", "recognised_on"
            )
        }
    if wanted.get("product"):
        labels["product"] = {
            pk: (name, provider)
            for pk, name, provider in Product.objects.filter(pk__in=wanted["product"]).values_list(
                "pk", "name", "provider__name"
            )
        }
    if wanted.get("provider"):
        labels["provider"] = {
            pk: (name, "") for pk, name in Provider.objects.filter(pk__in=wanted["provider"]).values_list("pk", "name")
        }
    return labels


def snapshot_compare(*, viewer, first, second):
    """What changed between two finished snapshots of the same period and scope (either order):
    ``{"before", "after", "rows"}``; each row has ``number``, ``name``, ``unit_of_measure``,
    ``record_type``, ``before``, ``after``, ``change`` (after − before; None unless both are numbers)
    and ``entered`` / ``left``: the records counted in the later snapshot and not in the earlier one
    and the reverse, each ``{"id", "label", "detail"}`` (None when a snapshot predates recorded ids).
    Five queries at most beyond the two snapshots."""
    for snapshot in (first, second):
        if snapshot.status != ReportSnapshot.Status.DONE:
            raise Conflict("snapshot_not_done", _("Only finished snapshots can be compared."))
    if first.pk == second.pk:
        raise DomainError("same_snapshot", _("Choose two different snapshots to compare."))
    if first.period_id != second.period_id or first.unit_id != second.unit_id:
        raise DomainError(
            "different_scope", _("Only snapshots of the same period and the same unit (or both district-wide) compare.")
        )
    before, after = sorted((first, second), key=lambda s: (s.as_of, s.finished_at, s.requested_at))
    old = {row["number"]: row for row in before.indicators or []}
    rows, wanted = [], {}
    for row in after.indicators or []:
        earlier = old.get(row["number"], {})
        value_before, value_after = _number(earlier.get("actual")), _number(row.get("actual"))
        change = None
        if value_before is not None and value_after is not None:
            change = _number(Decimal(value_after) - Decimal(value_before))
        entered = left = None
        if isinstance(row.get("ids"), list) and isinstance(earlier.get("ids"), list):
            entered = sorted(set(row["ids"]) - set(earlier["ids"]))
            left = sorted(set(earlier["ids"]) - set(row["ids"]))
            wanted.setdefault(row.get("record_type"), set()).update(entered + left)
        rows.append(
            {
                "number": row["number"],
                "name": row["name"],
                "unit_of_measure": row["unit_of_measure"],
                "record_type": row.get("record_type"),
                "before": value_before,
                "after": value_after,
                "change": change,
                "entered": entered,
                "left": left,
            }
        )
    labels = _record_labels(wanted)
    gone = _("(record since deleted)")
    for row in rows:
        names = labels.get(row["record_type"], {})
        for key in ("entered", "left"):
            if row[key] is not None:
                row[key] = [
                    {"id": pk, "label": names.get(pk, (gone, ""))[0], "detail": names.get(pk, ("", ""))[1]}
                    for pk in row[key]
                ]
    return {"before": before, "after": after, "rows": rows}


def snapshot_pdf(snapshot):
    """The stored PDF of a finished snapshot, or a 409 while it is not done."""
    if snapshot.status != ReportSnapshot.Status.DONE or not snapshot.pdf:
        if snapshot.status == ReportSnapshot.Status.FAILED:
            raise Conflict("snapshot_failed", _("The snapshot failed: {error}").format(error=snapshot.error))
        raise Conflict("snapshot_not_done", _("The snapshot is still being computed; try again shortly."))
    return snapshot.pdf


def snapshot_as_dict(snapshot):
    """The contract's shape, with the stored number strings back as numbers (JSON numbers); the ids
    stored with each row are left out (read them with :func:`snapshot_latest` or the compare)."""
    return {
        "id": str(snapshot.pk),
        "status": snapshot.status,
        "period": snapshot.period.code,
        "unit": snapshot.unit.code if snapshot.unit_id else None,
        "as_of": snapshot.as_of.isoformat(),
        "indicators": [
            {k: row.get(k) for k in CONTRACT_FIELDS} | {k: _number(row.get(k)) for k in NUMBER_FIELDS}
            for row in snapshot.indicators or []
        ],
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


def _css_string(text):
    """Text safe inside a CSS string of the PDF's page header: without quotes, backslashes or the
    characters HTML escaping would change (so the template's autoescape leaves it as it is)."""
    return "".join(ch for ch in str(text) if ch not in "\"'\\<>&\n\r")


def _ratio_counts(row):
    if row.get("ids") is None or row.get("denominator_ids") is None:
        return "—"
    return f"{len(row['ids'])} / {len(row['denominator_ids'])}"


def _annex_sums(annex, numbers):
    """The units' sums per count column (ratios cannot be added: a dash)."""
    sums = []
    for index, number in enumerate(numbers):
        if number in RATIO_NUMBERS:
            sums.append({"actual": "—", "target": "—"})
            continue
        cells = [entry["indicators"][index] for entry in annex]
        actuals = [Decimal(c["actual"]) for c in cells if c.get("actual") is not None]
        targets = [Decimal(c["target"]) for c in cells if c.get("target") is not None]
        sums.append(
            {
                "actual": _shown(sum(actuals), "") if actuals else "—",
                "target": _shown(sum(targets), "") if targets else "—",
            }
        )
    return sums


def render_snapshot_pdf(snapshot):
    """The snapshot as a PDF (bytes), rendered by WeasyPrint from ``reports/pdf_snapshot.html``: the
    table (target, actual, completion), the ratio goals in their own section, and for a district-wide
    snapshot the per-unit annex (units × indicators, actual over the unit's target); every page
    carries the as-of date and the snapshot id in its header and "page X of Y" in its footer."""
    from weasyprint import HTML

    def shown(row):
        return {
            "number": row["number"],
            "name": row["name"],
            "unit_of_measure": row["unit_of_measure"],
            "target": _shown(row["target"], row["unit_of_measure"]),
            "actual": _shown(row["actual"], row["unit_of_measure"]),
            "completion": _completion_shown(row["completion"]),
            "counts": _ratio_counts(row),
        }

    rows = [shown(row) for row in snapshot.indicators if row["number"] not in RATIO_NUMBERS]
    ratios = [shown(row) for row in snapshot.indicators if row["number"] in RATIO_NUMBERS]
    uom = {row["number"]: row["unit_of_measure"] for row in snapshot.indicators}
    annex, annex_numbers, annex_sums = [], [], []
    if snapshot.units:
        # 6 and 9 are not broken down by unit: no column for them.
        keep = [i for i, row in enumerate(snapshot.units[0]["indicators"]) if row["number"] not in NOT_BY_UNIT]
        annex_numbers = [snapshot.units[0]["indicators"][i]["number"] for i in keep]
        for entry in snapshot.units:
            cells = []
            for i in keep:
                row = entry["indicators"][i]
                cells.append(
                    {
                        "actual": _shown(row["actual"], uom.get(row["number"], "")),
                        "target": _shown(row["target"], uom.get(row["number"], "")),
                    }
                )
            annex.append({"name": entry["name"], "cells": cells})
        kept = [{**e, "indicators": [e["indicators"][i] for i in keep]} for e in snapshot.units]
        annex_sums = _annex_sums(kept, annex_numbers)
    unit_name = snapshot.unit.name if snapshot.unit_id else "全区"
    as_of = snapshot.as_of.isoformat()
    html = render_to_string(
        "reports/pdf_snapshot.html",
        {
            "snapshot": snapshot,
            "period": snapshot.period,
            "unit_name": unit_name,
            "rows": rows,
            "ratios": ratios,
            "annex": annex,
            "annex_numbers": annex_numbers,
            "annex_sums": annex_sums,
            "trigger_name": "每日自动生成" if snapshot.trigger == ReportSnapshot.Trigger.NIGHTLY else "按需生成",
            "requested_by": snapshot.requested_by.get_full_name() or snapshot.requested_by.username
            if snapshot.requested_by_id
            else "",
            "header_left": _css_string(f"松江区数字化转型试点 目标完成情况 · {snapshot.period.name} · {unit_name}"),
            "header_right": _css_string(f"截至 {as_of} · 快照编号 {snapshot.pk}"),
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


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
    from . import indicators as counting

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
    from . import indicators as counting

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
            target = _number(targets.get((unit.pk, indicator_id))) if by_unit else None
            actual = _number(values.get(number)) if by_unit else None
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
    dashboard figures beside them: :func:`reports.selectors.stored_extras`.)"""
    report = indicator_report_for_scope(period=period, unit=unit, as_of=as_of)
    ids = counted_ids(period=period, unit=unit, as_of=as_of)
    rows = [
        {**row, **{k: _stored(row[k]) for k in NUMBER_FIELDS}, **ids.get(row["number"], {})}
        for row in report["indicators"]
    ]
    annex = unit_annex(period=period, as_of=as_of) if unit is None else []
    return rows, annex


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
        pdf = render_snapshot_pdf(snapshot)
        with transaction.atomic():
            locked = ReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
            if locked.is_finished:  # another delivery finished it meanwhile
                return locked.status
            locked.indicators = snapshot.indicators
            locked.units = snapshot.units
            locked.extras = extras
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
