"""The index as data: the 2024 edition as seeded, and the district's corrections with history."""

from decimal import Decimal as D

import pytest

from core.errors import DomainError, PermissionDenied
from core.roles import Role
from diagnostics.models import IndexEdition, Item, LevelRule, Option, Scene
from diagnostics.services.index import level_rule_update, option_update

pytestmark = pytest.mark.django_db


def test_the_2024_edition_is_seeded_as_domain_md_says():
    edition = IndexEdition.objects.get(code="2024", is_current=True)
    dims = {d.code: (d.scored, d.max_points) for d in edition.dimensions.all()}
    assert dims == {
        "foundation": (True, D(50)),
        "operations": (False, None),
        "management": (True, D(30)),
        "outcomes": (True, D(20)),
    }
    items = list(Item.objects.filter(dimension__edition=edition).order_by("dimension__order", "order"))
    assert [i.code for i in items] == [
        "network",
        "equipment_digitised_rate",
        "equipment_networked_rate",
        "data_collection",
        "information_systems",
        "network_security",
        "data_security",
        "planning",
        "mechanisms",
        "talent",
        "funding_ratio",
        "energy",
        "quality",
        "revenue_per_employee",
        "cost_ratio",
    ]
    assert sum(i.max_points for i in items) == 100
    scenes = Scene.objects.filter(edition=edition)
    assert scenes.count() == 16 and scenes.filter(constraint=True).count() == 10
    assert all(set(s.level_descriptions) == {"1", "2", "3", "4"} for s in scenes)
    rules = {
        r.level: (r.min_score, r.scene_level, r.min_scenes, r.min_constraint_scenes) for r in edition.level_rules.all()
    }
    assert rules == {4: (80, 4, 10, 6), 3: (60, 3, 8, 5), 2: (40, 2, 6, 3), 1: (20, 1, 6, 3)}


def test_option_corrections_are_checked_and_kept_in_history(users):
    district = users[Role.DISTRICT_OFFICIAL]
    option = Option.objects.get(item__code="talent", number=5)
    option_update(actor=district, option=option, label="建立数字化人才激励机制（含股权）", points="1.25")
    option.refresh_from_db()
    assert option.points == D("1.25") and option.history.first().history_user == district
    for points in ("-1", "7.6", "abc", "1.00001"):
        with pytest.raises(DomainError) as caught:
            option_update(actor=district, option=option, label="x", points=points)
        assert caught.value.field == "points"
    with pytest.raises(DomainError):
        option_update(actor=district, option=option, label="  ", points="1")
    with pytest.raises(PermissionDenied):
        option_update(actor=users[Role.AUDITOR], option=option, label="x", points="1")


def test_level_rule_corrections_are_checked(users):
    district = users[Role.DISTRICT_OFFICIAL]
    rule = LevelRule.objects.get(edition__code="2024", level=2)
    level_rule_update(actor=district, rule=rule, min_score="45", scene_level=2, min_scenes=7, min_constraint_scenes=4)
    rule.refresh_from_db()
    assert (rule.min_score, rule.min_scenes, rule.min_constraint_scenes) == (45, 7, 4)
    bad = [
        {"min_score": "101"},
        {"scene_level": 5},
        {"min_scenes": 17},
        {"min_constraint_scenes": 11},
        {"min_scenes": 2, "min_constraint_scenes": 3},
    ]
    for change in bad:
        values = {"min_score": "40", "scene_level": 2, "min_scenes": 6, "min_constraint_scenes": 3, **change}
        with pytest.raises(DomainError):
            level_rule_update(actor=district, rule=rule, **values)
    with pytest.raises(PermissionDenied):
        level_rule_update(
            actor=users[Role.UNIT_STAFF],
            rule=rule,
            min_score="40",
            scene_level=2,
            min_scenes=6,
            min_constraint_scenes=3,
        )
