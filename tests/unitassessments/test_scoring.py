"""The assessment's scoring: each part measured from the records, the weighted mean over the measured parts, the
ranking with shared ranks, the parts not yet measured (weight 0), a measure registered by another app through the
registry, and a weight change changing the ranking and kept in the history."""

import datetime
from decimal import Decimal

import pytest

from core import registry
from core.errors import DomainError, PermissionDenied
from core.roles import Role
from dataquality.measures import data_quality
from diagnostics.choices import DeadlineKind
from diagnostics.models import Deadline
from unitassessments.choices import Part
from unitassessments.models import AssessmentPart
from unitassessments.selectors import assessment_get, assessment_list, compute, parse_year, rank, weight_history
from unitassessments.services import weights_set
from unitreports.measures import unit_reports

from .conftest import U1, U2

D = datetime.date


def by_unit(rows):
    return {row.unit.code: row for row in rows}


def part(row, key):
    return next(p for p in row.parts if p.key == key)


def test_the_template_starts_with_the_five_parts_and_their_weights(db):
    weights = dict(AssessmentPart.objects.values_list("key", "weight"))
    assert weights == {
        "indicator_completion": 40,
        "unit_reports": 20,
        "data_quality": 15,
        "overdue_items": 15,
        "withdrawals": 10,
    }


def test_this_app_registers_its_own_three_measures():
    for key in (Part.INDICATOR_COMPLETION, Part.OVERDUE_ITEMS, Part.WITHDRAWALS):
        assert callable(registry.unit_measures.get(key))


def test_the_unit_reports_and_data_quality_apps_measure_their_parts(world):
    """Without the stand-ins: the real measures of unitreports and dataquality (registered in their apps), each
    a score for every unit, so no part of the template is left unmeasured."""
    registry.unit_measures.register("unit_reports", unit_reports)
    registry.unit_measures.register("data_quality", data_quality)
    rows = by_unit(compute(2025))
    for key in ("unit_reports", "data_quality"):
        assert part(rows[U1], key).measured, key
    # 岳阳 has 2 enterprises in the programme; the factory leaves facts out, so its quality score is below 100.
    assert Decimal(0) <= part(rows[U1], "data_quality").score <= Decimal(100)
    assert part(rows[U1], "unit_reports").score == Decimal("100.00")  # no round is due in this world


def test_each_part_is_measured_and_the_score_is_normalised_over_the_measured_parts(world):
    rows = by_unit(compute(2025))
    assert len(rows) == 18
    u1, u2 = rows[U1], rows[U2]
    # 岳阳: 2 of 2 cloud adoptions (100), nothing overdue (100), 1 of 3 listed withdrawn without replacement.
    assert part(u1, "indicator_completion").score == Decimal("100.00")
    assert part(u1, "withdrawals").score == Decimal("66.67")
    assert part(u1, "overdue_items").score == Decimal("100")
    # unit reports and data quality are taken out of the registry here (conftest): not measured, weight 0.
    for key in ("unit_reports", "data_quality"):
        assert not part(u1, key).measured and part(u1, key).score is None
    # (40 × 100 + 15 × 100 + 10 × 66.67) ÷ 65 = 94.872…
    assert u1.measured_weight == Decimal(65)
    assert u1.score == Decimal("94.87")
    assert part(u1, "indicator_completion").effective_weight == Decimal("0.6154")
    # 永丰: 1 of 4 (25), others 100: (40 × 25 + 15 × 100 + 10 × 100) ÷ 65 = 53.846…
    assert part(u2, "indicator_completion").score == Decimal("25.00")
    assert u2.score == Decimal("53.85")
    assert "5: 1/4 (25.0%)" in part(u2, "indicator_completion").explanation
    assert part(u2, "indicator_completion").link == "/reports/indicators/?period=2025&unit=310117002"
    # A unit without targets is not measured on completion: (15 × 100 + 10 × 100) ÷ 25.
    other = rows["310117003"]
    assert not part(other, "indicator_completion").measured and other.score == Decimal("100.00")


def test_ranks_put_the_highest_first_and_equal_scores_share_a_rank(world):
    rows = compute(2025)
    assert [r.rank for r in rows] == [1] * 16 + [17, 18]
    assert [r.unit.code for r in rows[-2:]] == [U1, U2]


def test_rank_skips_after_a_tie():
    class Row:
        def __init__(self, code, score):
            self.unit = type("U", (), {"code": code})()
            self.score = Decimal(score)

    ranked = rank([Row("a", "80"), Row("b", "90"), Row("c", "80"), Row("d", "70")])
    assert [(r.unit.code, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("c", 2), ("d", 4)]


def test_an_overdue_deadline_lowers_the_overdue_part(world, users):
    enterprise = world["enterprises"][2]
    Deadline.objects.create(
        enterprise=enterprise, kind=DeadlineKind.TRANSFORMATION, due_on=D(2025, 6, 1), set_by=users[Role.ADMIN]
    )
    u2 = by_unit(compute(2025))[U2]
    overdue = part(u2, "overdue_items")
    assert overdue.score == Decimal("0")
    assert "1" in overdue.explanation and overdue.link == "/diagnoses/deadlines/?unit=310117002&overdue=on"
    # (40 × 25 + 15 × 0 + 10 × 100) ÷ 65 = 30.769…
    assert u2.score == Decimal("30.77")
    # A deadline of 2026 does not count in 2025.
    assert part(by_unit(compute(2026))[U2], "overdue_items").score == Decimal("100")


def test_a_withdrawal_with_a_replacement_costs_nothing(world):
    gone = world["withdrawn"]
    gone.replacement = world["enterprises"][0]
    gone.save()
    assert part(by_unit(compute(2025))[U1], "withdrawals").score == Decimal("100")


def test_a_measure_registered_for_data_quality_is_wired_in(world, fake_data_quality):
    rows = by_unit(compute(2025))
    assert fake_data_quality == [2025]  # called once for the 18 units
    quality = part(rows[U1], "data_quality")
    assert quality.measured and quality.score == Decimal("50")
    assert quality.explanation == "half of the records complete" and quality.link == "/enterprises/?unit=310117001"
    # 岳阳 now has 80 measured points: (40 × 100 + 15 × 50 + 15 × 100 + 10 × 66.67) ÷ 80 = 86.458…
    assert rows[U1].measured_weight == Decimal(80)
    assert rows[U1].score == Decimal("86.46")
    # A unit the measure leaves out stays not measured on that part.
    assert not part(rows[U2], "data_quality").measured and rows[U2].score == Decimal("53.85")


def test_a_unit_measure_refuses_a_score_outside_0_to_100():
    for bad in (Decimal("-1"), Decimal("100.01"), Decimal("NaN"), 50):
        with pytest.raises(ValueError):
            registry.UnitMeasure(score=bad, explanation="x")


def test_changing_a_weight_changes_the_ranking_and_is_in_the_history(world, users):
    before = by_unit(compute(2025))
    assert before[U1].rank < before[U2].rank
    district = users[Role.DISTRICT_OFFICIAL]
    changed = weights_set(
        actor=district, values={"indicator_completion": "0", "withdrawals": "50"}, reason="重视动态管理"
    )
    assert changed == 2
    after = by_unit(compute(2025))
    # 岳阳: (15 × 100 + 50 × 66.67) ÷ 65 = 74.36; 永丰: 100.
    assert after[U1].score == Decimal("74.36") and after[U2].score == Decimal("100.00")
    assert after[U2].rank < after[U1].rank
    history = weight_history()
    moves = {(c["key"], c["old"], c["new"], c["who"].username, c["reason"]) for c in history[:2]}
    assert moves == {
        ("indicator_completion", Decimal(40), Decimal(0), district.username, "重视动态管理"),
        ("withdrawals", Decimal(10), Decimal(50), district.username, "重视动态管理"),
    }
    # Unchanged weights write nothing.
    assert weights_set(actor=district, values={"withdrawals": "50.00"}) == 0


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"withdrawals": "-1"}, "invalid_weight"),
        ({"withdrawals": "101"}, "invalid_weight"),
        ({"withdrawals": "abc"}, "invalid_weight"),
        ({"withdrawals": "1.234"}, "invalid_weight"),
        ({"withdrawals": "NaN"}, "invalid_weight"),
        ({"nope": "1"}, "unknown_part"),
        (dict.fromkeys(Part.values, "0"), "no_weight"),
    ],
)
def test_refused_weights_change_nothing(users, values, code):
    with pytest.raises(DomainError) as caught:
        weights_set(actor=users[Role.ADMIN], values={"overdue_items": "30", **values})
    assert caught.value.code == code
    assert AssessmentPart.objects.get(key="overdue_items").weight == 15


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.UNIT_STAFF, Role.FINANCE_OFFICER, Role.PROVIDER_USER])
def test_only_district_officials_and_admins_edit_weights(users, role):
    with pytest.raises(PermissionDenied):
        weights_set(actor=users[role], values={"withdrawals": "20"})


def test_who_reads_which_rows(world, users):
    assert len(assessment_list(viewer=users[Role.AUDITOR], year="2025")) == 18
    own = assessment_list(viewer=users[Role.UNIT_STAFF], year="2025")
    assert [r.unit.code for r in own] == [U1] and own[0].rank == 17
    for role in (Role.FINANCE_OFFICER, Role.PROVIDER_USER, Role.EVALUATOR):
        with pytest.raises(PermissionDenied):
            assessment_list(viewer=users[role], year="2025")
    with pytest.raises(PermissionDenied):
        assessment_get(viewer=users[Role.UNIT_STAFF], year=2025, unit=world["u2"])


@pytest.mark.parametrize("bad", [None, "", "2024", "total", "２０２５", "2025.0", "x" * 500])
def test_a_bad_year_is_refused(bad):
    with pytest.raises(DomainError) as caught:
        parse_year(bad)
    assert caught.value.field == "year"
