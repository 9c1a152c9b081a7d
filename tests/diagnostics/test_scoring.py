"""The scoring engine against docs/domain.md §5, through the 2024 edition as loaded by its migration.

Every expected number here is computed by hand from the table in docs/domain.md.
"""

import functools
from decimal import Decimal as D

import pytest

from diagnostics.models import LevelRule, Option
from diagnostics.scoring import ScoreInputError, index_spec, score
from diagnostics.selectors.index import current_edition

pytestmark = pytest.mark.django_db

SCENES = [
    "product_design",  # ★
    "process_design",
    "marketing",  # ★
    "after_sales",
    "planning_scheduling",
    "production_control",  # ★
    "quality_management",  # ★
    "equipment_management",  # ★
    "safety",  # ★
    "energy_management",  # ★
    "procurement",  # ★
    "warehousing_logistics",  # ★
    "finance",  # ★
    "human_resources",
    "collaboration",
    "decision_support",
]
CONSTRAINT = [s for i, s in enumerate(SCENES) if i in (0, 2, 5, 6, 7, 8, 9, 10, 11, 12)]
GUIDING = [s for s in SCENES if s not in CONSTRAINT]

# Answers worth exactly 100 points.
FULL = {
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


@pytest.fixture
def spec():
    return index_spec(current_edition())


def item_points(spec, code, value):
    return score(spec, {code: value}).items[code]


def scenes_at(level, constraint=0, guiding=0):
    """``constraint`` constraint scenes and ``guiding`` guiding scenes at ``level``."""
    chosen = CONSTRAINT[:constraint] + GUIDING[:guiding]
    return dict.fromkeys(chosen, level)


@functools.cache
def _reachable():
    """Every total the 2024 items can add up to, with one set of answers for each (a knapsack over
    each item's possible points, in units of 0.005 points); built from docs/domain.md's table."""
    from itertools import combinations

    spec = index_spec(current_edition())
    states = {0: {}}
    for item in spec.items:
        choices = {}
        if item.kind == "multi":
            numbers = [o.number for o in item.options]
            for k in range(len(numbers) + 1):
                for combo in combinations(numbers, k):
                    worth = min(sum((item.option(n).points for n in combo), D(0)), item.max_points)
                    choices.setdefault(worth, list(combo))
        elif item.kind == "single":
            for o in item.options:
                choices.setdefault(o.points, o.number)
        elif item.kind == "band":
            rates = [0, 15, 30, 50, 100]
            for o, rate in zip(item.options, rates, strict=True):
                choices.setdefault(o.points, rate)
        else:
            for o in item.options:
                choices.setdefault(o.points, o.code)
        new = {}
        for total, answers in states.items():
            for worth, value in choices.items():
                key = total + int(worth / D("0.005"))
                if key not in new:
                    new[key] = {**answers, item.code: value}
        states = new
    return states


def answers_worth(points):
    """Answers worth exactly ``points`` (checked through the engine)."""
    answers = _reachable()[int(D(str(points)) / D("0.005"))]
    assert score_total(answers) == D(str(points))
    return answers


def just_below(points):
    """The highest total the items can reach below ``points``."""
    units = int(D(str(points)) / D("0.005"))
    below = max(k for k in _reachable() if k < units)
    return D(below) * D("0.005")


def score_total(answers):
    return score(index_spec(current_edition()), answers).score


# --- Item types ---------------------------------------------------------------------------------


def test_the_contract_example_scores_exactly(spec):
    result = score(
        spec,
        {
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
        },
        {"product_design": 2, "marketing": 3},
    )
    # 4 + 3 + 1.5 + (0.7+0.7+0.9) + 5 + 5 + 0 = 20.8; 4.5 + 1.875 + 3 + 0 = 9.375; 7 + 3.5 + 0 + 3 = 13.5
    assert result.dimensions == {"foundation": D("20.8"), "management": D("9.375"), "outcomes": D("13.5")}
    assert result.score == D("43.675")
    assert result.scenes_at_or_above == {"1": 2, "2": 2, "3": 1, "4": 0}
    assert result.constraint_scenes_at_or_above == {"1": 2, "2": 2, "3": 1, "4": 0}
    assert result.level == 0
    assert result.as_dict()["score"].as_tuple() == D("43.675").as_tuple()


def test_everything_at_its_best_is_worth_exactly_100(spec):
    result = score(spec, FULL)
    assert result.score == D(100)
    assert result.dimensions == {"foundation": D(50), "management": D(30), "outcomes": D(20)}


def test_nothing_answered_scores_zero(spec):
    result = score(spec, {}, {})
    assert result.score == 0 and result.level == 0
    assert all(v == 0 for v in result.items.values())


@pytest.mark.parametrize(
    "code,chosen,points",
    [
        ("network", [], "0"),
        ("network", [3], "2"),
        ("network", [1, 2, 3, 4], "8"),
        ("data_collection", [], "0"),
        ("data_collection", [13], "0.7"),
        ("data_collection", [14], "0.9"),
        ("data_collection", list(range(1, 14)), "9.1"),
        ("data_collection", list(range(1, 15)), "10"),
        ("network_security", [2, 4], "2.5"),
        ("data_security", [1, 2, 3], "3.75"),
        ("mechanisms", [1, 2, 3], "5.625"),
        ("mechanisms", [4, 1], "3.75"),
        ("talent", [5], "1.5"),
        ("talent", [1, 2, 3, 4, 5], "7.5"),
    ],
)
def test_multi_choice_items_add_their_options(spec, code, chosen, points):
    assert item_points(spec, code, chosen) == D(points)


def test_a_multi_choice_item_never_exceeds_its_maximum(spec):
    # Raise one option's points so that the options add up to more than the item's maximum (8).
    Option.objects.filter(item__code="network", number=1).update(points=D("5"))
    raised = index_spec(current_edition())
    assert item_points(raised, "network", [1, 2, 3]) == D("8")  # 5 + 2 + 2 = 9, capped at 8
    assert item_points(raised, "network", [1, 2]) == D("7")


@pytest.mark.parametrize("position,points", [(0, "0"), (1, "2.5"), (2, "5"), (3, "7.5"), (4, "10")])
def test_information_systems_positions(spec, position, points):
    assert item_points(spec, "information_systems", position) == D(points)


@pytest.mark.parametrize("position,points", [(0, "0"), (1, "1.5"), (2, "3"), (3, "4.5"), (4, "6"), (5, "7.5")])
def test_planning_positions(spec, position, points):
    assert item_points(spec, "planning", position) == D(points)


@pytest.mark.parametrize(
    "code,word,points",
    [
        ("energy", "better", "7"),
        ("energy", "same", "3.5"),
        ("energy", "worse", "0"),
        ("quality", "better", "7"),
        ("quality", "same", "3.5"),
        ("quality", "worse", "0"),
        ("revenue_per_employee", "better", "3"),
        ("revenue_per_employee", "same", "1.5"),
        ("revenue_per_employee", "worse", "0"),
        ("cost_ratio", "better", "3"),
        ("cost_ratio", "same", "1.5"),
        ("cost_ratio", "worse", "0"),
    ],
)
def test_outcome_words(spec, code, word, points):
    assert item_points(spec, code, word) == D(points)


EQUIPMENT_BANDS = [
    (0, "0"),
    (10, "0"),
    (10.0, "0"),
    (10.001, "1.5"),
    (15, "1.5"),
    (20, "1.5"),
    (20.0001, "3"),
    (40, "3"),
    (40.0001, "4.5"),
    (60, "4.5"),
    (60.0001, "6"),
    (99.9, "6"),
    (100, "6"),
]
FUNDING_BANDS = [
    (0, "0"),
    (10, "0"),
    (10.001, "1.875"),
    (20, "1.875"),
    (20.0001, "3.75"),
    (40, "3.75"),
    (40.0001, "5.625"),
    (60, "5.625"),
    (60.0001, "7.5"),
    (100, "7.5"),
]


@pytest.mark.parametrize("code", ["equipment_digitised_rate", "equipment_networked_rate"])
@pytest.mark.parametrize("rate,points", EQUIPMENT_BANDS)
def test_equipment_band_edges(spec, code, rate, points):
    assert item_points(spec, code, rate) == D(points)


@pytest.mark.parametrize("rate,points", FUNDING_BANDS)
def test_funding_band_edges(spec, rate, points):
    assert item_points(spec, "funding_ratio", rate) == D(points)


def test_band_values_may_be_decimal_numbers_in_any_json_form(spec):
    assert item_points(spec, "equipment_digitised_rate", D("20.00000001")) == D("3")
    assert item_points(spec, "equipment_digitised_rate", 1e1) == D("0")


# --- Level boundaries and scene gates ------------------------------------------------------------


ALL_AT = {4: scenes_at(4, 10, 6), 3: scenes_at(3, 10, 6), 2: scenes_at(2, 10, 6), 1: scenes_at(1, 10, 6)}


@pytest.mark.parametrize("boundary,level", [(80, 4), (60, 3), (40, 2), (20, 1)])
def test_level_boundaries_on_the_score(spec, boundary, level):
    scenes = ALL_AT[level]
    assert score(spec, answers_worth(boundary), scenes).level == level
    below = just_below(boundary)
    assert 0 < boundary - below <= D("0.025")  # e.g. 79.975: nothing between it and 80
    result = score(spec, answers_worth(below), scenes)
    assert result.score == below
    assert result.level == level - 1


def test_a_high_score_with_every_scene_at_level_one_reaches_level_one(spec):
    assert score(spec, answers_worth(100), ALL_AT[1]).level == 1
    assert score(spec, answers_worth(100), ALL_AT[4]).level == 4


@pytest.mark.parametrize(
    "level,n,c",
    [(4, 10, 6), (3, 8, 5), (2, 6, 3), (1, 6, 3)],
)
def test_each_scene_gate_exactly_met_and_one_short(spec, level, n, c):
    answers = answers_worth(100)
    exact = scenes_at(level, c, n - c)
    assert score(spec, answers, exact).level == level
    # One scene short in total (a guiding one removed; constraint scenes still enough).
    if n - c > 0:
        short_n = scenes_at(level, c, n - c - 1)
        assert score(spec, answers, short_n).level < level
    # One constraint scene short (replaced by a guiding one: the total stays the same).
    short_c = scenes_at(level, c - 1, n - c + 1)
    assert score(spec, answers, short_c).scenes_at_or_above[str(level)] == n
    assert score(spec, answers, short_c).level < level


def test_level_three_needs_eight_scenes_at_three_or_higher_five_of_them_constraint(spec):
    answers = answers_worth(60)
    scenes = {**scenes_at(4, 5, 0), **dict.fromkeys(GUIDING[:3], 3)}  # 5★ at 4 + 3 guiding at 3 = 8 at ≥3
    result = score(spec, answers, scenes)
    assert result.scenes_at_or_above == {"1": 8, "2": 8, "3": 8, "4": 5}
    assert result.constraint_scenes_at_or_above == {"1": 5, "2": 5, "3": 5, "4": 5}
    assert result.level == 3
    scenes[GUIDING[2]] = 2  # only 7 at ≥3 now
    assert score(spec, answers, scenes).level == 2  # 8 at ≥2 with 5★ still makes level 2


def test_scenes_are_counted_at_level_k_for_row_k(spec):
    # Six scenes at level 2 (three constraint) but the row for level 2 counts level ≥ 2.
    answers = answers_worth(45)
    two = scenes_at(2, 3, 3)
    assert score(spec, answers, two).level == 2
    # The same scenes at level 1 only satisfy row 1: a level-2 score with level-1 scenes gets 1.
    one = scenes_at(1, 3, 3)
    assert score(spec, answers, one).level == 1


def test_no_scenes_means_no_level_whatever_the_score(spec):
    assert score(spec, FULL, {}).level == 0


def test_the_level_rule_is_data(spec):
    LevelRule.objects.filter(edition=current_edition(), level=1).update(
        min_score=D("10"), min_scenes=1, min_constraint_scenes=0
    )
    edited = index_spec(current_edition())
    assert score(edited, answers_worth(10), {"after_sales": 1}).level == 1
    assert score(spec, answers_worth(10), {"after_sales": 1}).level == 0  # the old spec is unchanged


# --- Invalid input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers,scenes,bad",
    [
        ({"no_such_item": 1}, {}, "no_such_item"),
        ({}, {"no_such_scene": 1}, "no_such_scene"),
        ({"network": [5]}, {}, "network"),
        ({"network": [0]}, {}, "network"),
        ({"network": [1, 1]}, {}, "network"),
        ({"network": 1}, {}, "network"),
        ({"network": [1.0]}, {}, "network"),
        ({"network": [True]}, {}, "network"),
        ({"network": ["1"]}, {}, "network"),
        ({"information_systems": 5}, {}, "information_systems"),
        ({"information_systems": -1}, {}, "information_systems"),
        ({"planning": 6}, {}, "planning"),
        ({"planning": 2.0}, {}, "planning"),
        ({"planning": True}, {}, "planning"),
        ({"planning": "2"}, {}, "planning"),
        ({"equipment_digitised_rate": -0.01}, {}, "equipment_digitised_rate"),
        ({"equipment_digitised_rate": 100.0001}, {}, "equipment_digitised_rate"),
        ({"equipment_digitised_rate": "35"}, {}, "equipment_digitised_rate"),
        ({"equipment_networked_rate": True}, {}, "equipment_networked_rate"),
        ({"funding_ratio": float("nan")}, {}, "funding_ratio"),
        ({"funding_ratio": None}, {}, "funding_ratio"),
        ({"energy": "improved"}, {}, "energy"),
        ({"energy": 2}, {}, "energy"),
        ({"quality": "BETTER"}, {}, "quality"),
        ({}, {"marketing": 5}, "marketing"),
        ({}, {"marketing": -1}, "marketing"),
        ({}, {"marketing": "3"}, "marketing"),
        ({}, {"marketing": 2.0}, "marketing"),
        ({}, {"marketing": True}, "marketing"),
    ],
)
def test_invalid_input_names_the_offending_code(spec, answers, scenes, bad):
    with pytest.raises(ScoreInputError) as caught:
        score(spec, answers, scenes)
    assert list(caught.value.errors) == [bad]
    assert all(isinstance(m, str) and m for m in caught.value.errors[bad])


def test_every_offending_code_is_named_at_once(spec):
    with pytest.raises(ScoreInputError) as caught:
        score(spec, {"network": [9], "planning": "x", "energy": "up", "bogus": 1}, {"safety": 7, "nowhere": 1})
    assert set(caught.value.errors) == {"network", "planning", "energy", "bogus", "safety", "nowhere"}


def test_answers_and_scenes_must_be_objects(spec):
    with pytest.raises(ScoreInputError) as caught:
        score(spec, [1, 2])
    assert "answers" in caught.value.errors
    with pytest.raises(ScoreInputError) as caught:
        score(spec, {}, [1])
    assert "scenes" in caught.value.errors
