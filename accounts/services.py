"""Writes on users: create, change role, deactivate, reset password, unlock; throttled log-in."""

import secrets
import string

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.history import save_with_history
from core.roles import Role

from . import throttle, two_factor
from .permissions import can_manage_users
from .tokens import EndReason, end_tokens

User = get_user_model()

_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def one_time_password():
    """A random 14-character password the admin hands over; the user must change it at first log-in."""
    while True:
        value = (
            "".join(secrets.choice(_ALPHABET) for _ in range(12)) + secrets.choice("#@%+") + secrets.choice("23456789")
        )
        if any(c.isupper() for c in value) and any(c.islower() for c in value):
            return value


def authenticate_throttled(*, request, username, password, address):
    """Check a user name and password, counting failures per (user name, address).

    Returns the user, or raises ``DomainError`` with code ``login_locked`` or ``login_failed``.
    """
    if throttle.is_locked(username, address):
        raise DomainError(
            "login_locked",
            _(
                "Too many failed log-ins for this user from your address. Try again later or ask the administrator to unlock the account."
            ),
            status=429,
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.record_failure(username, address)
        raise DomainError(
            "login_failed", _("The user name or password is wrong, or the account is deactivated."), status=400
        )
    throttle.record_success(username, address)
    return user


def _check_admin(actor):
    allowed, reason = can_manage_users(actor)
    if not allowed:
        raise PermissionDenied(reason)


def _validate_organisation(role, unit, provider, evaluation_body):
    needs = {
        Role.UNIT_STAFF: ("unit", unit, _("Street/town staff need a unit.")),
        Role.PROVIDER_USER: ("provider", provider, _("Provider users need a service provider.")),
        Role.EVALUATOR: ("organisation", evaluation_body, _("Evaluators need an evaluation body.")),
    }
    if role in needs:
        field, value, message = needs[role]
        if value is None:
            raise DomainError("organisation_required", message, field=field)


@transaction.atomic
def user_create(
    *,
    actor,
    username,
    role,
    password=None,
    unit=None,
    provider=None,
    evaluation_body=None,
    display_name="",
    phone="",
    email="",
):
    """Create a user with one role and, where the role needs it, its organisation.

    Without ``password`` a one-time password is issued and the user must change it at the
    first log-in. Returns ``(user, one_time_password_or_None)``.
    """
    _check_admin(actor)
    if role not in Role.values:
        raise DomainError("invalid_role", _("Unknown role."), field="role")
    _validate_organisation(role, unit, provider, evaluation_body)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError("username_taken", _("This user name is already taken."), field="username")
    issued = None
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        phone=phone,
        email=email,
        unit=unit if role == Role.UNIT_STAFF else None,
        provider=provider if role == Role.PROVIDER_USER else None,
        evaluation_body=evaluation_body if role == Role.EVALUATOR else None,
        is_staff=role == Role.ADMIN,
    )
    if password is None:
        issued = one_time_password()
        user.set_password(issued)
        user.must_change_password = True
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("weak_password", " ".join(exc.messages), field="password") from exc
        user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("invalid_user", " ".join(messages), field=field) from exc
    save_with_history(user, actor=actor, clean=False)
    return user, issued


@transaction.atomic
def user_update(
    *, actor, user, role, unit=None, provider=None, evaluation_body=None, display_name="", phone="", email=""
):
    """Change a user's role, organisation and contact details."""
    _check_admin(actor)
    _validate_organisation(role, unit, provider, evaluation_body)
    user.role = role
    user.unit = unit if role == Role.UNIT_STAFF else None
    user.provider = provider if role == Role.PROVIDER_USER else None
    user.evaluation_body = evaluation_body if role == Role.EVALUATOR else None
    user.display_name, user.phone, user.email = display_name, phone, email
    user.is_staff = role == Role.ADMIN or user.is_superuser
    save_with_history(user, actor=actor, clean=False)
    return user


@transaction.atomic
def user_set_active(*, actor, user, active):
    """Deactivate (or reactivate) a user. A deactivated user cannot log in and its tokens stop working."""
    _check_admin(actor)
    if user.pk == actor.pk and not active:
        raise DomainError("cannot_deactivate_self", _("You cannot deactivate your own account."))
    user.is_active = active
    save_with_history(user, actor=actor, clean=False, update_fields=["is_active"])
    if not active:
        end_tokens(user, EndReason.DEACTIVATED)
    return user


@transaction.atomic
def user_reset_password(*, actor, user):
    """Issue a one-time password (no e-mail on an offline intranet); returns it for the admin to hand over."""
    _check_admin(actor)
    issued = one_time_password()
    user.set_password(issued)
    user.must_change_password = True
    save_with_history(user, actor=actor, clean=False, update_fields=["password", "must_change_password"])
    end_tokens(user, EndReason.PASSWORD_CHANGED)
    throttle.unlock(user.username)
    return issued


def user_unlock(*, actor, user):
    """Lift a log-in lockout of ``user`` from every address."""
    _check_admin(actor)
    throttle.unlock(user.username)
    throttle.unlock(two_factor.throttle_scope(user.username))


@transaction.atomic
def user_reset_two_factor(*, actor, user):
    """Forget a user's authenticator and recovery codes (a lost phone); they enrol again at the next log-in."""
    _check_admin(actor)
    two_factor.reset(user)


@transaction.atomic
def user_change_own_password(*, user, new_password, old_password=None, field="new_password1"):
    """The user sets a password of their own (after a one-time password, or any time). With ``old_password``
    (the API), the current password is checked first. Every API token of the user ends."""
    if old_password is not None and not user.check_password(old_password):
        raise DomainError("wrong_password", _("The current password is wrong."), field="old_password")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field=field) from exc
    user.set_password(new_password)
    user.must_change_password = False
    save_with_history(user, actor=user, clean=False, update_fields=["password", "must_change_password"])
    end_tokens(user, EndReason.PASSWORD_CHANGED)
    return user
