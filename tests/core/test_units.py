"""The 18 units arrive with every fresh database, as a tree under Songjiang District."""

from core.models import OrgUnit
from core.selectors import unit_list, unit_lookup

EXPECTED_CODES = [
    "310117001",
    "310117002",
    "310117003",
    "310117004",
    "310117005",
    "310117006",
    "310117102",
    "310117103",
    "310117104",
    "310117105",
    "310117106",
    "310117107",
    "310117109",
    "310117116",
    "310117117",
    "310117120",
    "310117121",
    "310117501",
]


def test_migration_loads_the_district_and_its_18_units(db):
    district = OrgUnit.objects.get(code="310117")
    assert district.name == "松江区" and district.parent is None
    assert [u.code for u in unit_list()] == EXPECTED_CODES
    assert all(u.parent_id == district.pk for u in unit_list())
    assert OrgUnit.objects.get(code="310117501").kind == "开发区"
    assert OrgUnit.objects.get(code="310117107").name == "九亭镇"


def test_units_can_be_named_by_code_name_short_name_or_zone_alias(db):
    lookup = unit_lookup()
    assert lookup["310117104"].name == "车墩镇"
    assert lookup["车墩"].code == "310117104"
    assert lookup["岳阳"].code == "310117001"
    for alias in ("经开区", "松江经开区", "松江工业区", "松江经济技术开发区（经开区）"):
        assert lookup[alias].code == "310117501"


def test_units_api_is_a_plain_array_ordered_by_code(api, users):
    response = api.as_user(users["unit_staff"]).get("/api/v1/units/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list) and len(body) == 18
    assert [row["code"] for row in body] == EXPECTED_CODES
    assert body[0] == {"code": "310117001", "name": "岳阳街道", "kind": "街道"}
    assert {row["kind"] for row in body} == {"街道", "镇", "开发区"}


def test_units_api_refuses_anonymous_callers(api, db):
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
