"""A small world for the providers tests: two providers, two evaluation bodies, enterprises in two
units, assignments, products and ratings — all written through the services, as the district would."""

import datetime

import pytest

from core.roles import Role
from providers import services
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory


@pytest.fixture
def world(users, units, make_user):
    district = users[Role.DISTRICT_OFFICIAL]
    prov_a = users[Role.PROVIDER_USER].provider
    prov_a.name = "甲数字科技有限公司"
    prov_a.save()
    prov_b = ProviderFactory(name="乙智造服务有限公司")
    user_b = make_user(Role.PROVIDER_USER, username="provider_b", provider=prov_b)
    body_a = users[Role.EVALUATOR].evaluation_body
    body_b = EvaluationBodyFactory(name="丙评测中心")
    ours = EnterpriseFactory(unit=units["310117001"], name="上海岳阳甲乙共同公司")
    theirs = EnterpriseFactory(unit=units["310117104"], name="上海车墩乙独家公司")
    unassigned = EnterpriseFactory(unit=units["310117001"], name="上海岳阳未分配公司")
    day = datetime.date(2025, 3, 1)
    a_ours = services.provider_assign(actor=district, enterprise=ours, provider=prov_a, assigned_on=day)
    b_ours = services.provider_assign(actor=district, enterprise=ours, provider=prov_b, assigned_on=day)
    b_theirs = services.provider_assign(actor=district, enterprise=theirs, provider=prov_b, assigned_on=day)
    ev_ours = services.evaluator_assign(actor=district, enterprise=ours, evaluation_body=body_a, assigned_on=day)
    ev_theirs = services.evaluator_assign(actor=district, enterprise=theirs, evaluation_body=body_b, assigned_on=day)
    a_draft = services.product_create(
        actor=users[Role.PROVIDER_USER], provider=prov_a, name="甲·设备云", scenes=["equipment_management"]
    )
    b_draft = services.product_create(actor=user_b, provider=prov_b, name="乙·草稿方案", scenes=["marketing"])
    b_recognised = services.product_create(
        actor=district,
        provider=prov_b,
        name="乙·轻量MES",
        recognised_on=datetime.date(2025, 5, 1),
        scenes=["production_control"],
    )
    rating_a = services.rating_create(
        actor=users[Role.UNIT_STAFF], enterprise=ours, provider=prov_a, score=4, rated_on=datetime.date(2025, 6, 1)
    )
    rating_b = services.rating_create(
        actor=district,
        enterprise=theirs,
        provider=prov_b,
        score=2,
        rated_on=datetime.date(2025, 6, 2),
        comment="响应慢",
    )
    return {
        "district": district,
        "prov_a": prov_a,
        "prov_b": prov_b,
        "user_b": user_b,
        "body_a": body_a,
        "body_b": body_b,
        "ours": ours,
        "theirs": theirs,
        "unassigned": unassigned,
        "a_ours": a_ours,
        "b_ours": b_ours,
        "b_theirs": b_theirs,
        "ev_ours": ev_ours,
        "ev_theirs": ev_theirs,
        "a_draft": a_draft,
        "b_draft": b_draft,
        "b_recognised": b_recognised,
        "rating_a": rating_a,
        "rating_b": rating_b,
    }
