"""No 500 on any input (docs/api.md "Bad input, again"): every route, numbers above 2^63, malformed UUIDs,
non-numeric and negative ids, impossible dates and huge page sizes, as an administrator (who reaches every
record) and as street/town staff (whose scope filters first). The embedded smoke test runs the same walk on
SQLite."""

import pytest

from core.roles import Role

from .hostile_walk import routes, walk

pytestmark = pytest.mark.django_db


def test_the_walk_reaches_the_routes_with_ids():
    paths = [path for path, _name, _takes in routes()]
    assert any(str(2**63) in path for path in paths)
    assert len(paths) > 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.UNIT_STAFF])
def test_no_route_answers_a_server_error_to_hostile_parameters(client, users, role):
    client.force_login(users[role])
    checked, errors = walk(client)
    assert checked > 1000
    assert not errors, "\n".join(f"{method} {path} → {status}" for method, path, status in errors)
