"""Shared fixtures: reference data, users of every role, API clients, the Celery worker, Chromium."""

import os

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.models import OrgUnit
from core.roles import Role
from tests.factories import UserFactory
from tests.helpers import ensure_reference_data
from tests.tokens import api_key

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _uses_db(request):
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )


@pytest.fixture(autouse=True)
def reference_data(request):
    """Units come from a migration; transactional tests truncate them, so put them back."""
    if _uses_db(request):
        request.getfixturevalue("_django_db_helper")
        ensure_reference_data()
    yield


@pytest.fixture(autouse=True)
def clear_cache():
    """Log-in throttling counters live in the shared cache: each test starts clean."""
    cache.clear()
    yield


@pytest.fixture
def units(db):
    return {u.code: u for u in OrgUnit.objects.exclude(parent=None)}


@pytest.fixture
def make_user(db):
    def make(role, **kwargs):
        kwargs.setdefault("username", f"{role}_{UserFactory._meta.model.objects.count() + 1}")
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def users(make_user, units):
    """One user of every role; the unit staff member works for 岳阳街道 (310117001)."""
    return {
        Role.ADMIN: make_user(Role.ADMIN, username="admin_user"),
        Role.DISTRICT_OFFICIAL: make_user(Role.DISTRICT_OFFICIAL, username="district_user"),
        Role.FINANCE_OFFICER: make_user(Role.FINANCE_OFFICER, username="finance_user"),
        Role.UNIT_STAFF: make_user(Role.UNIT_STAFF, username="unit_user", unit=units["310117001"]),
        Role.PROVIDER_USER: make_user(Role.PROVIDER_USER, username="provider_user"),
        Role.EVALUATOR: make_user(Role.EVALUATOR, username="evaluator_user"),
        Role.AUDITOR: make_user(Role.AUDITOR, username="auditor_user"),
    }


@pytest.fixture
def finance2(make_user):
    """A second finance officer: the four-eyes rule needs another one to approve or pay."""
    return make_user(Role.FINANCE_OFFICER, username="finance_user_2")


@pytest.fixture
def official2(make_user):
    """A second district official: a commitment is released by someone other than who made it."""
    return make_user(Role.DISTRICT_OFFICIAL, username="district_user_2")


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` signs in with a token, as outside systems do.

    It returns a client of that user's own (so several users can take turns in one test) and also
    signs ``api`` itself in as that user."""
    client = APIClient()
    keys = {}

    def as_user(user):
        if user.pk not in keys:
            keys[user.pk] = api_key(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.pk]}")
        own = APIClient()
        own.credentials(HTTP_AUTHORIZATION=f"Token {keys[user.pk]}")
        return own

    client.as_user = as_user
    return client


# --- Celery: a real worker on Redis, in this process so it uses the test database --------------


@pytest.fixture(scope="session")
def celery_worker_session(django_db_setup, django_db_blocker):
    from django.conf import settings

    assert settings.CELERY_BROKER_URL, (
        "The worker tests need a broker: run them through `make test`, which points CELERY_BROKER_URL at Redis."
    )
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task start_worker checks
    from celery.contrib.testing.worker import start_worker

    from songjiang_pilot.celery import app

    with (
        django_db_blocker.unblock(),
        start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=30) as worker,
    ):
        yield worker


@pytest.fixture
def celery_worker(transactional_db, celery_worker_session):
    """A running worker; the test must be transactional, since a worker sees committed rows only."""
    return celery_worker_session


# --- Chromium through Playwright ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    """Playwright's page, failing the test if the page broke its Content-Security-Policy (an inline
    handler or a foreign host the policy refuses would silently break a page in production)."""
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    yield page
    assert not violations, violations
