"""Report snapshots as a viewer reads them: an indicator report frozen at a date (docs/api.md).

``snapshot_latest`` / ``snapshot_series`` feed the dashboards, ``snapshot_list``, ``snapshot_page``,
``snapshot_previous`` and ``snapshot_compare`` (what changed, record by record) the pages and the API.
A finished snapshot never changes, so its heavy JSON columns are read once and cached; the scoped
query for the snapshot itself runs on every request. The writes: ``reports.services.snapshots``.
"""

from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, JSONField, Max, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role, role_of
from enterprises.models import Enterprise
from funding.models import Recognition
from providers.models import Product, Provider

from ..models import ReportSnapshot
from ..permissions import REPORT_ROLES
from .indicators import as_number
from .scope import report_scope

NUMBER_FIELDS = ("target", "actual", "completion")


#: The keys of a row in the API (docs/api.md); the stored row also holds the ids counted.
CONTRACT_FIELDS = ("number", "name", "unit_of_measure", "target", "actual", "completion")


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
    again (:func:`reports.services.snapshots.snapshot_compute` returns it untouched) and its id is never reused, so the copy
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
    return {**row, **{k: as_number(row.get(k)) for k in NUMBER_FIELDS}}


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
    query that is then cached. A finished snapshot is never written again (:func:`reports.services.snapshots.snapshot_compute`
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
            **{k: as_number(row.get(k)) for k in NUMBER_FIELDS},
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
        return {r["number"]: as_number(r.get("actual")) for r in rows}
    return {n: as_number(a) for n, a in zip(row["numbers"] or [], row["actuals"] or [], strict=True)}


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


def record_labels(wanted):
    """``{record_type: {id: (label, detail)}}`` for the ids wanted, one query per record type."""
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
        value_before, value_after = as_number(earlier.get("actual")), as_number(row.get("actual"))
        change = None
        if value_before is not None and value_after is not None:
            change = as_number(Decimal(value_after) - Decimal(value_before))
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
    labels = record_labels(wanted)
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
            {k: row.get(k) for k in CONTRACT_FIELDS} | {k: as_number(row.get(k)) for k in NUMBER_FIELDS}
            for row in snapshot.indicators or []
        ],
    }
