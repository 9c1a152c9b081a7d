"""Fixtures of the event tests: a small world (two streets' enterprises, a provider, people with addresses) and
the real SMTP server of the notification tests."""

import datetime

import pytest
from django.utils import timezone

from core.roles import Role
from events import services
from tests.factories import EnterpriseFactory
from tests.notifications.conftest import smtp  # noqa: F401  (the real SMTP server on loopback)


def at(days, hour=9):
    """An aware moment ``days`` from today at ``hour`` o'clock."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def world(users, units, make_user):
    """Enterprises of 岳阳街道 (the unit user's) and of 永丰街道, a unit user of 永丰, addresses for everyone."""
    own, other = units["310117001"], units["310117002"]
    other_staff = make_user(Role.UNIT_STAFF, username="other_unit_user", unit=other, email="other@u.invalid")
    for role, address in [
        (Role.UNIT_STAFF, "unit@u.invalid"),
        (Role.DISTRICT_OFFICIAL, "district@d.invalid"),
        (Role.PROVIDER_USER, "provider@p.invalid"),
    ]:
        users[role].email = address
        users[role].save(update_fields=["email"])
    mine = [
        EnterpriseFactory(unit=own, name="上海岳阳精密机械有限公司", current_level=1),
        EnterpriseFactory(unit=own, name="上海岳阳电子有限公司", current_level=2),
    ]
    theirs = [EnterpriseFactory(unit=other, name="上海永丰汽配有限公司", current_level=1)]
    return {"own": own, "other": other, "mine": mine, "theirs": theirs, "other_staff": other_staff, **users}


@pytest.fixture
def unit_event(world):
    """A training of 岳阳街道 tomorrow, with the provider taking part."""
    provider = world[Role.PROVIDER_USER].provider
    return services.event_create(
        actor=world[Role.UNIT_STAFF],
        kind="training",
        title="数字化转型政策培训",
        starts_at=at(1),
        place="岳阳街道社区中心",
        topic="政策解读",
        providers=[provider],
        capacity=50,
    )
