"""Every PATCH of the API: a field the client may not change, sent with a value other than the stored one, is a
400 naming the field; sending back what was read changes nothing and is fine (core/api/writable.py).

The walk reads the URL resolver, so a PATCH-able endpoint added later is walked without anyone listing it. Each is
tried as the administrator on a record of the demo programme."""

import copy
import inspect
import re
import sys
from decimal import Decimal, InvalidOperation

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from core.api.writable import writable_fields
from tests.helpers import ensure_reference_data
from tests.tokens import api_key

from .helpers import walk_routes

User = get_user_model()


def patch_routes():
    """(route name, view set class) of every API route that answers PATCH."""
    found = {}
    for _pattern, name in walk_routes(get_resolver()):
        if not name.startswith("api:"):
            continue
        try:
            match = get_resolver().resolve(reverse(name, kwargs={"pk": 1}))
        except Exception:  # noqa: S112 - routes without a pk are not record routes
            continue
        actions = getattr(match.func, "actions", {}) or {}
        if actions.get("patch") == "partial_update":
            found[name] = match.func.cls
    return found


PATCH_ROUTES = patch_routes()


def test_the_walk_finds_the_patch_endpoints():
    names = set(PATCH_ROUTES)
    assert {"api:enterprise-detail", "api:project-detail", "api:product-detail"} <= names, names
    assert len(names) >= 8, names


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # an earlier transactional test may have flushed the units
        call_command("seed_demo", verbosity=0)
        yield User.objects.get(username="admin")
        transaction.set_rollback(True)


def other_value(value):
    """A value of the same kind as ``value`` that differs from it."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    if value is None:
        return "another"
    if isinstance(value, list):
        return [] if value else ["another"]
    if isinstance(value, dict):
        return {"another": 1}
    try:
        return str(Decimal(value) + 7)
    except (InvalidOperation, ValueError):
        return f"{value}-another"


@pytest.mark.parametrize("name", sorted(PATCH_ROUTES))
def test_a_patch_refuses_to_change_what_it_may_not_and_accepts_it_sent_back(programme, name):
    view_class = PATCH_ROUTES[name]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(programme)}")
    listing = client.get(reverse(name.replace("-detail", "-list")), {"page_size": 5})
    assert listing.status_code == 200, (name, listing.content[:300])
    rows = listing.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert rows, f"the demo has no record for {name}"
    url = reverse(name, kwargs={"pk": rows[0]["id"]})
    read = client.get(url).json()
    write_class = write_serializer_of(view_class)
    writable = writable_fields(write_class)
    fixed = {key: value for key, value in read.items() if key not in writable}
    assert fixed, name
    baseline = client.patch(url, {}, format="json")
    # An empty PATCH may touch updated_at: send back what is read now.
    read = client.get(url).json()
    fixed = {key: value for key, value in read.items() if key not in writable}
    echoed = client.patch(url, copy.deepcopy(fixed), format="json")
    assert echoed.status_code == baseline.status_code, (name, echoed.content[:400])
    if echoed.status_code == 400:
        assert echoed.json().get("code") not in ("read_only_field", "unknown_field"), (name, echoed.json())
    after = client.get(url).json()
    for key in fixed:
        if key not in ("updated_at", "modified_at", "history"):
            assert after.get(key) == read[key] or key.endswith("_at"), (name, key)
    for key, value in fixed.items():
        response = client.patch(url, {key: other_value(value)}, format="json")
        assert response.status_code == 400, (name, key, response.status_code, response.content[:300])
        body = response.json()
        assert body["code"] == "read_only_field" and body["field"] == key, (name, key, body)
    unknown = client.patch(url, {"no_such_field": 1}, format="json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "no_such_field"


def write_serializer_of(view_class):
    """The serializer ``partial_update`` validates its body with (``self.validated(<serializer>…)``)."""
    source = inspect.getsource(view_class.partial_update)
    match = re.search(r"self\.validated\(\s*([\w.]+)", source)
    assert match, f"{view_class.__name__}.partial_update does not read its body with self.validated"
    value = sys.modules[view_class.__module__]
    for part in match.group(1).split("."):
        value = getattr(value, part)
    return value
