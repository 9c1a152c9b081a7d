"""Fixtures of the diagnostics tests: the diagnosis-report tests' ``world`` and the assessment tests'
``assessment_world``."""

import datetime

import pytest

from core.roles import Role
from providers.models import EvaluatorAssignment, Product, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

from .assessment_helpers import make_world


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


@pytest.fixture
def assessment_world(users, units, make_user):
    return make_world(users, units, make_user)
