"""Load deterministic demo data: users of every role, providers, evaluation bodies, ~520 enterprises.

It lives in ``reports`` because that app is the top layer and may use every other app's
factories and services. Running it twice changes nothing (the data is there already); the
demo users' passwords are reset to the printed ones on every run.
"""

import datetime

import factory.random
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from accounts.factories import DEFAULT_PASSWORD
from accounts.models import User
from core.roles import Role
from core.selectors import unit_list
from diagnostics.demo_assessments import seed_assessments
from diagnostics.demo_diagnoses import seed_diagnoses
from enterprises.choices import Scale, Sector, Size, Status, Tier, WithdrawalReason
from enterprises.factories import EnterpriseFactory
from enterprises.models import Enterprise, EnterpriseStatusChange, UnitQuota
from funding.demo import seed_funding
from providers.demo import compute_demo_scorecards, seed_providers
from providers.factories import EvaluationBodyFactory, ProviderFactory
from providers.models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment

SEED = "songjiang-pilot-demo"
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


class Command(BaseCommand):
    help = "Load deterministic demo data and print the demo log-ins."

    def handle(self, *args, **options):
        factory.random.reseed_random(SEED)
        with transaction.atomic():
            providers, bodies = self._organisations()
            users = self._users(providers, bodies)
            staff = {u.unit_id: u for name, u in users.items() if name.startswith("unit_")}
            if not Enterprise.objects.exists():
                self._enterprises(providers, bodies, users["district"], staff)
            seed_providers(district=users["district"], unit_staff=staff)
            # On-site evaluations (baseline and post) that set the enterprises' levels.
            seed_assessments(district=users["district"])
            # Diagnosis reports (一企一报告) and deadlines; after the providers' products exist.
            seed_diagnoses(district=users["district"])
            # Projects, acceptances, recognitions, the fund ledger and the financing list; after the
            # diagnoses and evaluations they build on.
            seed_funding(district=users["district"], finance=users["finance"])
        # Keep this the last seeding step: the scorecards read every diagnosis and evaluation seeded above.
        compute_demo_scorecards(district=users["district"], period="2025")
        self._print_logins(users)

    def _organisations(self):
        if not Provider.objects.exists():
            for i in range(10):
                ProviderFactory(key_provider_since=datetime.date(2025, 3, 1) if i < 3 else None)
        if not EvaluationBody.objects.exists():
            EvaluationBodyFactory.create_batch(3)
        return list(Provider.objects.order_by("pk")), list(EvaluationBody.objects.order_by("pk"))

    def _user(self, username, role, display_name, **org):
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "display_name": display_name,
                "is_active": True,
                "must_change_password": False,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                **org,
            },
        )
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _users(self, providers, bodies):
        units = list(unit_list())
        users = {
            "admin": self._user("admin", Role.ADMIN, "系统管理员"),
            "district": self._user("district", Role.DISTRICT_OFFICIAL, "区经委 王科长", phone="021-57721234"),
            "finance": self._user("finance", Role.FINANCE_OFFICER, "区财政局 李会计", phone="021-57725678"),
            "auditor": self._user("auditor", Role.AUDITOR, "审计 赵审计师"),
        }
        for unit in units:
            users[f"unit_{unit.code}"] = self._user(
                f"unit_{unit.code}",
                Role.UNIT_STAFF,
                f"{unit.short_name} 企服专员",
                unit=unit,
                phone=f"1380000{unit.code[-4:]}",
            )
        for i, provider in enumerate(providers, start=1):
            users[f"provider{i}"] = self._user(
                f"provider{i}", Role.PROVIDER_USER, f"{provider.name[2:6]} 项目经理", provider=provider
            )
        for i, body in enumerate(bodies, start=1):
            users[f"evaluator{i}"] = self._user(
                f"evaluator{i}", Role.EVALUATOR, f"{body.name[2:6]} 评测员", evaluation_body=body
            )
        return users

    def _enterprises(self, providers, bodies, district_user, units_staff):
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
                Status.ACTIVE
                if i < ACTIVE_TOTAL
                else Status.PROPOSED
                if i < ACTIVE_TOTAL + PROPOSED
                else Status.WITHDRAWN
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
        self._status_history(created, units_staff)
        self._quotas(created)
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

    def _status_history(self, created, units_staff):
        """Each enterprise's life so far: proposed by its unit, confirmed by the district, withdrawn…"""
        Kind = EnterpriseStatusChange.Kind
        district = User.objects.get(username="district")
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
                        actor=district,
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

    def _quotas(self, created):
        """Each unit keeps the number it started with (active + withdrawn, since replacements restore it)."""
        replacement_ids = {e.replacement_id for e in created if e.replacement_id}
        counts = {}
        for e in created:
            if e.status in (Status.ACTIVE, Status.WITHDRAWN) and e.pk not in replacement_ids:
                counts[e.unit_id] = counts.get(e.unit_id, 0) + 1
        for unit in unit_list():
            UnitQuota.objects.update_or_create(unit=unit, defaults={"required": counts.get(unit.pk, 0)})

    def _print_logins(self, users):
        with translation.override("zh-hans"):
            lines = ["", f"演示账号 Demo log-ins (password for every demo user: {DEFAULT_PASSWORD})"]
            for name in (
                "admin",
                "district",
                "finance",
                "auditor",
                "unit_310117001",
                "unit_310117501",
                "provider1",
                "evaluator1",
            ):
                user = users[name]
                org = f" · {user.organisation}" if user.organisation else ""
                lines.append(f"  {name:<22} {Role(user.role).label}{org}")
            lines.append(
                f"  (unit staff of every unit: unit_<unit code>; providers: provider1..provider{Provider.objects.count()};"
                f" evaluators: evaluator1..evaluator{EvaluationBody.objects.count()})"
            )
        self.stdout.write("\n".join([*lines, ""]))
