"""Scorecards computed from the portal's records (diagnoses, deadlines, on-site evaluations, ratings),
with the numbers worked out by hand; recomputation, weights, the reply, the registry and the task."""

import datetime
from decimal import Decimal

import pytest

from core import registry
from core.errors import DomainError, PermissionDenied
from core.models import BackgroundJob
from core.roles import Role
from diagnostics.choices import AssessmentStatus, DeadlineKind, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Deadline, Diagnosis, IndexEdition
from diagnostics.scorecard_metrics import level_gained, reports_on_time, rounds_of_return
from providers import scorecard, services
from providers.models import Provider, ProviderScorecard
from providers.scorecard_metrics import satisfaction
from tests.factories import EnterpriseFactory
from tests.helpers import wait_until_finished

D = datetime.date


def _diagnosis(enterprise, provider, *, submitted_on, accepted_on=None, returns=0, current=False):
    return Diagnosis.objects.create(
        edition=IndexEdition.objects.get(is_current=True),
        enterprise=enterprise,
        provider=provider,
        status=DiagnosisStatus.ACCEPTED if accepted_on else DiagnosisStatus.SUBMITTED,
        is_current=current,
        submitted_on=submitted_on,
        last_submitted_on=submitted_on,
        accepted_on=accepted_on,
        return_count=returns,
    )


def _evaluation(enterprise, stage, level, on, method=Method.ONSITE):
    return Assessment.objects.create(
        edition=IndexEdition.objects.get(is_current=True),
        enterprise=enterprise,
        stage=stage,
        method=method,
        status=AssessmentStatus.SUBMITTED,
        evaluated_on=on,
        level=level,
    )


@pytest.fixture
def records(world, units):
    """Provider A's year 2025, by hand:

    * reports first submitted in 2025: e1 by its deadline, e2 after it, e3 without a deadline; e4's report
      was submitted in 2026 (out) → on time 2 of 3 = 66.67 points;
    * reports accepted in 2025: returned 0, 2 and 1 times → 1 round on average → 100 − 50 = 50 points;
    * level gained (current accepted reports e1, e2, e3): e1 baseline 1 → post 3 (+2); e2 latest baseline 0
      (an older baseline 2 is superseded; a self-assessment at 4 never counts) → post 1 (+1); e3's post is
      in 2026 (out) → (2 + 1) / 2 = 1.5 → 75 points;
    * satisfaction: 4 (the world's rating) and 5 → 4.5 → 90 points.
    Total: (25 × 66.67 + 15 × 50 + 25 × 75 + 15 × 90) / 80 = 5641.75 / 80 = 70.521875 → 70.52.

    Provider B has one rating (2) and nothing else → satisfaction 40, the only metric with data → 40.00.
    """
    district, prov_a = world["district"], world["prov_a"]
    e1 = world["ours"]
    e2, e3, e4 = (EnterpriseFactory(unit=units["310117001"]) for _ in range(3))
    for enterprise in (e2, e3, e4):
        services.provider_assign(actor=district, enterprise=enterprise, provider=prov_a, assigned_on=D(2025, 1, 5))
    Deadline.objects.create(enterprise=e1, kind=DeadlineKind.DIAGNOSIS, due_on=D(2025, 3, 31))
    Deadline.objects.create(enterprise=e2, kind=DeadlineKind.DIAGNOSIS, due_on=D(2025, 4, 30))
    Deadline.objects.create(
        enterprise=e3, kind=DeadlineKind.TRANSFORMATION, due_on=D(2025, 1, 1)
    )  # not a diagnosis one
    _diagnosis(e1, prov_a, submitted_on=D(2025, 3, 31), accepted_on=D(2025, 4, 1), returns=0, current=True)
    _diagnosis(e2, prov_a, submitted_on=D(2025, 5, 10), accepted_on=D(2025, 6, 1), returns=2, current=True)
    _diagnosis(e3, prov_a, submitted_on=D(2025, 6, 1), accepted_on=D(2025, 7, 1), returns=1, current=True)
    _diagnosis(e4, prov_a, submitted_on=D(2026, 1, 5))
    _evaluation(e1, Stage.BASELINE, 1, D(2025, 2, 1))
    _evaluation(e1, Stage.POST, 3, D(2025, 11, 1))
    _evaluation(e2, Stage.BASELINE, 2, D(2024, 12, 1))
    _evaluation(e2, Stage.BASELINE, 0, D(2025, 2, 1))
    _evaluation(e2, Stage.POST, 1, D(2025, 10, 1))
    _evaluation(e2, Stage.POST, 4, D(2025, 12, 1), method=Method.SELF)
    _evaluation(e3, Stage.BASELINE, 1, D(2025, 2, 1))
    _evaluation(e3, Stage.POST, 2, D(2026, 2, 1))
    services.rating_create(actor=district, enterprise=e2, provider=prov_a, score=5, rated_on=D(2025, 9, 9))
    # Outside the period: not counted.
    services.rating_create(actor=district, enterprise=e3, provider=prov_a, score=1, rated_on=D(2026, 1, 9))
    return {"e1": e1, "e2": e2, "e3": e3, "e4": e4}


START, END = D(2024, 10, 1), D(2025, 12, 31)


def test_each_metric_answers_for_all_providers_in_one_query(records, world, django_assert_num_queries):
    providers = Provider.objects.all()
    with django_assert_num_queries(1):
        on_time = reports_on_time(providers, START, END)
    with django_assert_num_queries(1):
        returns = rounds_of_return(providers, START, END)
    with django_assert_num_queries(2):
        gained = level_gained(providers, START, END)
    with django_assert_num_queries(1):
        rated = satisfaction(providers, START, END)
    a, b = world["prov_a"].pk, world["prov_b"].pk
    assert on_time[a][1] == {"submitted": 3, "on_time": 2, "without_deadline": 1}
    assert returns[a] == (Decimal(1), {"accepted": 3, "returns": 3})
    assert gained[a] == (Decimal("1.5"), {"enterprises": 2, "levels_gained": 3})
    assert rated[a][0] == Decimal("4.5") and rated[b][0] == Decimal(2)
    assert b not in on_time and b not in returns and b not in gained


def test_the_cards_of_2025_by_hand(records, world):
    cards = services.scorecard_compute(actor=world["district"], period="2025")
    assert len(cards) == Provider.objects.count()
    card_a = ProviderScorecard.objects.get(provider=world["prov_a"], period="2025")
    assert (card_a.starts_on, card_a.ends_on) == (START, END)
    points = {code: entry["points"] for code, entry in card_a.metrics.items() if entry["points"] is not None}
    # (first-try acceptance, when the projects app registers it, has no data here: no project.)
    assert points == {"on_time": 66.67, "returns": 50.0, "level_gain": 75.0, "satisfaction": 90.0}
    assert card_a.metrics["on_time"]["value"] == 66.67
    assert card_a.total == Decimal("70.52")
    assert {k: card_a.weights[k] for k in points} == {
        "on_time": 25,
        "returns": 15,
        "level_gain": 25,
        "satisfaction": 15,
    }
    card_b = ProviderScorecard.objects.get(provider=world["prov_b"], period="2025")
    assert card_b.metrics["on_time"]["value"] is None
    assert card_b.total == Decimal("40.00")  # satisfaction alone carries the whole weight


def test_a_half_year_period_counts_only_its_records(records, world):
    services.scorecard_compute(actor=world["district"], period="2025H2")
    card = ProviderScorecard.objects.get(provider=world["prov_a"], period="2025H2")
    # H2: submitted — none (Mar, May, Jun are H1); accepted — e3 (1 return); gained — e1 (+2, post Nov)
    # and e2 (+1, post Oct); ratings — 5 (Sep).
    assert card.metrics["on_time"]["value"] is None
    assert card.metrics["returns"]["value"] == 1.0
    assert card.metrics["level_gain"]["value"] == 1.5
    assert card.metrics["satisfaction"]["value"] == 5.0
    # (15 × 50 + 25 × 75 + 15 × 100) / 55 = 4125 / 55 = 75.00
    assert card.total == Decimal("75.00")


def test_recomputing_keeps_the_reply_and_applies_new_weights(records, world, users):
    services.scorecard_compute(actor=world["district"], period="2025")
    card = ProviderScorecard.objects.get(provider=world["prov_a"], period="2025")
    services.scorecard_reply(actor=users[Role.PROVIDER_USER], scorecard=card, reply="第二季度起已增派驻场工程师。")
    services.scorecard_weights_set(
        actor=world["district"],
        weights={**{m.code: 0 for m in scorecard.scorecard_metrics()}, "level_gain": 1, "satisfaction": 1},
    )
    services.scorecard_compute(actor=world["district"], period="2025")
    card.refresh_from_db()
    assert card.reply == "第二季度起已增派驻场工程师。"
    assert card.total == Decimal("82.50")  # (75 + 90) / 2
    assert card.history.count() >= 3  # created, replied, recomputed


def test_weights_are_validated(world, users):
    with pytest.raises(PermissionDenied):
        services.scorecard_weights_set(actor=users[Role.FINANCE_OFFICER], weights={"on_time": 10})
    with pytest.raises(DomainError) as unknown:
        services.scorecard_weights_set(actor=world["district"], weights={"nonsense": 10})
    assert unknown.value.code == "unknown_metric"
    with pytest.raises(DomainError) as negative:
        services.scorecard_weights_set(actor=world["district"], weights={"on_time": -1})
    assert negative.value.field == "on_time"
    with pytest.raises(DomainError) as none:
        services.scorecard_weights_set(
            actor=world["district"], weights={m.code: 0 for m in scorecard.scorecard_metrics()}
        )
    assert none.value.code == "no_weight"


def test_only_the_district_computes_and_only_the_provider_replies(world, users):
    for role in (Role.FINANCE_OFFICER, Role.AUDITOR, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR):
        with pytest.raises(PermissionDenied):
            services.scorecard_compute(actor=users[role], period="2025")
    services.scorecard_compute(actor=world["district"], period="2025")
    card_b = ProviderScorecard.objects.get(provider=world["prov_b"], period="2025")
    with pytest.raises(PermissionDenied):
        services.scorecard_reply(actor=users[Role.PROVIDER_USER], scorecard=card_b, reply="不是我们的")
    with pytest.raises(DomainError) as empty:
        services.scorecard_reply(actor=world["user_b"], scorecard=card_b, reply="   ")
    assert empty.value.code == "reply_required"


def test_a_period_not_yet_begun_is_refused(world):
    with pytest.raises(DomainError) as caught:
        services.scorecard_compute(actor=world["district"], period=str(datetime.date.today().year + 2))
    assert caught.value.code == "period_not_started"


@pytest.fixture
def first_try_metric():
    """A metric another app registers (first-try acceptance), with no change to providers."""

    def compute(providers, start, end):
        return {p.pk: (Decimal(50), {"passed_first_time": 1, "accepted": 2}) for p in providers if "甲" in p.name}

    registered = registry.scorecard_metrics.get("first_try_acceptance")
    registry.scorecard_metrics.register(
        "first_try_acceptance",
        scorecard.ScorecardMetric("first_try_acceptance", "Acceptance passed at first try", compute),
    )
    yield
    registry.scorecard_metrics.remove("first_try_acceptance")
    if registered is not None:  # the funding app's own registration, put back
        registry.scorecard_metrics.register("first_try_acceptance", registered)


def test_a_metric_registered_later_takes_its_default_weight(records, world, first_try_metric):
    services.scorecard_compute(actor=world["district"], period="2025")
    card = ProviderScorecard.objects.get(provider=world["prov_a"], period="2025")
    assert card.weights["first_try_acceptance"] == 20
    assert card.metrics["first_try_acceptance"]["points"] == 50.0
    # (1666.75 + 750 + 20 × 50 + 1875 + 1350) / 100 = 6641.75 / 100 = 66.4175 → 66.42
    assert card.total == Decimal("66.42")


@pytest.mark.django_db(transaction=True)
def test_the_recompute_button_runs_on_a_real_worker(celery_worker, api, users):
    from tests.factories import ProviderFactory

    ProviderFactory.create_batch(2)
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/scorecards/compute/", {"period": "2025h1"}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["period"] == "2025H1"
    job = BackgroundJob.objects.get(pk=response.json()["job"])
    wait_until_finished(job)
    assert job.status == BackgroundJob.Status.DONE, job.error
    assert job.result == {"period": "2025H1", "cards": Provider.objects.count()}
    assert ProviderScorecard.objects.filter(period="2025H1").count() == Provider.objects.count()
