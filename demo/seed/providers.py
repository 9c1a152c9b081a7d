"""Deterministic demo data of the providers app, called by ``seed_demo``.

:func:`seed_providers` fills in the resource-pool facts of the demo providers, records their pool and
key-provider events, adds ~30 小快轻准 products (a dozen recognised) and satisfaction ratings of
assigned enterprises; :func:`compute_demo_scorecards` computes the 2025 scorecards and runs last, after
every app has seeded the diagnoses and evaluations the metrics read. No randomness: everything derives
from the providers' and enterprises' order, so two runs give the same data; a second run adds nothing.
"""

import datetime

from accounts.models import User
from core.roles import Role
from enterprises.choices import Sector, Status
from providers.choices import SCENE_CODES, PoolStatus, PriceModel, ProviderEventKind, ProviderType
from providers.models import Product, Provider, ProviderAssignment, ProviderEvent, ProviderRating
from providers.services import scorecard_compute

SCENES = [code for code, _label in SCENE_CODES]
SECTORS = [Sector.HIGH_END_EQUIPMENT, Sector.AUTO_PARTS, Sector.ELECTRONICS]
POOL_ADMITTED_ON = datetime.date(2024, 10, 20)
KEY_PROVIDERS = 3
KEY_SINCE = datetime.date(2025, 3, 1)

PRODUCT_TEMPLATES = [
    ("设备联网与OEE看板", ["equipment_management", "production_control"], PriceModel.SUBSCRIPTION, "每台设备 600元/年"),
    (
        "轻量化MES",
        ["production_control", "planning_scheduling", "quality_management"],
        PriceModel.SUBSCRIPTION,
        "3万元/年起",
    ),
    ("质量追溯SaaS", ["quality_management"], PriceModel.SUBSCRIPTION, "1.2万元/年"),
    (
        "云ERP（制造版）",
        ["finance", "procurement", "warehousing_logistics"],
        PriceModel.SUBSCRIPTION,
        "每用户 1800元/年",
    ),
    ("能耗在线监测", ["energy_management", "safety"], PriceModel.ONE_OFF, "8万元/套"),
    ("APS高级排程", ["planning_scheduling"], PriceModel.PROJECT, "按项目报价"),
    ("WMS仓储管理", ["warehousing_logistics", "procurement"], PriceModel.SUBSCRIPTION, "2.4万元/年"),
    ("CRM营销云", ["marketing", "after_sales"], PriceModel.SUBSCRIPTION, "每用户 1200元/年"),
    ("三维工艺设计助手", ["process_design", "product_design"], PriceModel.ONE_OFF, "5万元/套"),
    ("安全生产巡检小程序", ["safety"], PriceModel.FREE, "基础版免费"),
    ("协同办公与审批", ["collaboration", "human_resources"], PriceModel.SUBSCRIPTION, "每用户 300元/年"),
    ("经营驾驶舱", ["decision_support", "finance"], PriceModel.PROJECT, "按项目报价"),
]
PRODUCTS_PER_PROVIDER = 3
QUALIFICATIONS = [
    "工业互联网平台服务商；ISO 9001；CMMI 3 级",
    "上海市中小企业数字化转型服务商；ISO 27001",
    "国家级专精特新“小巨人”企业；软件企业认定",
]
STREETS = ["松江区新飞路", "松江区荣乐东路", "松江区九亭大街", "松江区莘砖公路", "松江区文翔路"]


def _fill_pool_facts(providers):
    """Sectors, scenes, qualifications, address, contact and pool status of each demo provider."""
    for i, provider in enumerate(providers):
        if provider.sectors and provider.scenes:
            continue
        provider.sectors = [SECTORS[i % 3]] if provider.type == ProviderType.SPECIALISED else SECTORS[: 2 + i % 2]
        provider.scenes = [SCENES[(i * 3 + k) % len(SCENES)] for k in range(4 + i % 4)]
        provider.qualifications = QUALIFICATIONS[i % len(QUALIFICATIONS)]
        provider.address = f"{STREETS[i % len(STREETS)]}{100 + i * 17}号"
        provider.contact_name = provider.contact_name or ["周经理", "陈总监", "李工", "吴经理", "郑主任"][i % 5]
        provider.contact_phone = provider.contact_phone or f"1391700{i:04d}"
        # The last demo provider has applied and awaits admission; the rest are in the pool.
        provider.pool_status = PoolStatus.APPLIED if i == len(providers) - 1 else PoolStatus.IN_POOL
        provider.pool_status_since = datetime.date(2025, 9, 1) if i == len(providers) - 1 else POOL_ADMITTED_ON
        if i < KEY_PROVIDERS and not provider.key_provider_since:
            provider.key_provider_since = KEY_SINCE
        provider.save()


def _events(providers, district):
    if ProviderEvent.objects.exists():
        return
    rows = []
    for provider in providers:
        rows.append(
            ProviderEvent(
                provider=provider,
                kind=ProviderEventKind.POOL_STATUS,
                to_value=provider.pool_status,
                happened_on=provider.pool_status_since or POOL_ADMITTED_ON,
                note="首批服务商征集" if provider.pool_status == PoolStatus.IN_POOL else "已提交入库申请",
                actor=district,
            )
        )
        if provider.key_provider_since:
            rows.append(
                ProviderEvent(
                    provider=provider,
                    kind=ProviderEventKind.KEY_DESIGNATED,
                    to_value=provider.key_provider_since.isoformat(),
                    happened_on=provider.key_provider_since,
                    note="区经委认定首批重点服务商",
                    actor=district,
                )
            )
    ProviderEvent.objects.bulk_create(rows)


def _products(providers):
    if Product.objects.exists():
        return
    rows = []
    n = 0
    for i, provider in enumerate(providers):
        for k in range(PRODUCTS_PER_PROVIDER):
            name, scenes, price_model, price_note = PRODUCT_TEMPLATES[(i + k * 4) % len(PRODUCT_TEMPLATES)]
            recognised = n % 5 in (0, 2) and provider.pool_status == PoolStatus.IN_POOL
            rows.append(
                Product(
                    provider=provider,
                    name=f"{provider.name[2:6]}{name}",
                    description=f"面向松江三大试点行业中小企业的{name}，部署周期 2–6 周。",
                    scenes=scenes,
                    price_model=price_model,
                    price_note=price_note,
                    deployments=(n * 7) % 40,
                    recognised_on=datetime.date(2025, 4, 15) + datetime.timedelta(days=30 * (n % 8))
                    if recognised
                    else None,
                )
            )
            n += 1
    Product.objects.bulk_create(rows)


def _ratings(unit_staff):
    """Every third assignment of an enterprise in the pilot list gets a rating from its unit's staff."""
    if ProviderRating.objects.exists():
        return
    rows = []
    assignments = (
        ProviderAssignment.objects.filter(enterprise__status=Status.ACTIVE)
        .select_related("enterprise")
        .order_by("enterprise_id", "provider_id")
    )
    for i, assignment in enumerate(assignments):
        if i % 3:
            continue
        # Providers differ (about 4.75, 3.75 and 2.75 on average), and every fourth rating is a point lower.
        score = 5 - assignment.provider_id % 3 - (1 if (i // 3) % 4 == 0 else 0)
        rows.append(
            ProviderRating(
                enterprise=assignment.enterprise,
                provider_id=assignment.provider_id,
                rated_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=(i * 5) % 270),
                score=score,
                comment="" if score >= 4 else "进度偏慢，需加强现场支持",
                rated_by=unit_staff.get(assignment.enterprise.unit_id),
            )
        )
    ProviderRating.objects.bulk_create(rows)


def seed_providers(*, district, unit_staff):
    """Fill in the demo providers' pool facts, their events, ~30 products and ratings (idempotent).

    ``unit_staff`` maps a unit's id to the demo staff member who records its ratings."""
    providers = list(Provider.objects.order_by("pk"))
    _fill_pool_facts(providers)
    _events(providers, district)
    _products(providers)
    _ratings(unit_staff)


def compute_demo_scorecards(*, district=None, period="2025"):
    """The 2025 scorecards, from whatever the demo holds now (call it last in ``seed_demo``)."""

    district = district or User.objects.filter(role=Role.DISTRICT_OFFICIAL).order_by("pk").first()
    return scorecard_compute(actor=district, period=period)
