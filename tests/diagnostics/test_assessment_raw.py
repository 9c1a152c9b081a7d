"""Raw numbers → answers (diagnostics/raw.py): percentages, averages, comparisons and impossible numbers."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from diagnostics.raw import compare, derive, normalise_raw, percentage


def answers(raw):
    result, _details, errors = derive(raw)
    assert not errors, errors
    return result


def errors(raw):
    with translation.override("en"):
        return derive(raw)[2]


@pytest.mark.parametrize(
    "part,total,expected",
    [(0, 50, 0), (10, 100, 10), (1, 3, 33.3334), (2, 3, 66.6667), (1001, 10000, 10.01), (50, 50, 100)],
)
def test_equipment_rates_are_exact_percentages_rounded_up(part, total, expected):
    got = answers({"equipment_total": total, "equipment_digitised": part})
    assert got == {"equipment_digitised_rate": expected}


def test_rounding_up_never_moves_a_value_across_a_band_edge():
    # 100000001 of 1000000000 machines is 10.0000001%: above the edge, so it must stay above 10.
    assert percentage(100000001, 1000000000) == D("10.0001")
    assert percentage(1, 10) == D("10")  # exactly on the edge stays on it
    assert percentage(599999, 1000000) == D("59.9999")


def test_networked_uses_the_same_total():
    assert answers({"equipment_total": 80, "equipment_digitised": 40, "equipment_networked": 20}) == {
        "equipment_digitised_rate": 50,
        "equipment_networked_rate": 25,
    }


def test_funding_ratio_is_the_average_of_the_yearly_ratios():
    raw = {"spend_y1": 10, "revenue_y1": 100, "spend_y2": 30, "revenue_y2": 200, "spend_y3": 5, "revenue_y3": 50}
    assert answers(raw) == {"funding_ratio": 11.6667}  # (10% + 15% + 10%) / 3 = 11.666…, rounded up
    assert answers({"spend_y2": 1, "revenue_y2": 8, "spend_y3": 3, "revenue_y3": 8}) == {"funding_ratio": 25}
    # Not the ratio of the sums: (1/10 + 50/100) / 2 = 30%, whereas 51/110 would be 46.4%.
    assert answers({"spend_y1": 1, "revenue_y1": 10, "spend_y2": 50, "revenue_y2": 100}) == {"funding_ratio": 30}


@pytest.mark.parametrize(
    "before,now,lower_is_better,word",
    [
        ("2.50", "2.40", True, "better"),
        ("2.50", "2.60", True, "worse"),
        ("2.504", "2.501", True, "same"),  # equal at two decimals
        ("2.505", "2.504", True, "better"),  # 2.51 vs 2.50 (half up)
        ("98.5", "98.50", False, "same"),
        ("98.5", "98.6", False, "better"),
    ],
)
def test_compare_defines_same_as_equal_at_two_decimals(before, now, lower_is_better, word):
    assert compare(D(before), D(now), lower_is_better=lower_is_better) == word


def test_outcomes_from_raw_numbers():
    raw = {
        "energy_before": "1.20",
        "energy_now": "1.10",
        "pass_rate_before": 97,
        "pass_rate_now": 96.5,
        "revenue_previous": 1000,
        "employees_previous": 10,
        "revenue_current": 1100,
        "employees_current": 11,
        "cost_previous": 800,
        "cost_current": 900,
    }
    assert answers(raw) == {
        "energy": "better",
        "quality": "worse",
        "revenue_per_employee": "same",  # 100 per employee both years
        "cost_ratio": "worse",  # 80 → 81.82 per 100 yuan of revenue
    }


@pytest.mark.parametrize(
    "raw,key",
    [
        ({"equipment_total": 10, "equipment_networked": 11}, "equipment_networked"),
        ({"equipment_total": 10, "equipment_digitised": 12}, "equipment_digitised"),
        ({"equipment_total": 0, "equipment_digitised": 0}, "equipment_total"),
        ({"equipment_digitised": 3}, "equipment_digitised_rate"),
        ({"equipment_total": -5}, "equipment_total"),
        ({"equipment_total": 10.5}, "equipment_total"),
        ({"equipment_total": "ten"}, "equipment_total"),
        ({"equipment_total": True}, "equipment_total"),
        ({"spend_y1": 5}, "funding_ratio"),
        ({"spend_y1": 5, "revenue_y1": 0}, "revenue_y1"),
        ({"spend_y1": 500, "revenue_y1": 100}, "spend_y1"),
        ({"energy_before": 1}, "energy"),
        ({"pass_rate_before": 101, "pass_rate_now": 99}, "pass_rate_before"),
        (
            {"revenue_previous": 1, "employees_previous": 0, "revenue_current": 1, "employees_current": 1},
            "employees_previous",
        ),
        ({"cost_previous": 1, "cost_current": 1}, "cost_ratio"),
        ({"cost_previous": 1, "cost_current": 1, "revenue_previous": 0, "revenue_current": 5}, "revenue_previous"),
        ({"machines": 3}, "machines"),
    ],
)
def test_impossible_numbers_are_named_and_nothing_is_derived_from_them(raw, key):
    result, _details, problems = derive(raw)
    assert key in problems, problems
    assert all(isinstance(m, str) and m for m in problems[key])
    assert not ({"equipment_digitised_rate", "equipment_networked_rate"} & set(result) and "equipment" in key)


def test_blank_values_are_left_out_and_stored_as_exact_text():
    assert derive({"equipment_total": "", "energy_before": None}) == ({}, {}, {})
    assert normalise_raw({"equipment_total": 200, "spend_y1": "1,234.50", "energy_now": ""}) == {
        "equipment_total": "200",
        "spend_y1": "1234.5",
    }
    assert errors("not a dict") == {"raw": ["Raw numbers are an object of name → number."]}
