"""Writes on providers, evaluation bodies and the district's assignments of enterprises to them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import credit_code as cc
from core.errors import DomainError, PermissionDenied

from .models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment
from .permissions import can_manage_providers


def _check(actor):
    allowed, reason = can_manage_providers(actor)
    if not allowed:
        raise PermissionDenied(reason)


def _checked_code(raw, model, *, exclude_pk=None):
    code = cc.normalise(raw)
    problem = cc.problem(code)
    if problem:
        raise DomainError("invalid_credit_code", problem[1], field="credit_code")
    if model.objects.filter(credit_code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(
            "duplicate_credit_code",
            _("A record with this credit code already exists."),
            field="credit_code",
            status=409,
        )
    return code


def _not_future(value, field):
    if value and value > timezone.localdate():
        raise DomainError("date_in_future", _("The date cannot be in the future."), field=field)


def _save(obj, actor):
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("invalid", " ".join(messages), field=field) from exc
    obj._history_user = actor
    obj.save()
    return obj


@transaction.atomic
def provider_create(*, actor, credit_code, name, type, contact_name="", contact_phone="", key_provider_since=None):
    """Add a service provider to the district's resource pool."""
    _check(actor)
    _not_future(key_provider_since, "key_provider_since")
    provider = Provider(
        credit_code=_checked_code(credit_code, Provider),
        name=name.strip(),
        type=type,
        contact_name=contact_name,
        contact_phone=contact_phone,
        key_provider_since=key_provider_since,
    )
    return _save(provider, actor)


@transaction.atomic
def provider_update(*, actor, provider, **changes):
    """Change a provider's facts; ``key_provider_since`` designates (or, with None, revokes) a 重点服务商."""
    _check(actor)
    if "credit_code" in changes:
        changes["credit_code"] = _checked_code(changes["credit_code"], Provider, exclude_pk=provider.pk)
    _not_future(changes.get("key_provider_since"), "key_provider_since")
    for field, value in changes.items():
        setattr(provider, field, value)
    return _save(provider, actor)


@transaction.atomic
def evaluation_body_create(*, actor, credit_code, name, contact_name="", contact_phone=""):
    """Register a third-party evaluation body (第三方机构)."""
    _check(actor)
    body = EvaluationBody(
        credit_code=_checked_code(credit_code, EvaluationBody),
        name=name.strip(),
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    return _save(body, actor)


@transaction.atomic
def provider_assign(*, actor, enterprise, provider, assigned_on=None):
    """Assign an enterprise to a provider, which from then on sees and serves it. Idempotent."""
    _check(actor)
    assigned_on = assigned_on or timezone.localdate()
    _not_future(assigned_on, "assigned_on")
    existing = ProviderAssignment.objects.filter(enterprise=enterprise, provider=provider).first()
    if existing:
        return existing
    return _save(
        ProviderAssignment(enterprise=enterprise, provider=provider, assigned_on=assigned_on, assigned_by=actor), actor
    )


@transaction.atomic
def evaluator_assign(*, actor, enterprise, evaluation_body, assigned_on: datetime.date | None = None):
    """Assign an enterprise to an evaluation body for on-site evaluation and acceptance. Idempotent."""
    _check(actor)
    assigned_on = assigned_on or timezone.localdate()
    _not_future(assigned_on, "assigned_on")
    existing = EvaluatorAssignment.objects.filter(enterprise=enterprise, evaluation_body=evaluation_body).first()
    if existing:
        return existing
    return _save(
        EvaluatorAssignment(
            enterprise=enterprise, evaluation_body=evaluation_body, assigned_on=assigned_on, assigned_by=actor
        ),
        actor,
    )
