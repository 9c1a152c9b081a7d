"""The demo programme's organisations and enterprises: providers, evaluation bodies and ~540 pilot
enterprises with their status history, the units' quotas and the provider and evaluator assignments.

Deterministic (``factory.random`` is reseeded by ``seed_demo``); the enterprises are made only into a
registry that has none.
"""

import datetime

import factory.random

from core.selectors import unit_list
from demo.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory
from enterprises.choices import Scale, Sector, Size, Status, Tier, WithdrawalReason
from enterprises.models import EnterpriseStatusChange, UnitQuota
from providers.models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment

ACTIVE_TOTAL = 520
LITTLE_GIANTS = 40
SRDI = 242
BELOW_SCALE = 6
PROPOSED = 12
WITHDRAWN = 6
SECTOR_CYCLE = [
    Sector.HIGH_END_EQUIPMENT,
    Sector.AUTO_PARTS,
    Sector.ELECTRONICS,
    Sector.HIGH_END_EQUIPMENT,
    Sector.AUTO_PARTS,
    Sector.ELECTRONICS,
    Sector.OTHER,
]
WITHDRAWAL_REASONS = [
    WithdrawalReason.MOVED_OUT,
    WithdrawalReason.CEASED,
    WithdrawalReason.DEMOLISHED,
    WithdrawalReason.OVERDUE,
    WithdrawalReason.OTHER,
    WithdrawalReason.MOVED_OUT,
]


def seed_organisations():
    """The ten demo providers (three key providers) and three evaluation bodies, unless there are some."""
    if not Provider.objects.exists():
        for i in range(10):
            ProviderFactory(key_provider_since=datetime.date(2025, 3, 1) if i < 3 else None)
    if not EvaluationBody.objects.exists():
        EvaluationBodyFactory.create_batch(3)
    return list(Provider.objects.order_by("pk")), list(EvaluationBody.objects.order_by("pk"))


def seed_enterprises(providers, bodies, district_user, units_staff):
    """The 538 demo enterprises with their status history, the units' quotas and the assignments."""
    units = list(unit_list())
    total = ACTIVE_TOTAL + PROPOSED + WITHDRAWN
    rnd = factory.random.randgen
    created = []
    for i in range(total):
        if i < LITTLE_GIANTS:
            tier = Tier.LITTLE_GIANT
        elif i < LITTLE_GIANTS + SRDI:
            tier = Tier.SRDI
        else:
            tier = rnd.choice([Tier.INNOVATIVE, Tier.NONE, Tier.NONE])
        status = (
            Status.ACTIVE if i < ACTIVE_TOTAL else Status.PROPOSED if i < ACTIVE_TOTAL + PROPOSED else Status.WITHDRAWN
        )
        created.append(
            EnterpriseFactory(
                unit=units[(i * 7) % len(units)],
                sector=SECTOR_CYCLE[i % len(SECTOR_CYCLE)] if i % 23 else Sector.OTHER,
                scale=Scale.BELOW if ACTIVE_TOTAL - BELOW_SCALE <= i < ACTIVE_TOTAL else Scale.ABOVE,
                size=Size.MICRO
                if ACTIVE_TOTAL - BELOW_SCALE <= i < ACTIVE_TOTAL
                else rnd.choice([Size.MEDIUM, Size.SMALL, Size.SMALL]),
                tier=tier,
                status=status,
                pilot_year=2025 if i < 281 else 2026,
                pilot_batch="第一批" if i < 281 else "第二批",
                cloud_verified_on=(datetime.date(2024, 11, 1) + datetime.timedelta(days=(i * 3) % 600))
                if status == Status.ACTIVE and i % 5
                else None,
                cloud_services="云ERP、云MES" if i % 5 else "",
                created_by=district_user,
            )
        )
    withdrawn = [e for e in created if e.status == Status.WITHDRAWN]
    # The last withdrawn enterprise has no replacement yet: its unit shows a shortfall.
    replacements = [e for e in created if e.status == Status.ACTIVE][-WITHDRAWN:][: WITHDRAWN - 1] + [None]
    for enterprise, reason, replacement in zip(withdrawn, WITHDRAWAL_REASONS, replacements, strict=True):
        enterprise.withdrawal_reason = reason
        enterprise.withdrawn_on = datetime.date(2025, 6, 30)
        enterprise.replacement = replacement
        enterprise.save(update_fields=["withdrawal_reason", "withdrawn_on", "replacement"])
    _status_history(created, units_staff, district_user)
    _quotas(created)
    ProviderAssignment.objects.bulk_create(
        ProviderAssignment(
            enterprise=e,
            provider=providers[i % len(providers)],
            assigned_on=datetime.date(2024, 10, 15),
            assigned_by=district_user,
        )
        for i, e in enumerate(created)
    )
    EvaluatorAssignment.objects.bulk_create(
        EvaluatorAssignment(
            enterprise=e,
            evaluation_body=bodies[i % len(bodies)],
            assigned_on=datetime.date(2024, 10, 15),
            assigned_by=district_user,
        )
        for i, e in enumerate(created)
    )


def _status_history(created, units_staff, district_user):
    """Each enterprise's life so far: proposed by its unit, confirmed by the district, withdrawn…"""
    Kind = EnterpriseStatusChange.Kind
    rows = []
    for i, e in enumerate(created):
        proposed_on = datetime.date(2024, 10, 8) + datetime.timedelta(days=i % 40)
        rows.append(
            EnterpriseStatusChange(
                enterprise=e,
                kind=Kind.CREATED,
                to_status=Status.PROPOSED,
                happened_on=proposed_on,
                actor=units_staff[e.unit_id],
            )
        )
        if e.status in (Status.ACTIVE, Status.WITHDRAWN):
            rows.append(
                EnterpriseStatusChange(
                    enterprise=e,
                    kind=Kind.CONFIRMED,
                    from_status=Status.PROPOSED,
                    to_status=Status.ACTIVE,
                    happened_on=proposed_on + datetime.timedelta(days=14),
                    actor=district_user,
                )
            )
        if e.status == Status.WITHDRAWN:
            rows.append(
                EnterpriseStatusChange(
                    enterprise=e,
                    kind=Kind.WITHDRAWN,
                    from_status=Status.ACTIVE,
                    to_status=Status.WITHDRAWN,
                    happened_on=e.withdrawn_on,
                    reason=e.withdrawal_reason,
                    replacement=e.replacement,
                    actor=units_staff[e.unit_id],
                )
            )
            if e.replacement:
                rows.append(
                    EnterpriseStatusChange(
                        enterprise=e.replacement,
                        kind=Kind.REPLACEMENT,
                        happened_on=e.withdrawn_on,
                        note=f"接替 {e.name}",
                        actor=units_staff[e.unit_id],
                    )
                )
    EnterpriseStatusChange.objects.bulk_create(rows)


def _quotas(created):
    """Each unit keeps the number it started with (active + withdrawn, since replacements restore it)."""
    replacement_ids = {e.replacement_id for e in created if e.replacement_id}
    counts = {}
    for e in created:
        if e.status in (Status.ACTIVE, Status.WITHDRAWN) and e.pk not in replacement_ids:
            counts[e.unit_id] = counts.get(e.unit_id, 0) + 1
    for unit in unit_list():
        UnitQuota.objects.update_or_create(unit=unit, defaults={"required": counts.get(unit.pk, 0)})
