"""Deep pages of the registry list and API (keys first: core.pagination.KeysFirstPaginator) and the
trigram indexes of the search (enterprises/migrations/0003_search_trigram.py)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import KeysFirstPaginator
from core.roles import Role
from enterprises.selectors import enterprise_filtered
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(units):
    """112 enterprises in two units, names repeated in fours (ties the order must break by id)."""
    for i in range(112):
        unit = units["310117001"] if i % 3 else units["310117104"]
        EnterpriseFactory(
            unit=unit, name=f"上海重名{i // 4:02d}机械有限公司", status="proposed" if i % 5 == 0 else "active"
        )


def ids(rows):
    return [row.pk for row in rows]


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-name"}, {"search": "重名1"}, {"status": "active", "sort": "revenue"}]
)
def test_every_page_holds_the_rows_djangos_paginator_gives_in_the_same_order(users, crowd, params):
    for viewer in (users[Role.DISTRICT_OFFICIAL], users[Role.UNIT_STAFF]):
        _filterset, queryset = enterprise_filtered(viewer=viewer, params=params)
        ours, django = KeysFirstPaginator(queryset, 20, orphans=3), Paginator(queryset, 20, orphans=3)
        assert ours.num_pages == django.num_pages > 1
        for number in django.page_range:
            page = ours.page(number)
            assert ids(page) == ids(django.page(number))
            assert (page.start_index(), page.end_index()) == (
                django.page(number).start_index(),
                django.page(number).end_index(),
            )


def test_the_list_orders_ties_by_id_so_pages_neither_repeat_nor_skip_a_row(client, users, crowd):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    seen = []
    for number in (1, 2, 3):
        page = client.get(reverse("enterprises:list"), {"page": number}).context["page_obj"]
        seen += ids(page.object_list)
    assert len(seen) == len(set(seen)) == 112
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={})
    assert seen == ids(queryset)


def test_empty_lists_out_of_range_pages_and_plain_lists(users, units):
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={"search": "无此企业"})
    page = KeysFirstPaginator(queryset, 50).get_page(7)
    assert page.number == 1 and list(page) == [] and page.paginator.count == 0
    EnterpriseFactory.create_batch(3, unit=units["310117001"])
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={})
    assert ids(KeysFirstPaginator(queryset, 2).get_page(99)) == ids(queryset)[2:]
    assert list(KeysFirstPaginator(list("abcde"), 2).page(3)) == ["e"]


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_last_page_takes_as_many_queries_as_the_first(client, api, users, crowd):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    queries(client, reverse("enterprises:list"))  # warm the per-process caches
    assert queries(client, reverse("enterprises:list")) == queries(client, reverse("enterprises:list"), page=3)
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    queries(district, "/api/v1/enterprises/")
    assert queries(district, "/api/v1/enterprises/") == queries(district, "/api/v1/enterprises/", page=3)


def test_the_api_pages_follow_unit_name_and_id(api, users, crowd):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={})
    expected = ids(queryset.order_by("unit__code", "name", "pk"))
    got = []
    for number in (1, 2, 3):
        body = district.get("/api/v1/enterprises/", {"page": number}).json()
        assert body["count"] == 112
        got += [row["id"] for row in body["results"]]
    assert got == expected


# --- the search's trigram indexes ----------------------------------------------------------------


def test_the_trigram_indexes_are_on_the_expressions_of_djangos_icontains(users, units):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'ent_%%_upper_trgm'")
        definitions = dict(cursor.fetchall())
    assert "upper((name)::text) gin_trgm_ops" in definitions["ent_name_upper_trgm"]
    assert "upper((credit_code)::text) gin_trgm_ops" in definitions["ent_credit_code_upper_trgm"]
    # The planner can answer the list's own search SQL from them (the test table is tiny: the other
    # ways of reading it are priced out).
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={"search": "岳阳精密"})
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        plan = queryset.order_by().explain()
    assert "ent_name_upper_trgm" in plan and "ent_credit_code_upper_trgm" in plan


@pytest.mark.parametrize("search", ["岳阳", "岳阳精密", "精密机", "0117", "q7x"])
def test_searches_of_any_length_find_what_they_found_before(users, units, search):
    EnterpriseFactory(unit=units["310117001"], name="上海岳阳精密机械有限公司")
    EnterpriseFactory(unit=units["310117001"], name="上海车墩电子有限公司")
    _filterset, queryset = enterprise_filtered(viewer=users[Role.DISTRICT_OFFICIAL], params={"search": search})
    value = search.upper()
    expected = [
        e.pk for e in queryset.model.objects.order_by("pk") if value in e.name.upper() or value in e.credit_code
    ]
    assert sorted(ids(queryset)) == expected
