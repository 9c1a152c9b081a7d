"""Fixtures of the period-close tests: the funding tests' small programme (tests/funding/helpers.py)."""

import pytest

from tests.funding.helpers import build_world


@pytest.fixture
def world(users, make_user, units):
    return build_world(users, make_user, units)
