"""Every URL pattern of the portal, walked: none answers an anonymous visitor with content.

The walk reads the URL resolver itself, so a page or API route added later is checked without anyone
remembering to list it. Path parameters are filled with values of the right shape (an id, a uuid, a code);
each route is tried with GET and POST. A page must send the visitor to the log-in page, the API must answer
401; nothing may answer 200 or a server error. The few public routes are named below, with the reason.
"""

import re
import uuid

import pytest
from django.urls import get_resolver

from .helpers import walk_routes

#: Routes an anonymous visitor may reach, and why.
PUBLIC = {
    "accounts:login": "the log-in page",
    "accounts:one_time_password": "the second step of signing in",
    "api:token": "outside systems obtain their token with a user name and password",
    "set_language": "the language switch (it changes a cookie, nothing else)",
    "admin:login": "the admin's own log-in page",
    "admin:logout": "logging out needs no session",
    "accounts:logout": "logging out needs no session",
    "diagnostics:service_worker": "the service worker's script (/sw.js): static code like /static/, no data",
    "favicon": "the browser's icon: a redirect to the static favicon.svg",
}

CONVERTER_VALUES = {
    "int": "1",
    "uuid": str(uuid.UUID(int=1)),
    "slug": "x",
    "str": "1",
    "path": "x/y",
}


def _concrete(pattern):
    """A path for a route pattern: converters filled in, regex routes reduced to a plain example."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)  # regex routes (the router's, the admin's)
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: CONVERTER_VALUES.get(m.group(1) or "str", "1"), path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    path = re.sub(r"\\\.\w*|\[[^\]]*\][+*]?|\.\?", "", path)
    path = path.replace("\\", "").replace("()", "1").replace("/?", "/")
    return "/" + path.lstrip("/")


ROUTES = sorted({(_concrete(pattern), name) for pattern, name in walk_routes(get_resolver())})


def _is_public(path, name):
    if name in PUBLIC:
        return True
    return path.startswith("/static/")


def test_the_walk_finds_the_portal():
    names = {name for _path, name in ROUTES}
    assert len(ROUTES) > 150, len(ROUTES)
    assert {"enterprises:list", "api:report-snapshots", "reports:indicators", "home"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_route_serves_an_anonymous_visitor(client, method):
    served, errors, checked = [], [], 0
    for path, name in ROUTES:
        if _is_public(path, name):
            continue
        response = getattr(client, method)(path)
        checked += 1
        status = response.status_code
        if status >= 500:
            errors.append((path, name, status))
        elif path.startswith("/api/"):
            if status not in (401, 403, 404, 405):
                served.append((path, name, status))
        elif status == 302:
            login = "/django-admin/login/" if path.startswith("/django-admin/") else "/accounts/login/"
            if login not in response["Location"]:
                served.append((path, name, f"302 → {response['Location']}"))
        elif status not in (403, 404, 405):
            served.append((path, name, status))
    assert not errors, errors
    assert not served, served
    assert checked > 150


@pytest.mark.django_db
def test_the_admin_sends_anonymous_visitors_to_its_log_in(client):
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_the_api_schema_and_docs_are_not_public(client):
    for path in ("/api/schema/", "/api/docs/"):
        response = client.get(path)
        assert response.status_code in (401, 403) or (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        ), (path, response.status_code)
