"""Two-factor log-in (TOTP) for the roles named in ``PORTAL_TWO_FACTOR_ROLES`` (off by default).

A user of such a role enrols an authenticator app once (a django-otp ``TOTPDevice``, confirmed with a code) and
receives ten recovery codes (a ``StaticDevice``; each works once). From then on the log-in page asks for a code
after the password, and the token endpoint needs ``"otp"`` (docs/api.md "Tokens"). Until enrolled, such a user
may only reach the enrolment page (``TwoFactorRequiredMiddleware``). Wrong codes are counted like wrong
passwords (``accounts.throttle``, per user name and address, under a scope of their own)."""

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.roles import role_of

from . import throttle

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"


def throttle_scope(username):
    """The throttle's key for code attempts: apart from the password counter, reset with it by an unlock."""
    return f"otp:{username}"


def roles():
    return frozenset(settings.PORTAL_TWO_FACTOR_ROLES)


def required_for(user):
    """True when ``user``'s role must log in with a second factor."""
    role = role_of(user)
    return role is not None and role.value in roles()


def authenticator(user):
    """The user's confirmed authenticator, or None (not enrolled)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def pending_device(user):
    """The authenticator being enrolled (unconfirmed), made on first call; its key stays until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret(device):
    """The key as the base32 text an authenticator app accepts typed in."""
    from base64 import b32encode

    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_data_uri(device):
    """The device's otpauth:// address as an SVG QR code (a data: URI, which the CSP's img-src allows)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _clean(code):
    return "".join(str(code or "").split())[:64]


@transaction.atomic
def confirm_enrolment(*, user, code):
    """Confirm the pending authenticator with a code from it; returns ``(device, recovery_codes)``.

    Any earlier authenticator and recovery codes of the user are replaced."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(_clean(code)):
        raise DomainError(
            "otp_invalid", _("The code is wrong or has expired: type the code the app shows now."), field="code"
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh recovery codes (the earlier ones stop working); shown once, kept as the device's tokens."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def reset(user):
    """Forget the user's authenticator and recovery codes (a lost phone): the next log-in enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    throttle.unlock(throttle_scope(user.username))


def is_locked(user, address):
    return throttle.is_locked(throttle_scope(user.username), address)


def check_code(*, user, code, address, field="code"):
    """The device that accepts ``code`` (an authenticator code or an unused recovery code, which is used up).

    Raises ``DomainError``: ``login_locked`` (429) after too many wrong codes from this address, ``otp_invalid``
    for a wrong, replayed or used code."""
    if throttle.is_locked(throttle_scope(user.username), address):
        raise DomainError(
            "login_locked",
            _("Too many wrong codes for this user from your address. Try again later or ask the administrator."),
            status=429,
        )
    device = match_token(user, _clean(code)) if _clean(code) else None
    if device is None:
        throttle.record_failure(throttle_scope(user.username), address)
        raise DomainError(
            "otp_invalid",
            _("The code is wrong, has expired or was used already: type the code your app shows now."),
            field=field,
        )
    throttle.record_success(throttle_scope(user.username), address)
    return device


def check_api_code(*, user, code, address):
    """The token endpoint's second factor: 401 ``otp_required`` without a good code (docs/api.md "Tokens")."""
    if not required_for(user):
        return None
    if not is_enrolled(user):
        raise DomainError(
            "otp_required",
            _("Two-factor log-in is required for your role: enrol an authenticator on the portal's page first."),
            field="otp",
            status=401,
        )
    if not _clean(code):
        raise DomainError(
            "otp_required",
            _("Two-factor log-in is required for your role: send the code of your authenticator as otp."),
            field="otp",
            status=401,
        )
    try:
        return check_code(user=user, code=code, address=address, field="otp")
    except DomainError as exc:
        if exc.code == "otp_invalid":
            raise DomainError("otp_required", exc.message, field="otp", status=401) from exc
        raise
