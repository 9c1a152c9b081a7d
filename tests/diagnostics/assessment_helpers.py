"""Helpers of the assessment tests: the contract's answers and scenes, dates, and the world of two
enterprises with their evaluation bodies and providers (the ``assessment_world`` fixture of
tests/diagnostics/conftest.py)."""

import datetime

from django.utils import timezone

from core.roles import Role
from providers.models import EvaluatorAssignment, ProviderAssignment
from tests.factories import EnterpriseFactory, EvaluationBodyFactory

#: The contract's example request (docs/api.md): 43.675 points, level 0.
CONTRACT_ANSWERS = {
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
CONTRACT_SCENES = {"product_design": 2, "marketing": 3}

#: 100 points.
FULL_ANSWERS = {
    "network": [1, 2, 3, 4],
    "equipment_digitised_rate": 100,
    "equipment_networked_rate": 100,
    "data_collection": list(range(1, 15)),
    "information_systems": 4,
    "network_security": [1, 2, 3, 4],
    "data_security": [1, 2, 3, 4],
    "planning": 5,
    "mechanisms": [1, 2, 3, 4],
    "talent": [1, 2, 3, 4, 5],
    "funding_ratio": 100,
    "energy": "better",
    "quality": "better",
    "revenue_per_employee": "better",
    "cost_ratio": "better",
}
CONSTRAINT = [
    "product_design",
    "marketing",
    "production_control",
    "quality_management",
    "equipment_management",
    "safety",
    "energy_management",
    "procurement",
    "warehousing_logistics",
    "finance",
]
GUIDING = [
    "process_design",
    "after_sales",
    "planning_scheduling",
    "human_resources",
    "collaboration",
    "decision_support",
]


def scenes_for(level):
    """Scenes that satisfy every row up to ``level`` (all 16 scenes at that level)."""
    return dict.fromkeys(CONSTRAINT + GUIDING, level) if level else {}


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def make_world(users, units, make_user):
    """``ours``: an enterprise of the unit user's unit, assigned to the evaluator's body and the
    provider user's provider; ``theirs``: one of another unit, assigned to another body."""
    ours = EnterpriseFactory(unit=units["310117001"], name="上海岳阳评测甲有限公司")
    theirs = EnterpriseFactory(unit=units["310117102"], name="上海泗泾评测乙有限公司")
    evaluator = users[Role.EVALUATOR]
    other_body = EvaluationBodyFactory()
    other_evaluator = make_user(Role.EVALUATOR, username="other_evaluator", evaluation_body=other_body)
    EvaluatorAssignment.objects.create(
        enterprise=ours, evaluation_body=evaluator.evaluation_body, assigned_on=days(-90)
    )
    EvaluatorAssignment.objects.create(enterprise=theirs, evaluation_body=other_body, assigned_on=days(-90))
    provider_user = users[Role.PROVIDER_USER]
    ProviderAssignment.objects.create(enterprise=ours, provider=provider_user.provider, assigned_on=days(-90))
    return {
        "ours": ours,
        "theirs": theirs,
        "evaluator": evaluator,
        "body": evaluator.evaluation_body,
        "other_body": other_body,
        "other_evaluator": other_evaluator,
        "provider_user": provider_user,
    }
