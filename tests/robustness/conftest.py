"""Fixtures of the fault tests: one throwaway portal (stack.py) for the whole module, torn down at the end
even when a test or the start-up fails, and brought back to health before each test."""

import json
import shutil

import pytest

from tests.factories import DEFAULT_PASSWORD

from .stack import ARTIFACTS, PG_BIN, PortalStack

NEEDED = [PG_BIN / "initdb", PG_BIN / "pg_ctl", "redis-server"]


@pytest.fixture(scope="session")
def portal_stack():
    missing = [str(tool) for tool in NEEDED if not shutil.which(str(tool))]
    if missing:
        pytest.fail(f"The fault tests need {', '.join(missing)}: run them through `make test` (TEST_PACKAGES).")
    stack = PortalStack()
    try:
        stack.start()
        yield stack
    finally:
        stack.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "timings.json").write_text(json.dumps(stack.timings, indent=2))


@pytest.fixture
def stack(portal_stack):
    """The stack with every service up, whatever the previous test stopped or killed."""
    if portal_stack.redis.process.alive and not portal_stack.redis.ping():
        portal_stack.redis.thaw()
    if not portal_stack.redis.process.alive:
        portal_stack.redis.start()
    if not portal_stack.web.alive:
        portal_stack.start_web()
    if not portal_stack.worker.alive:
        portal_stack.start_worker()
    if not portal_stack.beat.alive:
        portal_stack.start_beat()
    return portal_stack


@pytest.fixture(scope="session")
def tokens(portal_stack):
    """API tokens of the seeded demo users, taken while every service is up."""
    return {name: portal_stack.token(name, DEFAULT_PASSWORD) for name in ("district", "finance", "finance2")}
