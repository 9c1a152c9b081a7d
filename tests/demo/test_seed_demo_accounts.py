"""``seed_demo`` changes only the accounts it created (recorded in ``demo.models.SeededAccount``): an
``admin`` made outside the seed keeps its password and is not promoted (the demo's administrator becomes
``admin_demo``), and a second run changes nothing and prints the same log-ins."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import User
from core.roles import Role
from demo.models import SeededAccount
from enterprises.models import Enterprise
from funding.models import Project
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import ensure_reference_data

OWN_PASSWORD = "their-own-Password-1"


def _seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _state():
    return {
        "users": sorted(
            User.objects.values_list("username", "role", "is_staff", "is_superuser", "is_active", "password")
        ),
        "seeded": sorted(SeededAccount.objects.values_list("key", "user__username")),
        "enterprises": Enterprise.objects.count(),
        "projects": Project.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """An ``admin`` of someone else's (an unpromoted official with their own password), then seed_demo
    twice; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        admin = UserFactory(username="admin", role=Role.DISTRICT_OFFICIAL, password=OWN_PASSWORD)
        first = _seed()
        after_first = _state()
        second = _seed()
        yield {"admin": admin, "first": first, "second": second, "after_first": after_first, "after_second": _state()}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_an_admin_the_seed_did_not_create_keeps_its_password_and_is_not_promoted(seeded):
    admin = User.objects.get(pk=seeded["admin"].pk)
    assert admin.password == seeded["admin"].password and admin.check_password(OWN_PASSWORD)
    assert not admin.check_password(DEFAULT_PASSWORD)
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.DISTRICT_OFFICIAL, False, False)
    assert not SeededAccount.objects.filter(user_id=admin.pk).exists()
    demo_admin = User.objects.get(username="admin_demo")
    assert demo_admin.is_superuser and demo_admin.check_password(DEFAULT_PASSWORD)
    assert SeededAccount.objects.get(key="admin").user_id == demo_admin.pk
    assert "admin_demo" in seeded["first"] and "seed_demo did not create" in seeded["first"]


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_prints_the_same_log_ins(seeded):
    assert seeded["second"] == seeded["first"]
    assert seeded["after_second"] == seeded["after_first"]
    assert DEFAULT_PASSWORD in seeded["second"] and "district" in seeded["second"]
    assert seeded["after_first"]["enterprises"] > 500 and seeded["after_first"]["projects"] > 0


@pytest.mark.django_db
def test_every_demo_log_in_is_an_account_the_seed_recorded(seeded):
    seeded_ids = set(SeededAccount.objects.values_list("user_id", flat=True))
    demo_users = User.objects.filter(pk__in=seeded_ids)
    # admin, district, two finance officers (four eyes), auditor; 18 units; 10 providers; 3 evaluators.
    assert demo_users.count() == len(seeded_ids) == 5 + 18 + 10 + 3
    assert "finance2" in set(demo_users.values_list("username", flat=True))
    assert all(u.check_password(DEFAULT_PASSWORD) for u in demo_users)
    assert set(User.objects.exclude(pk__in=seeded_ids).values_list("username", flat=True)) == {"admin"}
