"""The demo assessments: generated per target level, they genuinely score to it."""

import random

import pytest

from core.roles import Role
from demo.seed.assessments import answers_for_level, seed_assessments
from diagnostics.models import Assessment
from diagnostics.raw import derive
from diagnostics.scoring import index_spec, score
from diagnostics.selectors.index import current_edition
from providers.models import EvaluatorAssignment
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_generated_answers_score_to_their_target_level(level):
    spec = index_spec(current_edition())
    rnd = random.Random(level)
    for _ in range(5):
        answers, raw, scenes = answers_for_level(rnd, spec, level)
        derived, _details, errors = derive(raw)
        assert not errors and all(answers[k] == v for k, v in derived.items())
        assert score(spec, answers, scenes).level == level


def test_seed_assessments_is_deterministic_and_spreads_levels(users, units):
    evaluator = users[Role.EVALUATOR]
    for i in range(33):
        enterprise = EnterpriseFactory(unit=units["310117001"], name=f"上海演示评测{i:02d}有限公司")
        EvaluatorAssignment.objects.create(
            enterprise=enterprise, evaluation_body=evaluator.evaluation_body, assigned_on="2024-10-15"
        )
    seed_assessments(district=users[Role.DISTRICT_OFFICIAL])
    first = [
        (a.enterprise.name, a.stage, a.method, a.status, a.level, str(a.score))
        for a in Assessment.objects.order_by("pk")
    ]
    spec = index_spec(current_edition())
    for a in Assessment.objects.all():
        assert score(spec, a.answers, a.scenes).level == a.level  # the stored level is the engine's
    onsite = Assessment.objects.authoritative()
    assert {a.level for a in onsite} == {0, 1, 2, 3, 4}
    assert onsite.filter(stage="baseline").count() > onsite.filter(stage="post").count() > 0
    assert Assessment.objects.filter(status="draft").exists()
    assert all(a.created_by == evaluator for a in onsite)
    seed_assessments(district=users[Role.DISTRICT_OFFICIAL])  # a second run adds nothing
    assert Assessment.objects.count() == len(first)
    Assessment.objects.all().delete()
    seed_assessments(district=users[Role.DISTRICT_OFFICIAL])
    again = [
        (a.enterprise.name, a.stage, a.method, a.status, a.level, str(a.score))
        for a in Assessment.objects.order_by("pk")
    ]
    assert again == first
