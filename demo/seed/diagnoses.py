"""Demo diagnosis reports and deadlines for ``seed_demo`` (deterministic; run once).

Written through the real services, with past dates, so every report has its transitions, snapshots
and history exactly as if people had entered them: drafts, submitted reports waiting for review,
reports returned once and resubmitted, returned ones waiting for revision, accepted ones, and two
enterprises whose first accepted report was superseded by a later one. Deadlines: a diagnosis
deadline for the first pilot enterprises (those without an accepted report are overdue), evaluation
deadlines (some overdue, some ahead) and the pilot's transformation deadline for a batch.
"""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from accounts.models import User
from core.roles import Role
from diagnostics.models import Deadline, Diagnosis
from diagnostics.services.diagnoses import (
    deadline_set_many,
    diagnosis_accept,
    diagnosis_attach_signed_pdf,
    diagnosis_create,
    diagnosis_return,
    diagnosis_submit,
    diagnosis_update,
)
from enterprises.choices import Status as EnterpriseStatus
from enterprises.models import Enterprise
from providers.models import Product, ProviderAssignment

SEED = "songjiang-diagnoses-demo"
SCENES = [
    "product_design",
    "process_design",
    "marketing",
    "after_sales",
    "planning_scheduling",
    "production_control",
    "quality_management",
    "equipment_management",
    "safety",
    "energy_management",
    "procurement",
    "warehousing_logistics",
    "finance",
    "human_resources",
    "collaboration",
    "decision_support",
]
PAINS = {
    "production_control": "生产进度靠人工统计，插单后排产混乱，在制品不透明。",
    "quality_management": "质检数据纸质记录，质量问题难以追溯到批次和工序。",
    "equipment_management": "设备点检保养靠纸质台账，停机原因无记录。",
    "procurement": "采购需求靠经验估算，供应商交期无跟踪。",
    "warehousing_logistics": "库存账实不符，出入库靠手工单据。",
    "finance": "业财数据分离，成本核算滞后一个月。",
    "energy_management": "能耗只看月度电费，无法按产线计量。",
    "marketing": "客户信息分散在销售个人手中。",
    "product_design": "图纸版本管理混乱，设计变更传递慢。",
    "safety": "安全巡检记录不全，隐患整改无闭环。",
    "planning_scheduling": "计划排程依赖Excel，交期承诺不准。",
    "after_sales": "售后服务记录分散，备件需求无法预测。",
}
RETURN_REASONS = [
    "目标场景的痛点描述过于笼统，请结合现场调研补充。",
    "拟实施内容与目标场景不对应，请调整。",
    "缺少企业盖章的签字版报告。",
    "软件类投入占比偏低，请说明原因或调整方案。",
]
PDF = (
    b"%PDF-1.4\n% demo signed diagnosis report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def _answers(rnd, strength):
    """Deterministic answers of a given strength (0 weak … 3 strong)."""
    pick = lambda n, k: sorted(rnd.sample(range(1, n + 1), min(n, k)))  # noqa: E731
    return {
        "network": pick(4, 1 + strength),
        "equipment_digitised_rate": float(rnd.choice([8, 18, 35, 55, 70][strength : strength + 2])),
        "equipment_networked_rate": float(rnd.choice([5, 15, 30, 50, 65][strength : strength + 2])),
        "data_collection": pick(14, 2 + strength * 3),
        "information_systems": min(4, 1 + strength + rnd.randint(0, 1)),
        "network_security": pick(4, 1 + strength),
        "data_security": pick(4, strength),
        "planning": min(5, 1 + strength + rnd.randint(0, 1)),
        "mechanisms": pick(4, 1 + strength),
        "talent": pick(5, 1 + strength),
        "funding_ratio": float(rnd.choice([4, 12, 25, 45][strength : strength + 1] or [4])),
        "energy": rnd.choice(["same", "better"]),
        "quality": rnd.choice(["same", "better"]),
        "revenue_per_employee": rnd.choice(["worse", "same", "better"]),
        "cost_ratio": rnd.choice(["same", "better"]),
    }


def _scenes(rnd, strength):
    levels = {}
    for code in SCENES:
        base = strength if rnd.random() < 0.7 else max(0, strength - 1)
        levels[code] = max(0, min(4, base + rnd.choice([0, 0, 1])))
    return levels


def _content(rnd, enterprise, products, day):
    strength = rnd.choice([0, 1, 1, 2, 2, 3])
    answers, scenes = _answers(rnd, strength), _scenes(rnd, strength)
    constraint = [c for c in PAINS if c not in ("after_sales", "planning_scheduling")]
    targets = rnd.sample(constraint, 2) + rnd.sample(["after_sales", "planning_scheduling"], 1)
    cost = rnd.randint(30, 160) * 10000
    return {
        "answers": answers,
        "scenes": scenes,
        "scene_notes": {targets[0]: "现场查看了相关台账和系统。"},
        "summary": f"{enterprise.name}数字化基础{['薄弱', '一般', '较好', '良好'][strength]}，主要短板集中在生产执行与供应链环节。",
        "pain_points": {code: PAINS[code] for code in targets},
        "target_level": min(4, max(2, strength + 1)),
        "target_scenes": targets,
        "proposed_work": "部署轻量化MES与设备联网采集，打通ERP与仓储数据，建立质量追溯。",
        "proposed_cost": cost,
        "software_cost": int(cost * rnd.choice([0.45, 0.6, 0.7])),
        "recommended_products": [p.pk for p in products[:2]],
        "diagnosed_on": day,
    }, strength


def seed_diagnoses(*, district):
    """Seed the demo reports and deadlines (nothing when reports exist already)."""
    if Diagnosis.objects.exists():
        return
    rnd = random.Random(SEED)
    enterprises = list(Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE).order_by("pk")[:160])
    assignments = {
        a.enterprise_id: a.provider
        for a in ProviderAssignment.objects.filter(enterprise__in=enterprises).select_related("provider").order_by("pk")
    }

    provider_users = {
        u.provider_id: u for u in User.objects.filter(role=Role.PROVIDER_USER, is_active=True).order_by("pk")
    }
    start = datetime.date(2024, 11, 4)
    for i, enterprise in enumerate(enterprises[:72]):
        provider = assignments.get(enterprise.pk)
        actor = provider_users.get(provider.pk) if provider else None
        if actor is None:
            continue
        products = list(
            Product.objects.filter(Q(recognised_on__isnull=False) | Q(provider=provider)).order_by("pk")[:3]
        )
        day = start + datetime.timedelta(days=(i * 5) % 300)
        opened = diagnosis_create(actor=actor, enterprise=enterprise, provider=provider, date=day)
        content, _strength = _content(rnd, enterprise, products, day + datetime.timedelta(days=3))
        diagnosis_update(actor=actor, diagnosis=opened, **content)
        scenario = i % 8
        if scenario == 7:  # a draft, still being written
            continue
        if scenario != 6:
            diagnosis_attach_signed_pdf(
                actor=actor, diagnosis=opened, upload=SimpleUploadedFile(f"诊断报告-{enterprise.pk}.pdf", PDF)
            )
        submitted = day + datetime.timedelta(days=10)
        diagnosis_submit(actor=actor, diagnosis=opened, date=submitted)
        if scenario == 5:  # submitted, waiting for the district
            continue
        if scenario in (3, 4):  # returned once…
            diagnosis_return(
                actor=district,
                diagnosis=opened,
                reason=RETURN_REASONS[i % len(RETURN_REASONS)],
                date=submitted + datetime.timedelta(days=5),
            )
            if scenario == 4:  # …and waiting for revision
                continue
            diagnosis_update(actor=actor, diagnosis=opened, summary=content["summary"] + "（已按区经委意见修改）")
            diagnosis_submit(actor=actor, diagnosis=opened, date=submitted + datetime.timedelta(days=12))
            if i % 16 == 3:  # resubmitted, waiting again
                continue
        diagnosis_accept(actor=district, diagnosis=opened, date=submitted + datetime.timedelta(days=20))

    # Two enterprises re-diagnosed: the later accepted report supersedes the first.
    for enterprise in enterprises[:16:8]:
        provider = assignments.get(enterprise.pk)
        actor = provider_users.get(provider.pk) if provider else None
        first = Diagnosis.objects.filter(enterprise=enterprise, is_current=True).first()
        if actor is None or first is None:
            continue
        later = diagnosis_create(actor=actor, enterprise=enterprise, provider=provider, date=datetime.date(2025, 9, 1))
        content, _strength = _content(rnd, enterprise, [], datetime.date(2025, 9, 3))
        diagnosis_update(actor=actor, diagnosis=later, **content)
        diagnosis_submit(actor=actor, diagnosis=later, date=datetime.date(2025, 9, 10))
        diagnosis_accept(actor=district, diagnosis=later, date=datetime.date(2025, 9, 20))

    if not Deadline.objects.exists():
        # Diagnosis reports for the first batch were due at the end of June 2025: those without an
        # accepted report are overdue.
        for part, kind, due_on, note in (
            (slice(None, 96), "diagnosis", datetime.date(2025, 6, 30), "第一批试点企业诊断报告"),
            (slice(None, 40), "evaluation", datetime.date(2025, 10, 31), "改造前现场评定"),
            (slice(40, 96), "evaluation", datetime.date(2027, 3, 31), "改造前现场评定（第二轮）"),
            (slice(None, 24), "transformation", datetime.date(2026, 10, 31), "试点期末完成改造"),
        ):
            deadline_set_many(actor=district, enterprises=enterprises[part], kind=kind, due_on=due_on, note=note)
