"""The work plan's rows come from a data migration; transactional tests elsewhere truncate them."""

import pytest

from worklists.models import PolicyDocument, WorkTask
from worklists.reference import load_work_plan


def _uses_db(request):
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )


@pytest.fixture(autouse=True)
def work_plan(request, reference_data):
    """Put the plan's tasks and documents back when a transactional test elsewhere wiped them."""
    if _uses_db(request):
        request.getfixturevalue("_django_db_helper")
        load_work_plan(WorkTask, PolicyDocument, WorkTask.history.model, PolicyDocument.history.model)
    yield


@pytest.fixture
def other_unit_staff(make_user, units):
    from core.roles import Role

    return make_user(Role.UNIT_STAFF, username="unit_user_yongfeng", unit=units["310117002"])
