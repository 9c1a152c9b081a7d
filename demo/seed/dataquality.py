"""Planted data-quality problems for the centre to find: duplicate registrations (the same name written with
full-width brackets, spaces or the 上海市 prefix, in another unit), a near-duplicate name, gaps in required
facts, stale records, a shared phone, an outlier and cloud adoption without evidence.

Idempotent: planted once, recognised by the credit codes of the planted duplicates. After planting, one
refresh of the heavier findings runs, so the centre and the per-unit scores have a first measurement.
"""

import datetime

from django.utils import timezone

from core.selectors import unit_list
from dataquality.services import findings_refresh
from demo.factories import EnterpriseFactory, make_credit_code
from enterprises.choices import Status
from enterprises.models import Enterprise

#: The planted duplicates' credit codes come from a range the factories never reach.
PLANTED_SEQ = 880000


def _variant(name, i):
    """The same name as a careless second registration writes it."""
    body = name.removeprefix("上海市").removeprefix("上海")
    if i % 3 == 0:
        return "上海市" + body.replace("(", "（").replace(")", "）")
    if i % 3 == 1:
        return body[:2] + " " + body[2:]
    return "上海" + body


def seed_data_quality(*, district):
    """Plant the problems (once) and refresh the heavier findings."""
    if Enterprise.objects.filter(credit_code=make_credit_code(PLANTED_SEQ)).exists():
        return
    units = list(unit_list())
    active = list(Enterprise.objects.filter(status=Status.ACTIVE).order_by("pk"))
    # Duplicates: three enterprises registered a second time, by another unit, under a variant of the name.
    for i, original in enumerate(active[3:6]):
        EnterpriseFactory(
            credit_code=make_credit_code(PLANTED_SEQ + i),
            name=_variant(original.name, i),
            unit=units[(units.index(original.unit) + 1) % len(units)],
            sector=original.sector,
            status=Status.PROPOSED,
            contact_phone=original.contact_phone,
            created_by=district,
        )
    # A near-duplicate: the last character of the name dropped (found by the refresh, on PostgreSQL).
    near = active[6]
    EnterpriseFactory(
        credit_code=make_credit_code(PLANTED_SEQ + 10),
        name=near.name[:-1],
        unit=near.unit,
        sector=near.sector,
        status=Status.PROPOSED,
        created_by=district,
    )
    # Gaps in required facts.
    Enterprise.objects.filter(pk__in=[e.pk for e in active[10:14]]).update(contact_phone="")
    Enterprise.objects.filter(pk__in=[e.pk for e in active[14:17]]).update(employees=None, employees_previous=None)
    Enterprise.objects.filter(pk__in=[e.pk for e in active[17:19]]).update(revenue=None, revenue_previous=None)
    Enterprise.objects.filter(pk__in=[e.pk for e in active[19:21]]).update(production_address="")
    # An outlier and cloud adoption without evidence.
    Enterprise.objects.filter(pk=active[21].pk).update(employees=60000)
    Enterprise.objects.filter(pk=active[22].pk).update(cloud_verified_on=datetime.date(2025, 5, 1), cloud_services="")
    # Stale records: not touched for two years (queryset updates leave updated_at alone).
    Enterprise.objects.filter(pk__in=[e.pk for e in active[23:28]]).update(
        updated_at=timezone.now() - datetime.timedelta(days=730)
    )
    findings_refresh()
