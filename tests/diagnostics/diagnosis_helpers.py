"""Shared set-up of the diagnosis-report tests (imported by test_diagnos*.py, test_deadline*.py,
test_todo*.py; kept out of conftest.py, which other engineers share)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.roles import Role
from providers.models import EvaluatorAssignment, Product, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

#: The contract's example answers (docs/api.md "Score request and result"): every item answered.
FULL_ANSWERS = {
    "network": [1, 2],
    "equipment_digitised_rate": 35.0,
    "equipment_networked_rate": 12.5,
    "data_collection": [1, 2, 14],
    "information_systems": 2,
    "network_security": [1, 2, 3, 4],
    "data_security": [],
    "planning": 3,
    "mechanisms": [1],
    "talent": [1, 2],
    "funding_ratio": 5.0,
    "energy": "better",
    "quality": "same",
    "revenue_per_employee": "worse",
    "cost_ratio": "better",
}
SCENE_CODES = [
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
#: Every scene judged; two at level 2 and one at 3, the rest 0 (the contract example's level: 0).
ALL_SCENES = dict.fromkeys(SCENE_CODES, 0) | {"product_design": 2, "marketing": 3}

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def pdf_upload(name="signed.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_content():
    """Content that satisfies every checklist item except the signed PDF."""
    return {
        "answers": FULL_ANSWERS,
        "scenes": ALL_SCENES,
        "summary": "设备联网率低，数据采集不足。",
        "pain_points": {"production_control": "排产靠人工，插单频繁。", "after_sales": "售后记录分散。"},
        "target_level": 2,
        "target_scenes": ["after_sales", "production_control"],
        "proposed_work": "部署MES，打通设备数据采集。",
        "proposed_cost": "500000.00",
        "software_cost": "300000.00",
        "diagnosed_on": days(-3),
    }


@pytest.fixture
def world(users, units, make_user):
    """Two providers each with an assigned enterprise in different units, an evaluation body
    assigned to ours, products (one recognised, one our own, one someone else's unrecognised)."""
    provider = users[Role.PROVIDER_USER].provider
    other_provider = ProviderFactory(name="上海别家服务商有限公司")
    other_provider_user = make_user(Role.PROVIDER_USER, username="other_provider_user", provider=other_provider)
    ours = EnterpriseFactory(unit=units["310117001"], name="上海岳阳诊断公司")
    theirs = EnterpriseFactory(unit=units["310117104"], name="上海车墩诊断公司")
    unassigned = EnterpriseFactory(unit=units["310117001"], name="上海岳阳未分配公司")
    assigned_on = datetime.date(2024, 10, 15)
    ProviderAssignment.objects.create(enterprise=ours, provider=provider, assigned_on=assigned_on)
    ProviderAssignment.objects.create(enterprise=theirs, provider=other_provider, assigned_on=assigned_on)
    body = users[Role.EVALUATOR].evaluation_body
    EvaluatorAssignment.objects.create(enterprise=ours, evaluation_body=body, assigned_on=assigned_on)
    other_body = EvaluationBodyFactory()
    other_evaluator = make_user(Role.EVALUATOR, username="other_evaluator", evaluation_body=other_body)
    return {
        "provider": provider,
        "provider_user": users[Role.PROVIDER_USER],
        "other_provider": other_provider,
        "other_provider_user": other_provider_user,
        "ours": ours,
        "theirs": theirs,
        "unassigned": unassigned,
        "body": body,
        "other_evaluator": other_evaluator,
        "recognised": Product.objects.create(
            provider=other_provider, name="云MES轻量版", recognised_on=datetime.date(2025, 5, 1)
        ),
        "own_product": Product.objects.create(provider=provider, name="设备联网盒子"),
        "foreign_unrecognised": Product.objects.create(provider=other_provider, name="未入选的方案"),
    }
