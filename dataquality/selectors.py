"""Reads of the data-quality centre, scoped to the viewer (docs/api.md "Data quality")."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.roles import GLOBAL_READ_ROLES, role_of
from core.selectors import unit_list
from enterprises.models import Enterprise

from . import findings as compute
from .choices import REFRESHED_KINDS, FindingKind, Resolution
from .findings import Finding
from .models import EnterpriseMerge, FindingResolution, RefreshRun, StoredFinding, UnitScore


@dataclass
class FindingRow:
    """A finding as a viewer reads it: the enterprise, the other one (None when hidden), the unit."""

    kind: str
    enterprise: Enterprise
    other: Enterprise | None
    detail: str
    computed_at: datetime | None
    resolution: FindingResolution | None = None

    @property
    def kind_label(self):
        return FindingKind(self.kind).label

    @property
    def is_open(self):
        return self.resolution is None


def _resolutions(enterprise_ids):
    """The newest resolution of each (kind, enterprise, other) about ``enterprise_ids``."""
    latest = {}
    for r in FindingResolution.objects.filter(enterprise_id__in=enterprise_ids).select_related("resolved_by"):
        key = (r.kind, r.enterprise_id, r.other_id)
        if key not in latest or (r.resolved_at, r.pk) > (latest[key].resolved_at, latest[key].pk):
            latest[key] = r
    return latest


def closes(resolution, enterprise):
    """Whether ``resolution`` still closes its finding: "not a problem" always; "fixed" until the enterprise is
    next changed (then a finding still there opens again)."""
    if resolution is None:
        return False
    if resolution.resolution == Resolution.NOT_A_PROBLEM:
        return True
    return enterprise.updated_at <= resolution.resolved_at


def scope(viewer, *, unit=None):
    """The enterprises a viewer's findings may be about (aliases of merges left out)."""
    enterprises = Enterprise.objects.visible_to(viewer).exclude(status="merged")
    if unit is not None:
        enterprises = enterprises.filter(unit=unit)
    return enterprises


def raw_findings(enterprises, kinds=None):
    """Every finding of ``kinds`` (default all) on ``enterprises``: the kinds computed when read, and the
    stored ones of the last refresh."""
    kinds = set(kinds or FindingKind.values)
    found = compute.compute(enterprises, kinds)
    stored_kinds = kinds & set(REFRESHED_KINDS)
    if stored_kinds:
        stored = StoredFinding.objects.filter(kind__in=stored_kinds, enterprise__in=enterprises)
        found.extend(
            Finding(s.kind, s.enterprise_id, s.other_id, s.detail, s.computed_at)
            for s in stored.order_by().only("kind", "enterprise_id", "other_id", "detail", "computed_at")
        )
    return found


def finding_list(*, viewer, kind=None, unit=None, state="open"):
    """The viewer's findings (``state`` open, resolved or all), ordered by kind, unit and name. The other
    enterprise of a pair is named only when the viewer may see it."""
    enterprises = scope(viewer, unit=unit)
    found = raw_findings(enterprises, [kind] if kind else None)
    ids = {f.enterprise_id for f in found} | {f.other_id for f in found if f.other_id}
    visible = set(Enterprise.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    loaded = Enterprise.objects.filter(pk__in=ids).select_related("unit").in_bulk()
    resolutions = _resolutions({f.enterprise_id for f in found})
    rows, seen = [], set()
    for f in found:
        other_id = f.other_id if f.other_id in visible else None
        key = (f.kind, f.enterprise_id, other_id)
        if f.other_id and other_id is None:
            if key in seen:
                continue  # several hidden twins: one finding
            seen.add(key)
        enterprise = loaded[f.enterprise_id]
        resolution = resolutions.get((f.kind, f.enterprise_id, f.other_id))
        if not closes(resolution, enterprise):
            resolution = None
        if (state == "open" and resolution) or (state == "resolved" and not resolution):
            continue
        rows.append(
            FindingRow(
                f.kind, enterprise, loaded.get(other_id) if other_id else None, f.detail, f.computed_at, resolution
            )
        )
    order = {k: i for i, k in enumerate(FindingKind.values)}
    rows.sort(
        key=lambda r: (
            order[r.kind],
            r.enterprise.unit.code,
            r.enterprise.name,
            r.enterprise.pk,
            r.other and r.other.pk or 0,
        )
    )
    return rows


def counts_by_kind(rows):
    counts = dict.fromkeys(FindingKind.values, 0)
    for row in rows:
        counts[row.kind] += 1
    return counts


def last_refresh():
    return RefreshRun.objects.filter(finished_at__isnull=False).first()


def _score(enterprises, flagged):
    if not enterprises:
        return Decimal("100.0")
    value = Decimal(100) * (Decimal(enterprises - flagged) / Decimal(enterprises))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def measure_units():
    """Each unit's quality now: ``{unit_code: {score, findings, enterprises, measured_at, unit}}``.

    ``enterprises`` counts the unit's enterprises in the programme; ``findings`` the open findings on them;
    ``score`` is the share of them without an open finding, 0–100 with one decimal (100 with none)."""
    now = timezone.now()
    units = list(unit_list())
    live = Enterprise.objects.in_programme()
    counts = {}
    for unit_id in live.order_by().values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    found = raw_findings(live)
    loaded = dict(live.values_list("pk", "unit_id"))
    updated = dict(live.values_list("pk", "updated_at"))
    resolutions = _resolutions({f.enterprise_id for f in found})
    open_by_unit, flagged_by_unit = {}, {}
    for f in found:
        resolution = resolutions.get((f.kind, f.enterprise_id, f.other_id))
        if resolution is not None and (
            resolution.resolution == Resolution.NOT_A_PROBLEM or updated[f.enterprise_id] <= resolution.resolved_at
        ):
            continue
        unit_id = loaded[f.enterprise_id]
        open_by_unit[unit_id] = open_by_unit.get(unit_id, 0) + 1
        flagged_by_unit.setdefault(unit_id, set()).add(f.enterprise_id)
    result = {}
    for unit in units:
        n = counts.get(unit.pk, 0)
        result[unit.code] = {
            "score": _score(n, len(flagged_by_unit.get(unit.pk, ()))),
            "findings": open_by_unit.get(unit.pk, 0),
            "enterprises": n,
            "measured_at": now,
            "unit": unit,
        }
    return result


def unit_quality(year=None):
    """The quality score of every unit, keyed by unit code: ``{"score": Decimal 0–100, "findings": int (open),
    "enterprises": int, "measured_at": datetime}`` (the unit assessment reads it).

    Without ``year``, or for the current year, the registry as it is now; for an earlier year, each unit's last
    score measured in that year (the trend the refresh task keeps), and the present where none was kept."""
    now = measure_units()
    if year is None or year >= timezone.localdate().year:
        return {code: {k: v for k, v in row.items() if k != "unit"} for code, row in now.items()}
    result = {}
    kept = {}
    for score in UnitScore.objects.filter(measured_at__year=year).select_related("unit").order_by("measured_at"):
        kept[score.unit.code] = score
    for code, row in now.items():
        score = kept.get(code)
        if score is None:
            result[code] = {k: v for k, v in row.items() if k != "unit"}
        else:
            result[code] = {
                "score": score.score,
                "findings": score.findings,
                "enterprises": score.enterprises,
                "measured_at": score.measured_at,
            }
    return result


def unit_trend(*, viewer, limit=12):
    """``{unit_id: [UnitScore, …]}``: each unit's last ``limit`` scores, oldest first."""
    trend = {}
    for score in UnitScore.objects.visible_to(viewer).order_by("unit_id", "-measured_at"):
        rows = trend.setdefault(score.unit_id, [])
        if len(rows) < limit:
            rows.append(score)
    return {unit_id: list(reversed(rows)) for unit_id, rows in trend.items()}


def merge_list(*, viewer):
    return EnterpriseMerge.objects.visible_to(viewer).select_related("survivor", "merged", "merged_by")


def is_district(viewer):
    return role_of(viewer) in GLOBAL_READ_ROLES
