"""The scorecard's arithmetic, computed by hand: points per metric, the weighted total, rounding,
the redistribution of a metric without data, and the periods."""

import datetime
from decimal import Decimal

import pytest

from core.errors import DomainError
from providers.scorecard import (
    ScorecardMetric,
    level_gain_points,
    period_bounds,
    rate_points,
    returns_points,
    satisfaction_points,
    score_card,
)

WEIGHTS = {"on_time": 25, "returns": 15, "first_try_acceptance": 20, "level_gain": 25, "satisfaction": 15}


def _metrics():
    def none(providers, start, end):
        return {}

    return [
        ScorecardMetric("on_time", "on time", none, True, rate_points),
        ScorecardMetric("returns", "returns", none, False, returns_points),
        ScorecardMetric("first_try_acceptance", "first try", none, True, None),
        ScorecardMetric("level_gain", "level gain", none, True, level_gain_points),
        ScorecardMetric("satisfaction", "satisfaction", none, True, satisfaction_points),
    ]


@pytest.mark.parametrize(
    ("convert", "value", "points"),
    [
        (rate_points, Decimal("66.6666"), Decimal("66.6666")),
        (rate_points, Decimal("120"), Decimal("100")),
        (returns_points, Decimal("0"), Decimal("100")),
        (returns_points, Decimal("0.5"), Decimal("75.0")),
        (returns_points, Decimal("2.5"), Decimal("0")),
        (level_gain_points, Decimal("1.5"), Decimal("75.0")),
        (level_gain_points, Decimal("3"), Decimal("100")),
        (level_gain_points, Decimal("-1"), Decimal("0")),
        (satisfaction_points, Decimal("4.2"), Decimal("84")),
        (satisfaction_points, Decimal("1"), Decimal("20")),
    ],
)
def test_each_metric_becomes_0_to_100_points(convert, value, points):
    assert convert(value) == points


def test_the_total_is_the_weighted_mean_of_the_points_with_data():
    raw = {
        "on_time": (Decimal(75), {"on_time": 3, "submitted": 4}),
        "returns": (Decimal("0.5"), {}),
        "level_gain": (Decimal("1.5"), {}),
        "satisfaction": (Decimal("4.2"), {}),
        # first-try acceptance: no data → its weight 20 is spread over the other four.
    }
    card, total = score_card(raw, WEIGHTS, _metrics())
    # (25×75 + 15×75 + 25×75 + 15×84) / (25 + 15 + 25 + 15) = 6135 / 80 = 76.6875 → 76.69
    assert total == Decimal("76.69")
    assert card["on_time"] == {"value": 75.0, "points": 75.0, "detail": {"on_time": 3, "submitted": 4}, "weight": 25.0}
    assert card["first_try_acceptance"]["value"] is None and card["first_try_acceptance"]["points"] is None
    assert card["satisfaction"]["points"] == 84.0


def test_points_are_rounded_half_up_before_the_total():
    raw = {"satisfaction": (Decimal(11) / Decimal(3), {}), "on_time": (Decimal(2) * 100 / Decimal(3), {})}
    card, total = score_card(raw, WEIGHTS, _metrics())
    assert card["satisfaction"]["points"] == 73.33  # 3.6667 / 5 × 100 = 73.333…
    assert card["on_time"]["points"] == 66.67  # 66.666…
    # (25 × 66.67 + 15 × 73.33) / 40 = (1666.75 + 1099.95) / 40 = 69.1675 → 69.17
    assert total == Decimal("69.17")


def test_a_provider_with_no_data_has_no_total():
    card, total = score_card({}, WEIGHTS, _metrics())
    assert total is None
    assert all(entry["value"] is None for entry in card.values())


def test_a_metric_weighted_zero_does_not_count():
    raw = {"on_time": (Decimal(100), {}), "satisfaction": (Decimal(1), {})}
    card, total = score_card(raw, {**WEIGHTS, "satisfaction": 0}, _metrics())
    assert total == Decimal("100.00")
    assert card["satisfaction"]["points"] == 20.0  # shown, but with weight 0


def test_only_one_metric_with_data_takes_the_whole_weight():
    card, total = score_card({"returns": (Decimal(1), {})}, WEIGHTS, _metrics())
    assert total == Decimal("50.00")


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2025", datetime.date(2024, 10, 1), datetime.date(2025, 12, 31)),
        ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        ("2024", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
        ("2025H1", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
        ("2025h2", datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
        ("2026Q1", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("2024Q4", datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_period_codes(code, start, end):
    assert period_bounds(code) == (start, end)


@pytest.mark.parametrize("code", ["", "25", "2025H3", "2025Q5", "2025-01", "2024Q3", "2023"])
def test_bad_or_pre_pilot_periods_are_refused(code):
    with pytest.raises(DomainError) as caught:
        period_bounds(code)
    assert caught.value.field == "period"
