"""A consistent programme of any size, for benchmarks and load tests (``manage.py generate_scale``).

``generate(enterprises=N)`` fills an empty, migrated database with N pilot enterprises spread over the
18 units, sectors, scales, sizes and tiers (some proposed, some withdrawn), and in proportion the
chain of facts the indicators read (docs/domain.md §6): on-site baseline evaluations (and some
self-assessments), diagnosis reports in every state with their transitions, transformation projects
in every state (filed, cancelled, approved, acceptance requested, failed, failed then passed, passed)
with their transitions and acceptance inspections dated across 2024-10 … 2026-10, on-site
post-transformation evaluations tied to the passed inspections (some reaching level 4 twice),
commitments split between the two seeded fund sources and their payments (requested, approved, paid,
rejected, reversed), recognitions of every kind, providers with products (some recognised) and key
providers, the evaluation bodies, the assignments and the unit quotas.

Rows are written with ``bulk_create`` in batches, one chunk of enterprises at a time, but each is a
row the services could have produced: valid credit codes (``demo.factories.make_credit_code``),
instances built by the shared factories, evaluation answers that the scoring engine really puts at
their level (``demo.seed.assessments.answers_for_level``, scored by the engine), every state
consistent with its dates (nothing dated after the as-of date or after the enterprise's
withdrawal), the payment gate respected (central transformation subsidies paid only after a passed
acceptance and a post-transformation level ≥ 2), no budget line over-committed and nothing paid
beyond its commitment. Budget lines are set through the ledger's service when there are none.
What bulk inserts skip is django-simple-history's field history (the services' workflow records,
status changes and transitions, are written).

Decisions are drawn from ``random.Random`` seeded per enterprise, so the same ``seed`` and size
give the same programme whatever the chunk size.
"""

import datetime
import random
import time
from decimal import ROUND_DOWN, Decimal

import factory.random
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, DomainError
from core.roles import Role
from core.selectors import unit_list
from diagnostics.choices import AssessmentStatus, DiagnosisAction, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, DiagnosisTransition
from diagnostics.scoring import index_spec
from diagnostics.selectors.index import current_edition
from diagnostics.services.assessments import scored
from enterprises.choices import Scale, Sector, Size, Status, Tier
from enterprises.models import Enterprise, EnterpriseStatusChange, UnitQuota
from enterprises.names import normalised_name
from funding import balances
from funding.choices import (
    BudgetPurpose,
    CommitmentStatus,
    DisbursementStatus,
    FundSourceKind,
    ProjectAction,
    ProjectStatus,
    RecognitionKind,
    RecognitionLevel,
)
from funding.models import (
    Acceptance,
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FundSource,
    Project,
    ProjectTransition,
    Recognition,
    SubsidyPolicy,
)
from funding.services import ledger
from providers.choices import ProviderEventKind
from providers.models import EvaluationBody, EvaluatorAssignment, Product, Provider, ProviderAssignment, ProviderEvent

from .factories import (
    DEFAULT_PASSWORD,
    PRODUCTS,
    EnterpriseFactory,
    EvaluationBodyFactory,
    ProviderFactory,
    make_credit_code,
)
from .seed.assessments import BASELINE_LEVELS, EVALUATOR_NAMES, POST_LEVELS, answers_for_level
from .seed.diagnoses import PAINS
from .seed.enterprises import SECTOR_CYCLE, WITHDRAWAL_REASONS
from .seed.funding import CENTRAL_LINES, DISTRICT_LINES, FINDINGS_FAIL

DEFAULT_SEED = "songjiang-scale"
#: Enterprises whose rows are built and inserted together (bounded memory at any size).
CHUNK = 5000
BATCH = 2000
#: Credit-code sequences of generated organisations (apart from the roster benchmark's 1,000,000+).
ENTERPRISE_CODES = 2_000_000
PROVIDER_CODES = 3_000_000
BODY_CODES = 3_900_000
D = Decimal
CENT = Decimal("0.01")
PILOT_START = datetime.date(2024, 10, 8)
#: Share of each committable subsidy charged to the central grant (the rest to the district's funds).
CENTRAL_SHARE = Decimal("0.8")
#: Part of a budget line the generated subsidies may take, spread evenly over the enterprises.
LINE_USE = Decimal("0.9")
#: Recognitions per 520 enterprises (the demo's mix, about part-way to the targets).
RECOGNITIONS_PER_520 = [
    (RecognitionKind.DIGITAL_WORKSHOP, RecognitionLevel.DISTRICT, "区级数字化车间", 9),
    (RecognitionKind.DIGITAL_WORKSHOP, RecognitionLevel.MUNICIPAL, "上海市数字化车间", 5),
    (RecognitionKind.SMART_FACTORY, RecognitionLevel.DISTRICT, "区级智能工厂", 4),
    (RecognitionKind.SMART_FACTORY, RecognitionLevel.MUNICIPAL, "上海市智能工厂", 5),
    (RecognitionKind.SMART_FACTORY, RecognitionLevel.NATIONAL, "国家级智能制造示范工厂", 1),
    (RecognitionKind.DEMO_SCENARIO, RecognitionLevel.MUNICIPAL, "上海市智能制造示范场景", 3),
    (RecognitionKind.DEMO_SCENARIO, RecognitionLevel.DISTRICT, "区级数字化示范应用场景", 2),
    (RecognitionKind.TYPICAL_SCENARIO, RecognitionLevel.DISTRICT, "数字化转型典型优秀应用场景方案", 24),
    (RecognitionKind.TYPICAL_SCENARIO, RecognitionLevel.MUNICIPAL, "上海市数字化转型典型场景案例", 8),
    (RecognitionKind.CHAIN_MODEL, RecognitionLevel.MUNICIPAL, "链式数字化转型模式", 3),
    (RecognitionKind.CHAIN_MODEL, RecognitionLevel.DISTRICT, "链式数字化转型模式", 9),
    (RecognitionKind.PLATFORM, RecognitionLevel.DISTRICT, "中小企业数字化转型公共服务平台", 1),
]
#: The story of a project, by weight: the state it would reach if no date came after the as-of date.
PROJECT_PLANS = [
    ("filed", 6),
    ("cancelled", 4),
    ("approved", 12),
    ("requested", 8),
    ("failed", 4),
    ("fail_then_pass", 8),
    ("passed", 58),
]
#: What happens to a payment, by weight.
PAYMENT_PLANS = [("paid", 74), ("approved", 8), ("requested", 8), ("rejected", 6), ("reversed", 4)]
TABLES = [
    ("enterprises", Enterprise),
    ("status changes", EnterpriseStatusChange),
    ("providers", Provider),
    ("products", Product),
    ("evaluation bodies", EvaluationBody),
    ("provider assignments", ProviderAssignment),
    ("evaluator assignments", EvaluatorAssignment),
    ("assessments", Assessment),
    ("diagnoses", Diagnosis),
    ("diagnosis transitions", DiagnosisTransition),
    ("projects", Project),
    ("project transitions", ProjectTransition),
    ("acceptances", Acceptance),
    ("commitments", Commitment),
    ("commitment lines", CommitmentLine),
    ("disbursements", Disbursement),
    ("recognitions", Recognition),
    ("recognition members", Recognition.members.through),
]


def _weighted(rnd, table):
    return rnd.choices([name for name, _w in table], weights=[w for _n, w in table])[0]


def _days(n):
    return datetime.timedelta(days=n)


def _aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Scores:
    """Scored answers per level (0–4), a few variants each: the engine's own result for each."""

    def __init__(self, seed):
        self.edition = current_edition()
        if self.edition is None:
            raise Conflict("no_index", _("The digital-level index is not loaded: run the migrations first."))
        spec = index_spec(self.edition)
        rnd = random.Random(f"{seed}:scores")
        self.pool = {}
        for level in range(5):
            self.pool[level] = []
            for _variant in range(3):
                answers, raw, scenes = answers_for_level(rnd, spec, level)
                answers, raw, result = scored(self.edition, answers, raw, scenes)
                self.pool[level].append(
                    {
                        "answers": answers,
                        "raw": raw,
                        "scenes": {code: lv for code, lv in scenes.items() if lv},
                        "score": result.score,
                        "level": result.level,
                        "result": result.as_json(),
                    }
                )

    def pick(self, rnd, level):
        return {**rnd.choice(self.pool[level]), "edition": self.edition}


def _users(providers, bodies, units):
    """The demo log-ins of ``seed_demo`` (same names, same printed password), created when missing."""
    password = make_password(DEFAULT_PASSWORD)
    wanted = [
        ("admin", {"role": Role.ADMIN, "display_name": "系统管理员", "is_staff": True, "is_superuser": True}),
        ("district", {"role": Role.DISTRICT_OFFICIAL, "display_name": "区经委 王科长"}),
        ("finance", {"role": Role.FINANCE_OFFICER, "display_name": "区财政局 李会计"}),
        ("finance2", {"role": Role.FINANCE_OFFICER, "display_name": "区财政局 陈出纳"}),
        ("auditor", {"role": Role.AUDITOR, "display_name": "审计 赵审计师"}),
    ]
    wanted += [
        (f"unit_{u.code}", {"role": Role.UNIT_STAFF, "display_name": f"{u.short_name} 企服专员", "unit": u})
        for u in units
    ]
    wanted += [
        (f"provider{i}", {"role": Role.PROVIDER_USER, "display_name": f"{p.name[2:6]} 项目经理", "provider": p})
        for i, p in enumerate(providers[:10], start=1)
    ]
    wanted += [
        (f"evaluator{i}", {"role": Role.EVALUATOR, "display_name": f"{b.name[2:6]} 评测员", "evaluation_body": b})
        for i, b in enumerate(bodies, start=1)
    ]
    existing = set(User.objects.filter(username__in=[name for name, _f in wanted]).values_list("username", flat=True))
    User.objects.bulk_create(
        User(username=name, password=password, is_active=True, must_change_password=False, **fields)
        for name, fields in wanted
        if name not in existing
    )
    return {u.username: u for u in User.objects.filter(username__in=[name for name, _f in wanted])}


def _organisations(n, rnd, as_of):
    """Providers (one per 50 enterprises, at least 10; a third of them key providers, designated with
    their event), their products (some recognised), evaluation bodies (one per 2,000, at least 3)."""
    have = Provider.objects.count()
    wanted = max(10, n // 50)
    built = []
    for k in range(have, wanted):
        key = k % 3 == 0
        built.append(
            ProviderFactory.build(
                credit_code=make_credit_code(PROVIDER_CODES + k, division="310000"),
                key_provider_since=PILOT_START + _days(rnd.randint(30, (as_of - PILOT_START).days))
                if key and as_of > PILOT_START + _days(30)
                else None,
                pool_status_since=PILOT_START,
                sectors=[Sector.HIGH_END_EQUIPMENT, Sector.AUTO_PARTS, Sector.ELECTRONICS][: 1 + k % 3],
                contact_phone=f"021-6{k % 10000000:07d}",
            )
        )
    Provider.objects.bulk_create(built, batch_size=BATCH)
    providers = list(Provider.objects.order_by("pk"))
    products = []
    for k, provider in enumerate(providers):
        sector = [Sector.HIGH_END_EQUIPMENT, Sector.AUTO_PARTS, Sector.ELECTRONICS, Sector.OTHER][k % 4]
        for j in range(2):
            recognised = rnd.random() < 0.35 and as_of > datetime.date(2025, 1, 1)
            products.append(
                Product(
                    provider=provider,
                    name=f"{PRODUCTS[sector][(k + j) % len(PRODUCTS[sector])]}数字化解决方案（{k + 1}-{j + 1}）",
                    description="轻量化、快速部署的数字化改造方案。",
                    scenes=[list(PAINS)[(k + j) % len(PAINS)]],
                    deployments=rnd.randint(0, 40),
                    recognised_on=datetime.date(2025, 1, 1)
                    + _days(rnd.randint(0, (as_of - datetime.date(2025, 1, 1)).days))
                    if recognised
                    else None,
                )
            )
    if not Product.objects.exists():
        Product.objects.bulk_create(products, batch_size=BATCH)
    have_bodies = EvaluationBody.objects.count()
    EvaluationBody.objects.bulk_create(
        EvaluationBodyFactory.build(credit_code=make_credit_code(BODY_CODES + k, division="310000"))
        for k in range(have_bodies, max(3, n // 2000))
    )
    return providers, list(EvaluationBody.objects.order_by("pk"))


def _budget(finance):
    """The budget lines of both seeded fund sources (the demo's split), set through the ledger when absent."""
    if not BudgetLine.objects.exists():
        for kind, table in ((FundSourceKind.CENTRAL, CENTRAL_LINES), (FundSourceKind.DISTRICT, DISTRICT_LINES)):
            source = FundSource.objects.get(kind=kind)
            for purpose, amount in table.items():
                ledger.budget_line_set(actor=finance, source=source, purpose=purpose, amount=amount)
    central = BudgetLine.objects.get(source__kind=FundSourceKind.CENTRAL, purpose=BudgetPurpose.SME_TRANSFORMATION)
    district = BudgetLine.objects.get(source__kind=FundSourceKind.DISTRICT, purpose=BudgetPurpose.BENCHMARK_DEMO)
    return central, district


class _Chunk:
    """The rows of one chunk of enterprises, built in memory and inserted in dependency order."""

    def __init__(self):
        self.enterprises = []
        self.plans = []  # per enterprise: dict of what happens to it (dates, levels, states)


class Generator:
    """Build the programme; :meth:`run` returns ``{table: rows}``."""

    def __init__(self, *, enterprises, seed=DEFAULT_SEED, as_of=None, log=None):
        today = timezone.localdate()
        self.n = enterprises
        self.seed = str(seed)
        self.as_of = as_of or today
        self.log = log or (lambda message: None)
        if not isinstance(enterprises, int) or enterprises < 1:
            raise DomainError("invalid_size", _("Generate at least one enterprise."), field="enterprises")
        if self.as_of > today:
            raise DomainError("as_of_in_future", _("The as-of date cannot be after today."), field="as_of")
        if self.as_of < datetime.date(2024, 12, 1):
            raise DomainError(
                "as_of_too_early", _("The as-of date must be 2024-12-01 or later (the pilot began in October 2024)."),
                field="as_of",
            )  # fmt: skip
        self.end_of_pilot = min(self.as_of, datetime.date(2026, 10, 31))
        self.passed_ids = []  # enterprises with a passed project (recognitions go to them)
        self.leader_ids = []  # large enterprises (chain leaders)

    # --- the whole run --------------------------------------------------------------------------

    def run(self):
        started = time.perf_counter()
        if Enterprise.objects.exists():
            raise Conflict(
                "not_empty",
                _("The database already has {count} enterprises: generate into an empty, migrated database.").format(
                    count=Enterprise.objects.count()
                ),
            )
        factory.random.reseed_random(self.seed)
        rnd = random.Random(self.seed)
        with transaction.atomic():
            self.units = list(unit_list())
            self.providers, self.bodies = _organisations(self.n, rnd, self.as_of)
            self.users = _users(self.providers, self.bodies, self.units)
            self.district, self.finance = self.users["district"], self.users["finance"]
            self.cashier = self.users["finance2"]  # four eyes: finance approves, the cashier pays
            self.central, self.district_line = _budget(self.finance)
            self.policy = SubsidyPolicy.objects.filter(is_active=True).order_by("pk").first()
            self.room = {
                line.pk: (line.amount - balances.line_committed(line)) * LINE_USE / self.n
                for line in (self.central, self.district_line)
            }
            self.scores = _Scores(self.seed)
            provider_users = {u.provider_id: u for u in self.users.values() if u.provider_id}
            self.filed_by = {p.pk: provider_users.get(p.pk, self.district) for p in self.providers}
            self._provider_events()
            for first in range(0, self.n, CHUNK):
                self._chunk(range(first, min(self.n, first + CHUNK)))
                self.log(f"  {min(self.n, first + CHUNK):,} / {self.n:,} enterprises")
            self._recognitions(rnd)
            self._quotas()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        counts = {label: model.objects.count() for label, model in TABLES}
        counts["seconds"] = round(time.perf_counter() - started, 1)
        return counts

    def _provider_events(self):
        designated = set(
            ProviderEvent.objects.filter(kind=ProviderEventKind.KEY_DESIGNATED).values_list("provider_id", flat=True)
        )
        ProviderEvent.objects.bulk_create(
            ProviderEvent(
                provider=p,
                kind=ProviderEventKind.KEY_DESIGNATED,
                to_value=p.key_provider_since.isoformat(),
                happened_on=p.key_provider_since,
                actor=self.district,
            )
            for p in self.providers
            if p.key_provider_since and p.pk not in designated
        )

    # --- one chunk ------------------------------------------------------------------------------

    def _chunk(self, indices):
        chunk = _Chunk()
        for i in indices:
            rnd = random.Random(f"{self.seed}:{i}")
            enterprise, plan = self._enterprise(i, rnd)
            enterprise.name_key = normalised_name(enterprise.name)  # bulk_create calls no save()
            chunk.enterprises.append(enterprise)
            chunk.plans.append(plan)
        Enterprise.objects.bulk_create(chunk.enterprises, batch_size=BATCH)
        for enterprise, plan in zip(chunk.enterprises, chunk.plans, strict=True):
            if enterprise.size == Size.LARGE and enterprise.status == Status.ACTIVE:
                self.leader_ids.append(enterprise.pk)
            if plan.get("project") and plan["project"]["status"] == ProjectStatus.PASSED:
                self.passed_ids.append(enterprise.pk)
        self._registry_rows(chunk)
        self._assessments(chunk)
        self._diagnoses(chunk)
        self._projects(chunk)
        self._money(chunk)

    def _enterprise(self, i, rnd):
        """An unsaved enterprise (built by the shared factory) and the plan of its life in the pilot."""
        k = i % 100
        status = Status.PROPOSED if k < 2 else Status.WITHDRAWN if k < 4 else Status.ACTIVE
        below = i % 20 == 7
        size = (
            Size.LARGE
            if i % 500 == 499 and not below
            else rnd.choice([Size.SMALL, Size.MICRO])
            if below
            else rnd.choice([Size.MEDIUM, Size.SMALL, Size.SMALL, Size.MICRO])
        )
        tier = (
            Tier.LITTLE_GIANT
            if i % 13 == 0
            else Tier.SRDI
            if i % 13 <= 6
            else rnd.choice([Tier.INNOVATIVE, Tier.NONE, Tier.NONE])
        )
        proposed_on = min(self.as_of, PILOT_START + _days(i % 40 if k >= 2 else rnd.randint(60, 700)))
        confirmed_on = proposed_on + _days(14) if status != Status.PROPOSED else None
        if confirmed_on and confirmed_on > self.as_of:
            confirmed_on = self.as_of
        end = self.as_of
        withdrawn_on = None
        if status == Status.WITHDRAWN:
            span = (self.as_of - confirmed_on).days
            withdrawn_on = confirmed_on + _days(rnd.randint(min(span, 120), span))
            end = withdrawn_on
        cloud = None
        if status != Status.PROPOSED and rnd.random() < 0.8:
            day = datetime.date(2024, 11, 1) + _days(rnd.randint(0, 700))
            cloud = day if confirmed_on <= day <= end else None
        enterprise = EnterpriseFactory.build(
            credit_code=make_credit_code(ENTERPRISE_CODES + i),
            unit=self.units[(i * 7) % len(self.units)],
            sector=SECTOR_CYCLE[i % len(SECTOR_CYCLE)] if i % 23 else Sector.OTHER,
            scale=Scale.BELOW if below else Scale.ABOVE,
            size=size,
            tier=tier,
            status=status,
            pilot_year=2025 if k < 54 else 2026,
            pilot_batch="第一批" if k < 54 else "第二批",
            cloud_verified_on=cloud,
            cloud_services="云ERP、云MES" if cloud else "",
            withdrawn_on=withdrawn_on,
            withdrawal_reason=WITHDRAWAL_REASONS[i % len(WITHDRAWAL_REASONS)] if withdrawn_on else "",
            created_by=self.district,
        )
        plan = {
            "rnd": rnd,
            "proposed_on": proposed_on,
            "confirmed_on": confirmed_on,
            "end": end,
            "provider": self.providers[i % len(self.providers)],
            "body": self.bodies[i % len(self.bodies)],
        }
        if confirmed_on is not None:
            self._plan_life(plan, rnd)
        baseline = plan.get("baseline")
        posts = plan.get("posts", [])
        enterprise.baseline_level = baseline["level"] if baseline else None
        enterprise.current_level = posts[-1]["level"] if posts else enterprise.baseline_level
        return enterprise, plan

    def _plan_life(self, plan, rnd):
        """Dates and outcomes of the enterprise's evaluations, diagnosis, project and payments; every
        step dated after the as-of date (or the withdrawal) does not happen, nor anything after it."""
        end = plan["end"]
        start = plan["confirmed_on"] + _days(rnd.randint(5, 420))

        def happens(day):
            return day <= end

        if rnd.random() < 0.1 and happens(start - _days(3)):
            plan["self"] = {
                "on": max(plan["confirmed_on"], start - _days(rnd.randint(3, 20))),
                "level": rnd.randint(0, 3),
            }
        if rnd.random() >= 6 / 7 or not happens(start):
            return
        plan["baseline"] = {"on": start, "level": rnd.choice(BASELINE_LEVELS)}
        if rnd.random() >= 0.85:
            return
        diagnosed = start + _days(rnd.randint(7, 40))
        if not happens(diagnosed):
            return
        steps = [(DiagnosisAction.CREATE, "", DiagnosisStatus.DRAFT, diagnosed)]
        roll = rnd.random()
        day = diagnosed + _days(rnd.randint(3, 10))
        if roll >= 0.05:
            steps.append((DiagnosisAction.SUBMIT, DiagnosisStatus.DRAFT, DiagnosisStatus.SUBMITTED, day))
            if roll >= 0.10:
                if roll < 0.13 or rnd.random() < 0.15:
                    day += _days(rnd.randint(3, 10))
                    steps.append((DiagnosisAction.RETURN, DiagnosisStatus.SUBMITTED, DiagnosisStatus.RETURNED, day))
                    if roll >= 0.13:
                        day += _days(rnd.randint(5, 15))
                        steps.append((DiagnosisAction.SUBMIT, DiagnosisStatus.RETURNED, DiagnosisStatus.SUBMITTED, day))
                if roll >= 0.13:
                    day += _days(rnd.randint(3, 15))
                    steps.append((DiagnosisAction.ACCEPT, DiagnosisStatus.SUBMITTED, DiagnosisStatus.ACCEPTED, day))
        steps = [s for s in steps if happens(s[3])]
        plan["diagnosis"] = {
            "steps": steps,
            "status": steps[-1][2],
            "diagnosed_on": diagnosed,
            "strength": rnd.choice([0, 1, 1, 2, 2, 3]),
            "targets": rnd.sample([c for c in PAINS if c not in ("after_sales", "planning_scheduling")], 2)
            + rnd.sample(["after_sales", "planning_scheduling"], 1),
            "cost": rnd.randint(30, 160) * 10000,
        }
        if plan["diagnosis"]["status"] != DiagnosisStatus.ACCEPTED or rnd.random() >= 0.88:
            return
        self._plan_project(plan, rnd, accepted=steps[-1][3])

    def _plan_project(self, plan, rnd, *, accepted):
        end = plan["end"]
        story = _weighted(rnd, PROJECT_PLANS)
        filed = accepted + _days(rnd.randint(5, 40))
        if filed > end:
            return
        steps = [(ProjectAction.FILE, "", ProjectStatus.FILED, filed, {})]
        acceptances = []
        day = filed
        if story == "cancelled":
            steps.append(
                (
                    ProjectAction.CANCEL,
                    ProjectStatus.FILED,
                    ProjectStatus.CANCELLED,
                    filed + _days(rnd.randint(10, 60)),
                    {},
                )
            )
        elif story != "filed":
            approved = filed + _days(rnd.randint(7, 20))
            requested = approved + _days(rnd.randint(30, 300))
            steps.append((ProjectAction.APPROVE, ProjectStatus.FILED, ProjectStatus.APPROVED, approved, {}))
            steps.append((ProjectAction.PROGRESS, ProjectStatus.APPROVED, ProjectStatus.APPROVED,
                          approved + (requested - approved) // 2, {"progress": 50}))  # fmt: skip
            if story != "approved":
                steps.append(
                    (
                        ProjectAction.REQUEST_ACCEPTANCE,
                        ProjectStatus.APPROVED,
                        ProjectStatus.ACCEPTANCE_REQUESTED,
                        requested,
                        {},
                    )
                )
                day = requested + _days(rnd.randint(7, 30))
                if story in ("failed", "fail_then_pass"):
                    steps.append(
                        (
                            ProjectAction.FAIL,
                            ProjectStatus.ACCEPTANCE_REQUESTED,
                            ProjectStatus.FAILED,
                            day,
                            {"attempt": 1},
                        )
                    )
                    acceptances.append({"on": day, "passed": False})
                    if story == "fail_then_pass":
                        day += _days(rnd.randint(20, 60))
                        steps.append(
                            (
                                ProjectAction.REQUEST_ACCEPTANCE,
                                ProjectStatus.FAILED,
                                ProjectStatus.ACCEPTANCE_REQUESTED,
                                day,
                                {},
                            )
                        )
                        day += _days(rnd.randint(7, 30))
                        steps.append(
                            (
                                ProjectAction.PASS,
                                ProjectStatus.ACCEPTANCE_REQUESTED,
                                ProjectStatus.PASSED,
                                day,
                                {"attempt": 2},
                            )
                        )
                        acceptances.append({"on": day, "passed": True})
                elif story in ("passed",):
                    steps.append(
                        (
                            ProjectAction.PASS,
                            ProjectStatus.ACCEPTANCE_REQUESTED,
                            ProjectStatus.PASSED,
                            day,
                            {"attempt": 1},
                        )
                    )
                    acceptances.append({"on": day, "passed": True})
        steps = [s for s in steps if s[3] <= end]
        acceptances = [a for a in acceptances if a["on"] <= end]
        status = steps[-1][2]
        project = {
            "steps": steps,
            "status": status,
            "acceptances": acceptances,
            "total": D(rnd.randint(20, 300) * 10000),
            "software_share": D(rnd.choice(["0.35", "0.45", "0.6"])),
        }
        plan["project"] = project
        plan["posts"] = []
        if status == ProjectStatus.PASSED:
            passed_on = acceptances[-1]["on"]
            level = rnd.choice(POST_LEVELS)
            post_on = max(passed_on - _days(rnd.randint(0, 5)), steps[-2][3])
            plan["posts"].append({"on": post_on, "level": level, "acceptance": len(acceptances) - 1})
            if level == 4 and rnd.random() < 0.3 and passed_on + _days(200) <= end:
                # Level 4 reached twice: indicator 8 counts the first only.
                plan["posts"].append({"on": passed_on + _days(rnd.randint(200, 260)), "level": 4, "acceptance": None})
        approved = next((s[3] for s in steps if s[0] == ProjectAction.APPROVE), None)
        if approved and rnd.random() < 0.8:
            committed_on = approved + _days(rnd.randint(5, 30))
            # A subsidy is committed while the project is approved, awaiting or past acceptance (not failed).
            state = [s[2] for s in steps if s[3] <= committed_on][-1]
            if committed_on <= end and state in ledger.COMMITTABLE_PROJECT_STATES:
                project["committed_on"] = committed_on
                if status == ProjectStatus.PASSED and plan["posts"][-1]["level"] >= 2:
                    start = max(committed_on, acceptances[-1]["on"])
                    project["payments"] = [self._plan_payment(rnd, start, end) for _line in range(2)]

    def _plan_payment(self, rnd, start, end):
        story = _weighted(rnd, PAYMENT_PLANS)
        requested = start + _days(rnd.randint(5, 20))
        approved = requested + _days(rnd.randint(2, 10))
        paid = approved + _days(rnd.randint(2, 10))
        reversed_on = paid + _days(rnd.randint(10, 40))
        if requested > end:
            return None
        if story == "rejected":
            return {"status": DisbursementStatus.REJECTED, "requested": requested}
        if story == "requested" or approved > end:
            return {"status": DisbursementStatus.REQUESTED, "requested": requested}
        if story == "approved" or paid > end:
            return {"status": DisbursementStatus.APPROVED, "requested": requested, "approved": approved}
        payment = {"status": DisbursementStatus.PAID, "requested": requested, "approved": approved, "paid": paid}
        if story == "reversed" and reversed_on <= end:
            payment["reversed"] = reversed_on
        return payment

    # --- rows -------------------------------------------------------------------------------------

    def _registry_rows(self, chunk):
        Kind = EnterpriseStatusChange.Kind
        changes, providers, bodies = [], [], []
        staff = {u.unit_id: u for name, u in self.users.items() if name.startswith("unit_")}
        for e, plan in zip(chunk.enterprises, chunk.plans, strict=True):
            changes.append(EnterpriseStatusChange(enterprise=e, kind=Kind.CREATED, to_status=Status.PROPOSED,
                                                  happened_on=plan["proposed_on"], actor=staff.get(e.unit_id)))  # fmt: skip
            if plan["confirmed_on"]:
                changes.append(EnterpriseStatusChange(enterprise=e, kind=Kind.CONFIRMED, from_status=Status.PROPOSED,
                                                      to_status=Status.ACTIVE, happened_on=plan["confirmed_on"],
                                                      actor=self.district))  # fmt: skip
            if e.withdrawn_on:
                changes.append(EnterpriseStatusChange(enterprise=e, kind=Kind.WITHDRAWN, from_status=Status.ACTIVE,
                                                      to_status=Status.WITHDRAWN, happened_on=e.withdrawn_on,
                                                      reason=e.withdrawal_reason, actor=staff.get(e.unit_id)))  # fmt: skip
            assigned_on = plan["proposed_on"] + _days(7)
            providers.append(ProviderAssignment(enterprise=e, provider=plan["provider"], assigned_on=assigned_on,
                                                assigned_by=self.district))  # fmt: skip
            bodies.append(EvaluatorAssignment(enterprise=e, evaluation_body=plan["body"], assigned_on=assigned_on,
                                              assigned_by=self.district))  # fmt: skip
        EnterpriseStatusChange.objects.bulk_create(changes, batch_size=BATCH)
        ProviderAssignment.objects.bulk_create(providers, batch_size=BATCH)
        EvaluatorAssignment.objects.bulk_create(bodies, batch_size=BATCH)

    def _assessment(self, e, plan, *, stage, method, on, level, note=""):
        content = self.scores.pick(plan["rnd"], level)
        onsite = method == Method.ONSITE
        return Assessment(
            enterprise=e,
            stage=stage,
            method=method,
            status=AssessmentStatus.SUBMITTED,
            evaluation_body=plan["body"] if onsite else None,
            evaluated_on=on,
            evaluators="、".join(plan["rnd"].sample(EVALUATOR_NAMES, 2)) if onsite else "",
            note=note,
            submitted_at=_aware(on, 17),
            created_by=self.district,
            **content,
        )

    def _assessments(self, chunk):
        rows = []
        for e, plan in zip(chunk.enterprises, chunk.plans, strict=True):
            if "self" in plan:
                rows.append(self._assessment(e, plan, stage=Stage.BASELINE, method=Method.SELF,
                                             on=plan["self"]["on"], level=plan["self"]["level"], note="企业自评"))  # fmt: skip
            if "baseline" in plan:
                rows.append(self._assessment(e, plan, stage=Stage.BASELINE, method=Method.ONSITE,
                                             on=plan["baseline"]["on"], level=plan["baseline"]["level"]))  # fmt: skip
            for post in plan.get("posts", []):
                row = self._assessment(e, plan, stage=Stage.POST, method=Method.ONSITE, on=post["on"],
                                       level=post["level"], note="改造后现场评定（项目验收同步开展）")  # fmt: skip
                post["row"] = row
                rows.append(row)
        Assessment.objects.bulk_create(rows, batch_size=BATCH)

    def _diagnoses(self, chunk):
        rows, transitions = [], []
        for e, plan in zip(chunk.enterprises, chunk.plans, strict=True):
            info = plan.get("diagnosis")
            if not info:
                continue
            content = self.scores.pick(plan["rnd"], info["strength"])
            steps = info["steps"]
            submits = [s for s in steps if s[0] == DiagnosisAction.SUBMIT]
            accepted = info["status"] == DiagnosisStatus.ACCEPTED
            cost = D(info["cost"])
            diagnosis = Diagnosis(
                enterprise=e,
                provider=plan["provider"],
                status=info["status"],
                is_current=accepted,
                diagnosed_on=info["diagnosed_on"],
                pain_points={code: PAINS[code] for code in info["targets"]},
                summary=f"{e.name}数字化基础{['薄弱', '一般', '较好', '良好'][info['strength']]}，主要短板集中在生产执行与供应链环节。",
                target_level=min(4, max(2, info["strength"] + 1)),
                target_scenes=info["targets"],
                proposed_work="部署轻量化MES与设备联网采集，打通ERP与仓储数据，建立质量追溯。",
                proposed_cost=cost,
                software_cost=(cost * D("0.6")).quantize(CENT),
                version=max(1, len(submits)),
                return_count=sum(1 for s in steps if s[0] == DiagnosisAction.RETURN),
                submitted_on=submits[0][3] if submits else None,
                last_submitted_on=submits[-1][3] if submits else None,
                accepted_on=steps[-1][3] if accepted else None,
                created_by=self.district,
                **content,
            )
            info["row"] = diagnosis
            rows.append(diagnosis)
            snapshot = {
                "edition": content["edition"].code,
                "diagnosed_on": info["diagnosed_on"].isoformat(),
                "answers": content["answers"],
                "scenes": content["scenes"],
                "score": str(content["score"]),
                "level": content["level"],
                "target_level": diagnosis.target_level,
                "target_scenes": info["targets"],
                "proposed_cost": str(cost),
            }
            version = 0
            for action, before, after, day, *_rest in steps:
                if action == DiagnosisAction.SUBMIT:
                    version += 1
                transitions.append(
                    DiagnosisTransition(
                        diagnosis=diagnosis,
                        action=action,
                        from_status=before,
                        to_status=after,
                        date=day,
                        reason="请补充设备联网现状和投入测算依据。" if action == DiagnosisAction.RETURN else "",
                        snapshot={**snapshot, "version": version} if action == DiagnosisAction.SUBMIT else None,
                        actor=self.district,
                    )
                )
        Diagnosis.objects.bulk_create(rows, batch_size=BATCH)
        DiagnosisTransition.objects.bulk_create(transitions, batch_size=BATCH)

    def _projects(self, chunk):
        projects, transitions, acceptances = [], [], []
        for n, (e, plan) in enumerate(zip(chunk.enterprises, chunk.plans, strict=True)):
            info = plan.get("project")
            if not info:
                continue
            steps = info["steps"]
            dates = {s[0]: s[3] for s in steps}
            total = info["total"]
            software = (total * info["software_share"]).quantize(CENT)
            status = info["status"]
            passed = [a for a in info["acceptances"] if a["passed"]]
            project = Project(
                enterprise=e,
                provider=plan["provider"],
                diagnosis=plan["diagnosis"]["row"],
                title=f"{e.name}数字化改造项目",
                contract_no=f"SJ-{dates[ProjectAction.FILE]:%Y}-{e.credit_code[-8:]}",
                contract_signed_on=dates[ProjectAction.FILE] - _days(3),
                planned_start_on=dates[ProjectAction.FILE] + _days(10),
                planned_end_on=dates[ProjectAction.FILE] + _days(240),
                total_investment=total,
                software_amount=software,
                other_amount=total - software,
                scenes=plan["diagnosis"]["targets"],
                target_level=plan["diagnosis"]["row"].target_level,
                status=status,
                progress=100
                if status in (ProjectStatus.ACCEPTANCE_REQUESTED, ProjectStatus.PASSED, ProjectStatus.FAILED)
                else 50
                if ProjectAction.PROGRESS in dates
                else 0,
                filed_on=dates[ProjectAction.FILE],
                approved_on=dates.get(ProjectAction.APPROVE),
                acceptance_requested_on=max(
                    (s[3] for s in steps if s[0] == ProjectAction.REQUEST_ACCEPTANCE), default=None
                ),
                accepted_on=passed[-1]["on"] if status == ProjectStatus.PASSED else None,
                acceptance_attempts=len(info["acceptances"]),
                created_by=self.filed_by[plan["provider"].pk],
            )
            info["row"] = project
            projects.append(project)
            for action, before, after, day, data in steps:
                transitions.append(ProjectTransition(project=project, action=action, from_status=before, to_status=after,
                                                     date=day, data=data, actor=self.district,
                                                     reason=FINDINGS_FAIL[n % 2] if action == ProjectAction.FAIL else ""))  # fmt: skip
            posts = {p["acceptance"]: p["row"] for p in plan.get("posts", []) if p["acceptance"] is not None}
            for attempt, inspection in enumerate(info["acceptances"], start=1):
                acceptances.append(
                    Acceptance(
                        project=project,
                        attempt=attempt,
                        evaluation_body=plan["body"],
                        accepted_on=inspection["on"],
                        passed=inspection["passed"],
                        findings="" if inspection["passed"] else FINDINGS_FAIL[n % 2],
                        post_assessment=posts.get(attempt - 1),
                        recorded_by=self.district,
                    )
                )
        Project.objects.bulk_create(projects, batch_size=BATCH)
        ProjectTransition.objects.bulk_create(transitions, batch_size=BATCH)
        Acceptance.objects.bulk_create(acceptances, batch_size=BATCH)

    def _subsidy(self, project):
        """What the policy allows (one project per enterprise), within this project's share of the lines."""
        allowed = (project.total_investment * self.policy.ratio).quantize(CENT, rounding=ROUND_DOWN)
        allowed = min(allowed, self.policy.cap_per_enterprise)
        central = min((allowed * CENTRAL_SHARE).quantize(CENT, rounding=ROUND_DOWN), self.room[self.central.pk])
        district = min(
            (allowed - allowed * CENTRAL_SHARE).quantize(CENT, rounding=ROUND_DOWN), self.room[self.district_line.pk]
        )
        return [(self.central, central.quantize(CENT, rounding=ROUND_DOWN)),
                (self.district_line, district.quantize(CENT, rounding=ROUND_DOWN))]  # fmt: skip

    def _money(self, chunk):
        commitments, lines, payments = [], [], []
        for e, plan in zip(chunk.enterprises, chunk.plans, strict=True):
            info = plan.get("project")
            if not info or "committed_on" not in info:
                continue
            project = info["row"]
            commitment = Commitment(
                title=f"{e.name}数字化改造补贴",
                enterprise=e,
                project=project,
                policy=self.policy,
                committed_on=info["committed_on"],
                status=CommitmentStatus.ACTIVE,
                created_by=self.district,
            )
            commitments.append(commitment)
            for k, (budget_line, amount) in enumerate(self._subsidy(project)):
                if amount <= 0:
                    continue
                line = CommitmentLine(commitment=commitment, budget_line=budget_line, amount=amount)
                lines.append(line)
                payment = (info.get("payments") or [None, None])[k]
                if payment:
                    payments.append((line, payment))
        Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        CommitmentLine.objects.bulk_create(lines, batch_size=BATCH)
        rows, reversals = [], []
        for n, (line, p) in enumerate(payments):
            status = p["status"]
            row = Disbursement(
                commitment_line=line,
                amount=line.amount,
                tranche=1,
                status=status,
                requested_on=p["requested"],
                approved_on=p.get("approved"),
                paid_on=p.get("paid"),
                # One voucher per payment (a database constraint): an enterprise paid from both sources
                # on one day has two payments, so the voucher carries the payment's position too.
                voucher_no=f"PZ{p['paid']:%Y%m%d}{line.commitment.enterprise.credit_code[-6:]}{n:06d}"
                if p.get("paid")
                else "",
                payee_account=f"6222{line.commitment.enterprise.credit_code[-12:]}",
                reason="材料不全，请补充发票后重新申请。" if status == DisbursementStatus.REJECTED else "",
                requested_by=self.district,
                approved_by=self.finance if p.get("approved") else None,
                paid_by=self.cashier if p.get("paid") else None,
            )
            rows.append(row)
            if p.get("reversed"):
                reversals.append(
                    Disbursement(
                        commitment_line=line,
                        amount=-line.amount,
                        tranche=1,
                        status=DisbursementStatus.PAID,
                        requested_on=p["reversed"],
                        approved_on=p["reversed"],
                        paid_on=p["reversed"],
                        voucher_no=f"CX{p['reversed']:%Y%m%d}{line.commitment.enterprise.credit_code[-6:]}",
                        reverses=row,
                        reason="收款账户有误，退回后重新拨付。",
                        requested_by=self.finance,
                        approved_by=self.finance,
                        paid_by=self.finance,
                    )
                )
        Disbursement.objects.bulk_create(rows, batch_size=BATCH)
        Disbursement.objects.bulk_create(reversals, batch_size=BATCH)

    # --- after the enterprises -------------------------------------------------------------------

    def _recognitions(self, rnd):
        """Recognitions in the demo's mix, in proportion, tied to enterprises whose project passed
        (chain models to a large chain leader with 3–6 member enterprises; the platform to none)."""
        rows, members = [], []
        first, last = datetime.date(2024, 11, 1), self.end_of_pilot
        candidates = self.passed_ids or list(
            Enterprise.objects.filter(status=Status.ACTIVE).values_list("pk", flat=True)[:1000]
        )
        for kind, level, title, per_520 in RECOGNITIONS_PER_520:
            for n in range(max(1, round(per_520 * self.n / 520))):
                on = first + _days(rnd.randint(0, max(0, (last - first).days)))
                enterprise_id = None
                if kind == RecognitionKind.CHAIN_MODEL:
                    enterprise_id = rnd.choice(self.leader_ids or candidates) if candidates else None
                elif kind != RecognitionKind.PLATFORM and candidates:
                    enterprise_id = rnd.choice(candidates)
                recognition = Recognition(
                    kind=kind,
                    level=level,
                    recognised_on=on,
                    title=f"{title}（{n + 1}）",
                    issuer="上海市经济和信息化委员会" if level != RecognitionLevel.DISTRICT else "松江区经济委员会",
                    enterprise_id=enterprise_id,
                    platform_name="松江区中小企业数字化转型公共服务平台" if kind == RecognitionKind.PLATFORM else "",
                    gongfu_lianzhu=kind == RecognitionKind.CHAIN_MODEL and level == RecognitionLevel.MUNICIPAL,
                    created_by=self.district,
                )
                rows.append(recognition)
                if kind == RecognitionKind.CHAIN_MODEL and candidates:
                    for member in set(rnd.sample(candidates, min(len(candidates), rnd.randint(3, 6)))):
                        members.append((recognition, member))
        Recognition.objects.bulk_create(rows, batch_size=BATCH)
        Through = Recognition.members.through
        Through.objects.bulk_create(
            (Through(recognition_id=r.pk, enterprise_id=m) for r, m in members), batch_size=BATCH
        )

    def _quotas(self):
        """Each unit keeps the number it started with (active + withdrawn)."""
        for unit in self.units:
            required = Enterprise.objects.filter(unit=unit, status__in=(Status.ACTIVE, Status.WITHDRAWN)).count()
            UnitQuota.objects.update_or_create(unit=unit, defaults={"required": required})


def generate(*, enterprises, seed=DEFAULT_SEED, as_of=None, log=None):
    """Generate a programme of ``enterprises`` enterprises; returns ``{table: rows, "seconds": s}``."""
    return Generator(enterprises=enterprises, seed=seed, as_of=as_of, log=log).run()
