"""The demo log-ins: one account per role, unit, provider and evaluation body, all with the printed
password (``demo.factories.DEFAULT_PASSWORD``).

Which accounts are the seed's own: the seed records every account it creates in
:class:`demo.models.SeededAccount`, under the demo log-in it plays (its ``key``: ``admin``, ``district``,
``unit_310117001``…). On every run it looks a log-in up by that record, never by user name alone:

- recorded: the account is the seed's; its role, organisation and password are set back to the demo's
  when they differ (a second run writes nothing, and the printed log-ins work again after someone
  changed a demo password);
- not recorded: the seed creates the account under the log-in's user name, or, when an account it did
  not create already has that name (an ``admin`` made with ``createsuperuser``, say), under the first
  free one of ``<name>_demo``, ``<name>_demo2``… and records it. The existing account keeps its
  password, role and rights: the seed never resets, promotes or otherwise changes an account it did not
  create.

Because the record, not the name, says which account is the seed's, a later run finds the same
accounts again (``admin_demo`` stays the demo's administrator even if ``admin`` is deleted meanwhile).
"""

import itertools

from accounts.models import User
from core.roles import Role
from core.selectors import unit_list
from demo.factories import DEFAULT_PASSWORD
from demo.models import SeededAccount


def _free_username(name):
    candidates = itertools.chain([name, f"{name}_demo"], (f"{name}_demo{n}" for n in itertools.count(2)))
    return next(c for c in candidates if not User.objects.filter(username=c).exists())


def demo_account(key, role, display_name, **org):
    """The seed's account for the demo log-in ``key``, created (and recorded) when it has none, set to
    ``role``, ``display_name``, ``org`` and the demo password. Never an account the seed did not create;
    saved only when something differs, so a second run writes nothing (no history rows either)."""
    record = SeededAccount.objects.filter(key=key).first()
    user = User.objects.filter(pk=record.user_id).first() if record else None
    if user is None:
        if record:  # its account was deleted while the demo app was off (no cascade then)
            record.delete()
        record = None
        user = User(username=_free_username(key))
    wanted = {
        "role": role,
        "display_name": display_name,
        "is_active": True,
        "must_change_password": False,
        "is_staff": role == Role.ADMIN,
        "is_superuser": role == Role.ADMIN,
        **org,
    }
    changed = user.pk is None or any(getattr(user, field) != value for field, value in wanted.items())
    for field, value in wanted.items():
        setattr(user, field, value)
    if user.pk is None or not user.check_password(DEFAULT_PASSWORD):
        user.set_password(DEFAULT_PASSWORD)
        changed = True
    if changed:
        user.save()
    if record is None:
        SeededAccount.objects.create(key=key, user=user)
    return user


def seed_accounts(providers, bodies):
    """Every demo log-in, by key: admin, district, finance, finance2, auditor, ``unit_<code>``, ``provider<i>``,
    ``evaluator<i>``."""
    users = {
        "admin": demo_account("admin", Role.ADMIN, "系统管理员"),
        "district": demo_account("district", Role.DISTRICT_OFFICIAL, "区经委 王科长", phone="021-57721234"),
        "finance": demo_account("finance", Role.FINANCE_OFFICER, "区财政局 李会计", phone="021-57725678"),
        # A second finance officer: under the four-eyes rule one approves, another records the payment.
        "finance2": demo_account("finance2", Role.FINANCE_OFFICER, "区财政局 陈出纳", phone="021-57725679"),
        "auditor": demo_account("auditor", Role.AUDITOR, "审计 赵审计师"),
    }
    for unit in unit_list():
        users[f"unit_{unit.code}"] = demo_account(
            f"unit_{unit.code}",
            Role.UNIT_STAFF,
            f"{unit.short_name} 企服专员",
            unit=unit,
            phone=f"1380000{unit.code[-4:]}",
        )
    for i, provider in enumerate(providers, start=1):
        users[f"provider{i}"] = demo_account(
            f"provider{i}", Role.PROVIDER_USER, f"{provider.name[2:6]} 项目经理", provider=provider
        )
    for i, body in enumerate(bodies, start=1):
        users[f"evaluator{i}"] = demo_account(
            f"evaluator{i}", Role.EVALUATOR, f"{body.name[2:6]} 评测员", evaluation_body=body
        )
    return users
