"""Fixtures of the funding tests: the small programme of ``helpers.build_world`` (a module may extend it
by defining its own ``world`` on top of this one)."""

import pytest

from .helpers import build_world


@pytest.fixture
def world(users, make_user, units):
    return build_world(users, make_user, units)
