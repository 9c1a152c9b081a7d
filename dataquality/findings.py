"""The findings, computed in the database (docs/domain.md "Data quality").

Each function reads the registry as it is and returns :class:`Finding` rows; ``enterprises`` is the queryset
of enterprises a finding may be about (the viewer's scope, narrowed by unit). Pairs (same name, phone or
address) are searched over the whole registry, so that a unit's enterprise is flagged even when its twin is in
another unit; the selector hides the twin's identity from a viewer who cannot see it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.choices import Status
from enterprises.models import Enterprise

from .choices import FindingKind

#: An outlier is this many times above (or below) its sector's median.
OUTLIER_FACTOR = Decimal(10)
#: Two different normalised names at least this similar (pg_trgm) are a likely duplicate: one character
#: apart in a name of twelve is about 0.79.
SIMILARITY_THRESHOLD = 0.75


@dataclass
class Finding:
    kind: str
    enterprise_id: int
    other_id: int | None = None
    detail: str = ""
    computed_at: datetime | None = None

    @property
    def key(self):
        return (self.kind, self.enterprise_id, self.other_id)


def registry():
    """Every enterprise a finding may be about: all but the aliases of merges."""
    return Enterprise.objects.exclude(status=Status.MERGED)


def stale_days():
    return int(getattr(settings, "PORTAL_DATA_QUALITY_STALE_DAYS", 365))


def _pairs(kind, column, enterprises, detail):
    """A finding on each enterprise of ``enterprises`` sharing the value of ``column`` with another one."""
    shared = (
        registry()
        .exclude(**{column: ""})
        .order_by()
        .values(column)
        .annotate(n=Count("*"))
        .filter(n__gt=1)
        .values(column)
    )
    rows = registry().filter(**{f"{column}__in": shared}).order_by().values_list("pk", column)
    groups = {}
    for pk, value in rows:
        groups.setdefault(value, []).append(pk)
    wanted = set(enterprises.filter(**{f"{column}__in": shared}).values_list("pk", flat=True))
    found = []
    for value, ids in groups.items():
        for pk in ids:
            if pk in wanted:
                found.extend(Finding(kind, pk, other, detail.format(value=value)) for other in ids if other != pk)
    return found


def duplicate_names(enterprises):
    """Names equal once widths, spaces and a leading 上海市/上海 are normalised (``Enterprise.name_key``): one
    grouped query on the indexed key, then the members of each group."""
    return _pairs(FindingKind.DUPLICATE_NAME, "name_key", enterprises, _("Normalised name: {value}"))


def shared_phones(enterprises):
    return _pairs(FindingKind.SHARED_PHONE, "contact_phone", enterprises, _("Phone: {value}"))


def shared_addresses(enterprises):
    return _pairs(FindingKind.SHARED_ADDRESS, "registered_address", enterprises, _("Address: {value}"))


def _each(kind, queryset, detail=""):
    return [Finding(kind, pk, None, detail) for pk in queryset.order_by().values_list("pk", flat=True)]


def missing_facts(enterprises):
    """Required facts left empty, on the enterprises the programme still works with."""
    live = enterprises.in_programme()
    return [
        *_each(FindingKind.MISSING_CONTACT, live.filter(Q(contact_name="") | Q(contact_phone=""))),
        *_each(FindingKind.MISSING_EMPLOYEES, live.filter(employees__isnull=True)),
        *_each(FindingKind.MISSING_REVENUE, live.filter(revenue__isnull=True)),
        *_each(FindingKind.MISSING_ADDRESS, live.filter(Q(registered_address="") | Q(production_address=""))),
    ]


def stale_records(enterprises):
    days = stale_days()
    cutoff = timezone.now() - timedelta(days=days)
    return _each(
        FindingKind.STALE,
        enterprises.in_programme().filter(updated_at__lt=cutoff),
        _("Not updated for more than {days} days").format(days=days),
    )


def code_overrides(enterprises):
    return _each(FindingKind.CODE_OVERRIDE, enterprises.exclude(credit_code_override_reason=""))


def cloud_without_evidence(enterprises):
    """Cloud adoption recorded (a verification date) with no cloud service named as its evidence."""
    return _each(FindingKind.CLOUD_UNEVIDENCED, enterprises.filter(cloud_verified_on__isnull=False, cloud_services=""))


def outliers(enterprises):
    """Employee counts and revenue per employee ten times above or below their sector's median (the
    refresh task computes these and stores them)."""
    rows = list(
        registry().in_programme().filter(employees__gt=0).order_by().values_list("pk", "sector", "employees", "revenue")
    )
    wanted = set(enterprises.values_list("pk", flat=True))
    staff, productivity = {}, {}
    for _pk, sector, employees, revenue in rows:
        staff.setdefault(sector, []).append(Decimal(employees))
        if revenue is not None and revenue > 0:
            productivity.setdefault(sector, []).append(revenue / employees)
    staff_median = {s: median(v) for s, v in staff.items()}
    productivity_median = {s: median(v) for s, v in productivity.items() if len(v) >= 3}
    found = []
    for pk, sector, employees, revenue in rows:
        if pk not in wanted:
            continue
        m = staff_median.get(sector)
        if m and len(staff[sector]) >= 3 and not (m / OUTLIER_FACTOR <= employees <= m * OUTLIER_FACTOR):
            found.append(
                Finding(
                    FindingKind.EMPLOYEES_OUTLIER,
                    pk,
                    None,
                    _("{n} employees; the sector's median is {median}").format(n=employees, median=round(m)),
                )
            )
        p = productivity_median.get(sector)
        if p and revenue is not None and revenue > 0:
            ratio = revenue / employees
            if not (p / OUTLIER_FACTOR <= ratio <= p * OUTLIER_FACTOR):
                found.append(
                    Finding(
                        FindingKind.REVENUE_OUTLIER,
                        pk,
                        None,
                        _("{value} (10k yuan) per employee; the sector's median is {median}").format(
                            value=round(ratio, 2), median=round(p, 2)
                        ),
                    )
                )
    return found


#: Kinds computed when read, and the function of each.
ON_READ = {
    FindingKind.DUPLICATE_NAME: duplicate_names,
    FindingKind.SHARED_PHONE: shared_phones,
    FindingKind.SHARED_ADDRESS: shared_addresses,
    FindingKind.MISSING_CONTACT: missing_facts,
    FindingKind.MISSING_EMPLOYEES: missing_facts,
    FindingKind.MISSING_REVENUE: missing_facts,
    FindingKind.MISSING_ADDRESS: missing_facts,
    FindingKind.STALE: stale_records,
    FindingKind.CODE_OVERRIDE: code_overrides,
    FindingKind.CLOUD_UNEVIDENCED: cloud_without_evidence,
}


def compute(enterprises, kinds):
    """Findings of ``kinds`` (those computed when read) on ``enterprises``; each function runs once."""
    done, found = set(), []
    for kind in kinds:
        function = ON_READ.get(kind)
        if function is None or function in done:
            continue
        done.add(function)
        found.extend(f for f in function(enterprises) if f.kind in kinds)
    return found


def similar_name_pairs(threshold=SIMILARITY_THRESHOLD):
    """Pairs of enterprises whose normalised names differ but are similar (pg_trgm similarity at least
    ``threshold``), over the whole registry: ``[(a, b, similarity)]`` with a < b. PostgreSQL only; None
    where pg_trgm is not available (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_limit(%s)", [threshold])
        cursor.execute(
            """
            SELECT a.id, b.id, similarity(a.name_key, b.name_key)
            FROM enterprises_enterprise a
            JOIN enterprises_enterprise b
              ON a.name_key %% b.name_key AND a.id < b.id AND a.name_key <> b.name_key
            WHERE a.status <> %s AND b.status <> %s AND a.name_key <> '' AND b.name_key <> ''
            """,
            [Status.MERGED, Status.MERGED],
        )
        return cursor.fetchall()
