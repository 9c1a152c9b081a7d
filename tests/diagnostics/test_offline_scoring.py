"""The offline form's scorer: the browser (static/js/scoring.js) scores with the rule table the server
scores with (``GET /api/v1/assessments/rules/``), and equals the server on hundreds of random answer sets."""

import random
from decimal import Decimal

import pytest

from core.roles import Role
from diagnostics.scoring import index_spec, rule_table, score
from diagnostics.selectors.index import current_edition
from tests.helpers import log_in

RULES = "/api/v1/assessments/rules/"
SETS = 600


def test_the_rules_endpoint_serves_the_table_the_server_scores_with(api, users):
    response = api.as_user(users[Role.EVALUATOR]).get(RULES)
    assert response.status_code == 200
    spec = index_spec(current_edition())
    assert response.json() == rule_table(spec)
    table = response.json()
    assert [i["code"] for i in table["items"]] == [i.code for i in spec.items]
    assert [r["level"] for r in table["rules"]] == sorted((r.level for r in spec.rules), reverse=True)
    assert {o["points"] for i in table["items"] for o in i["options"]} >= {"5.625", "1.875"}  # exact decimals


def test_the_rules_of_an_unknown_edition_are_a_400_and_anonymous_callers_get_nothing(api, users, client):
    assert api.as_user(users[Role.AUDITOR]).get(RULES, {"index": "1999"}).status_code == 400
    assert api.as_user(users[Role.AUDITOR]).get(RULES, {"index": "20\x0024"}).status_code == 400
    assert api.as_user(users[Role.AUDITOR]).get(RULES, {"index": "9" * 500}).status_code == 400
    assert client.get(RULES).status_code in (401, 403)


def _band_value(rng, item):
    edges = [o.upper_bound for o in item.options if o.upper_bound is not None]
    pick = rng.random()
    if pick < 0.3 and edges:  # exactly on an edge: belongs to that band
        edge = rng.choice(edges)
        return int(edge) if edge == edge.to_integral_value() else float(edge)
    if pick < 0.45 and edges:  # a hair above an edge
        return float(rng.choice(edges) + Decimal("0.0001"))
    if pick < 0.55:
        return rng.choice([0, 100])
    return round(rng.uniform(0, 100), rng.choice([0, 1, 2, 4]))


def random_sets(spec, n, seed=20261208):
    """``n`` valid answer sets in the contract's form, seeded: items left out, chosen in part or in full."""
    rng = random.Random(seed)
    sets = []
    for _n in range(n):
        answers = {}
        for item in spec.items:
            if rng.random() < 0.15:
                continue
            numbers = [o.number for o in item.options]
            if item.kind == "multi":
                answers[item.code] = sorted(rng.sample(numbers, rng.randint(0, len(numbers))))
            elif item.kind == "single":
                answers[item.code] = rng.choice(numbers)
            elif item.kind == "band":
                answers[item.code] = _band_value(rng, item)
            else:
                answers[item.code] = rng.choice(["better", "same", "worse"])
        scenes = {s.code: rng.choice([0, 0, 1, 2, 2, 3, 3, 4]) for s in spec.scenes if rng.random() < 0.9}
        sets.append({"answers": answers, "scenes": scenes})
    return sets


def thousandths(text):
    value = Decimal(str(text)) * 1000
    assert value == value.to_integral_value(), text  # the index's points have at most three decimals
    return int(value)


@pytest.mark.browser
def test_the_browser_scores_random_answer_sets_exactly_as_the_server(page, live_server, users):
    spec = index_spec(current_edition())
    sets = random_sets(spec, SETS)
    server = [score(spec, s["answers"], s["scenes"]) for s in sets]
    assert len({r.level for r in server}) >= 3, "the sets should reach several levels"

    log_in(page, live_server.url, users[Role.EVALUATOR].username)
    page.add_script_tag(url=f"{live_server.url}/static/js/scoring.js")
    browser = page.evaluate(
        """async (sets) => {
            const table = await (await fetch("/api/v1/assessments/rules/")).json();
            return sets.map((s) => SJScoring.score(table, s.answers, s.scenes));
        }""",
        sets,
    )
    assert len(browser) == SETS
    for given, expected, got in zip(sets, server, browser, strict=True):
        assert got["ok"], (given, got)
        assert thousandths(got["score"]) == thousandths(expected.score), given
        assert got["level"] == expected.level, given
        for code, points in expected.dimensions.items():
            assert thousandths(got["dimensions"][code]) == thousandths(points), (given, code)
        for code, points in expected.items.items():
            assert thousandths(got["items"][code]) == thousandths(points), (given, code)
        assert got["scenes_at_or_above"] == expected.scenes_at_or_above
        assert got["constraint_scenes_at_or_above"] == expected.constraint_scenes_at_or_above


@pytest.mark.browser
def test_the_browser_refuses_what_the_server_refuses(page, live_server, users):
    log_in(page, live_server.url, users[Role.EVALUATOR].username)
    page.add_script_tag(url=f"{live_server.url}/static/js/scoring.js")
    errors = page.evaluate(
        """async () => {
            const table = await (await fetch("/api/v1/assessments/rules/")).json();
            return SJScoring.score(table, {network: [1, 1], planning: 9, energy: "great", nope: 1,
                                           equipment_digitised_rate: 101}, {marketing: 7}).errors;
        }"""
    )
    assert set(errors) == {"network", "planning", "energy", "nope", "equipment_digitised_rate", "marketing"}
