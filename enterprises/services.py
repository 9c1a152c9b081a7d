"""Writes on the registry: create, edit, confirm, decline, withdraw (with replacement), reinstate,
move between units, accept a credit code. Each records a status change with actor, date and reason
in the same transaction (docs/style.md habits 1 and 4)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from books import services as books
from core.errors import Conflict, DomainError
from core.history import save_with_history
from core.permissions import require
from core.roles import DISTRICT_ROLES, role_of
from core.services import not_in_future
from notifications.choices import NotificationKind as Notice
from notifications.services import district_officials, notify_event

from . import permissions
from .choices import Status, WithdrawalReason
from .codes import checked_credit_code
from .models import Enterprise, EnterpriseStatusChange, UnitQuota

#: Facts an edit may change (status, unit and code have their own actions).
EDITABLE_FIELDS = (
    "name",
    "sector",
    "scale",
    "size",
    "tier",
    "pilot_year",
    "pilot_batch",
    "registered_address",
    "production_address",
    "founded_on",
    "contact_name",
    "contact_phone",
    "main_products",
    "stats_year",
    "employees",
    "employees_previous",
    "revenue",
    "revenue_previous",
    "cloud_verified_on",
    "cloud_services",
)
DATE_FIELDS = ("founded_on", "cloud_verified_on")


def _today():
    return timezone.localdate()


def enterprise_link(enterprise):
    """The path of an enterprise's file, for the notifications about it."""
    return reverse("enterprises:detail", args=[enterprise.pk])


def _locked(enterprise):
    """The enterprise's row again, locked until the transaction ends."""
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _check_status(enterprise, allowed, code, message):
    """``Conflict`` unless the enterprise's status is one of ``allowed``; ``message`` may name the ``{status}``."""
    if enterprise.status not in allowed:
        raise Conflict(code, message.format(status=enterprise.get_status_display()))


def _required_text(value, message, *, field):
    """``value`` stripped, or ``DomainError`` with ``message`` when it is empty."""
    if not value or not value.strip():
        raise DomainError("reason_required", message, field=field)
    return value.strip()


def _check_facts(facts):
    """Refuse a field an edit may not change, and a date in the future."""
    unknown = set(facts) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    for field in DATE_FIELDS:
        not_in_future(facts.get(field), field)


def _check_code_free(code, *, enterprise=None):
    """Refuse a credit code another enterprise (not ``enterprise``) is registered under."""
    others = Enterprise.objects.filter(credit_code=code)
    if enterprise is not None:
        others = others.exclude(pk=enterprise.pk)
    if others.exists():
        raise DomainError(
            "duplicate_credit_code",
            _("An enterprise with this credit code is already registered."),
            field="credit_code",
            status=409,
        )


def initial_status(actor):
    """Enterprises added by the district enter the pilot list at once; a unit's are proposed."""
    return Status.ACTIVE if role_of(actor) in DISTRICT_ROLES else Status.PROPOSED


def _record(
    enterprise,
    *,
    actor,
    kind,
    happened_on,
    from_status="",
    to_status="",
    reason="",
    note="",
    replacement=None,
    from_unit=None,
    to_unit=None,
):
    return EnterpriseStatusChange.objects.create(
        enterprise=enterprise,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        happened_on=happened_on,
        reason=reason,
        note=note[:500],
        replacement=replacement,
        from_unit=from_unit,
        to_unit=to_unit,
        actor=actor,
    )


def _set_status(enterprise, status, *, actor, kind, happened_on, history_reason, **change):
    """Move the enterprise to ``status``, save it with history and record the change (from → to)."""
    books.guard(happened_on, record=enterprise, actor=actor)
    previous = enterprise.status
    enterprise.status = status
    save_with_history(enterprise, actor=actor, validate_unique=False, reason=history_reason)
    _record(
        enterprise, actor=actor, kind=kind, happened_on=happened_on, from_status=previous, to_status=status, **change
    )
    return enterprise


@transaction.atomic
def enterprise_create(
    *, actor, credit_code, name, unit, sector, scale, size, tier="none", credit_code_override_reason="", **facts
):
    """Register an enterprise. Unit staff only in their own unit (it is then *proposed*); the
    district's additions are *active* at once. The credit code is the natural key."""
    require(permissions.can_create_in_unit(actor, unit))
    code = checked_credit_code(credit_code, actor=actor, override_reason=credit_code_override_reason)
    _check_code_free(code)
    _check_facts(facts)
    books.guard(facts.get("cloud_verified_on"), actor=actor)
    status = initial_status(actor)
    enterprise = Enterprise(
        credit_code=code,
        credit_code_override_reason=credit_code_override_reason.strip(),
        name=name.strip(),
        unit=unit,
        sector=sector,
        scale=scale,
        size=size,
        tier=tier or "none",
        status=status,
        created_by=actor,
        **facts,
    )
    save_with_history(enterprise, actor=actor, validate_unique=False)
    _record(enterprise, actor=actor, kind=EnterpriseStatusChange.Kind.CREATED, happened_on=_today(), to_status=status)
    if credit_code_override_reason.strip():
        _record(
            enterprise,
            actor=actor,
            kind=EnterpriseStatusChange.Kind.CODE_ACCEPTED,
            happened_on=_today(),
            note=credit_code_override_reason.strip(),
        )
    if status == Status.PROPOSED:
        notify_event(
            district_officials(), Notice.ENTERPRISE_PROPOSED, enterprise.name, link=enterprise_link(enterprise)
        )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise, credit_code=None, credit_code_override_reason=None, **changes):
    """Change an enterprise's facts (and, for the district, correct its credit code).

    ``cloud_verified_on`` records 上云用云 verification. Status and unit change only through
    their own actions, so that each is recorded with a reason.
    """
    enterprise = _locked(enterprise)
    require(permissions.can_edit(actor, enterprise))
    _check_facts(changes)
    code_changed = credit_code is not None and credit_code != enterprise.credit_code
    if code_changed or credit_code_override_reason:
        require(permissions.can_decide(actor))
        code = checked_credit_code(
            credit_code if credit_code is not None else enterprise.credit_code,
            actor=actor,
            override_reason=credit_code_override_reason or "",
        )
        _check_code_free(code, enterprise=enterprise)
        enterprise.credit_code = code
        if credit_code_override_reason:
            enterprise.credit_code_override_reason = credit_code_override_reason.strip()
            _record(
                enterprise,
                actor=actor,
                kind=EnterpriseStatusChange.Kind.CODE_ACCEPTED,
                happened_on=_today(),
                note=credit_code_override_reason.strip(),
            )
    if changes.get("cloud_verified_on", enterprise.cloud_verified_on) != enterprise.cloud_verified_on:
        books.guard(enterprise.cloud_verified_on, changes["cloud_verified_on"], record=enterprise, actor=actor)
    for field, value in changes.items():
        setattr(enterprise, field, value.strip() if isinstance(value, str) else value)
    return save_with_history(enterprise, actor=actor, validate_unique=False)


def _decide_proposal(enterprise, status, *, actor, kind, date, note, history_reason, refusal):
    """Confirm or decline a proposed enterprise: ``Conflict`` (``refusal``) unless it is still proposed."""
    enterprise = _locked(enterprise)
    _check_status(enterprise, (Status.PROPOSED,), "not_proposed", refusal)
    return _set_status(
        enterprise,
        status,
        actor=actor,
        kind=kind,
        happened_on=not_in_future(date, "date") or _today(),
        history_reason=history_reason,
        note=note,
    )


@transaction.atomic
def enterprise_confirm(*, actor, enterprise, date=None, note=""):
    """A proposed enterprise enters the pilot list (district officials and admins)."""
    require(permissions.can_decide(actor))
    return _decide_proposal(
        enterprise,
        Status.ACTIVE,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.CONFIRMED,
        date=date,
        note=note,
        history_reason="confirmed",
        refusal=_("Only a proposed enterprise can be confirmed; this one is {status}."),
    )


@transaction.atomic
def enterprise_confirm_many(*, actor, enterprises, date=None):
    """Confirm several proposed enterprises at once; all or none."""
    return [enterprise_confirm(actor=actor, enterprise=e, date=date) for e in enterprises]


@transaction.atomic
def enterprise_decline(*, actor, enterprise, reason, date=None):
    """The district declines a proposed enterprise, saying why."""
    require(permissions.can_decide(actor))
    reason = _required_text(reason, _("Say why the enterprise is declined."), field="reason")
    return _decide_proposal(
        enterprise,
        Status.DECLINED,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.DECLINED,
        date=date,
        note=reason,
        history_reason="declined",
        refusal=_("Only a proposed enterprise can be declined; this one is {status}."),
    )


@transaction.atomic
def enterprise_withdraw(*, actor, enterprise, reason, date=None, replacement=None, note=""):
    """Withdraw an enterprise from the pilot list (迁出, 停业, 拆迁, 重大责任事故, overdue, other).

    The unit names a replacement so that the total does not fall; the replacement must be a
    different enterprise that is proposed or active. Past dates are normal (history since 2024-10).
    """
    enterprise = _locked(enterprise)
    require(permissions.can_withdraw(actor, enterprise))
    if reason not in WithdrawalReason.values:
        raise DomainError("invalid_reason", _("Choose one of the withdrawal reasons."), field="reason")
    _check_status(
        enterprise,
        (Status.ACTIVE,),
        "not_active",
        _("Only an enterprise in the pilot list can be withdrawn; this one is {status}."),
    )
    happened_on = not_in_future(date, "date") or _today()
    if replacement is not None:
        replacement = _check_replacement(actor, enterprise, replacement)
    enterprise.withdrawn_on = happened_on
    enterprise.withdrawal_reason = reason
    enterprise.replacement = replacement
    _set_status(
        enterprise,
        Status.WITHDRAWN,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.WITHDRAWN,
        happened_on=happened_on,
        history_reason=f"withdrawn: {reason}",
        reason=reason,
        note=note,
        replacement=replacement,
    )
    if replacement is not None:
        _record_replacement(replacement, enterprise, actor=actor, happened_on=happened_on)
    notify_event(
        district_officials(),
        Notice.ENTERPRISE_WITHDRAWN,
        enterprise.name,
        link=enterprise_link(enterprise),
        body=enterprise.get_withdrawal_reason_display(),
        actor=actor,
    )
    return enterprise


def _record_replacement(replacement, enterprise, *, actor, happened_on):
    _record(
        replacement,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.REPLACEMENT,
        happened_on=happened_on,
        note=_("Replaces {name}").format(name=enterprise.name),
    )


def _check_replacement(actor, enterprise, replacement):
    if replacement.pk == enterprise.pk:
        raise DomainError("invalid_replacement", _("An enterprise cannot replace itself."), field="replacement")
    if replacement.status not in (Status.PROPOSED, Status.ACTIVE):
        raise DomainError(
            "invalid_replacement", _("The replacement must be proposed or in the pilot list."), field="replacement"
        )
    if not Enterprise.objects.visible_to(actor).filter(pk=replacement.pk).exists():
        raise DomainError(
            "invalid_replacement",
            _("The replacement is not an enterprise you can see."),
            field="replacement",
            status=404,
        )
    return replacement


@transaction.atomic
def enterprise_name_replacement(*, actor, enterprise, replacement):
    """Name (or change) the replacement of an enterprise already withdrawn."""
    enterprise = _locked(enterprise)
    require(permissions.can_withdraw(actor, enterprise))
    _check_status(enterprise, (Status.WITHDRAWN,), "not_withdrawn", _("Only a withdrawn enterprise has a replacement."))
    enterprise.replacement = _check_replacement(actor, enterprise, replacement)
    save_with_history(enterprise, actor=actor, validate_unique=False, reason="replacement named")
    _record_replacement(replacement, enterprise, actor=actor, happened_on=_today())
    return enterprise


@transaction.atomic
def enterprise_reinstate(*, actor, enterprise, note, date=None):
    """The district puts back a wrongly withdrawn (or declined) enterprise, saying why."""
    require(permissions.can_decide(actor))
    note = _required_text(note, _("Say why the enterprise is reinstated."), field="note")
    enterprise = _locked(enterprise)
    _check_status(
        enterprise,
        (Status.WITHDRAWN, Status.DECLINED),
        "not_withdrawn",
        _("Only a withdrawn or declined enterprise can be reinstated."),
    )
    happened_on = not_in_future(date, "date") or _today()
    books.guard(enterprise.withdrawn_on, happened_on, record=enterprise, actor=actor)
    enterprise.withdrawn_on = None
    enterprise.withdrawal_reason = ""
    return _set_status(
        enterprise,
        Status.ACTIVE,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.REINSTATED,
        happened_on=happened_on,
        history_reason="reinstated",
        note=note,
    )


@transaction.atomic
def enterprise_move(*, actor, enterprise, unit, note):
    """The district moves an enterprise to another unit (a correction), saying why."""
    require(permissions.can_decide(actor))
    note = _required_text(note, _("Say why the enterprise moves to another unit."), field="note")
    enterprise = _locked(enterprise)
    if enterprise.unit_id == unit.pk:
        raise DomainError("same_unit", _("The enterprise already belongs to this unit."), field="unit")
    previous = enterprise.unit
    enterprise.unit = unit
    save_with_history(enterprise, actor=actor, validate_unique=False, reason="moved")
    _record(
        enterprise,
        actor=actor,
        kind=EnterpriseStatusChange.Kind.MOVED,
        happened_on=_today(),
        from_unit=previous,
        to_unit=unit,
        note=note,
    )
    return enterprise


@transaction.atomic
def enterprise_levels_set(*, actor, enterprise, baseline_level, current_level):
    """Record the enterprise's baseline and current digital levels (0–4, or ``None`` when not evaluated).

    The levels are derived, not typed: diagnostics calls this after an authoritative on-site
    evaluation is submitted or removed, with the levels it recomputed from all of them (so the
    caller, not this function, decides who may trigger it). Saves (and writes history) only on change.
    """
    for field, value in (("baseline_level", baseline_level), ("current_level", current_level)):
        if value is not None and not (isinstance(value, int) and 0 <= value <= 4):
            raise DomainError("invalid_level", _("Digital levels run from 0 to 4."), field=field)
    enterprise = _locked(enterprise)
    if (enterprise.baseline_level, enterprise.current_level) == (baseline_level, current_level):
        return enterprise
    enterprise.baseline_level = baseline_level
    enterprise.current_level = current_level
    return save_with_history(enterprise, actor=actor, validate_unique=False, reason="levels from on-site evaluations")


@transaction.atomic
def unit_quota_set(*, actor, unit, required, note=""):
    """The district sets how many pilot enterprises a unit must keep."""
    require(permissions.can_decide(actor))
    quota = UnitQuota.objects.filter(unit=unit).first() or UnitQuota(unit=unit)
    quota.required = required
    quota.note = note
    return save_with_history(quota, actor=actor, clean=False)
