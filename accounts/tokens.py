"""API tokens that end (docs/api.md "Tokens"): issue, authenticate, end.

A key is 40 random hexadecimal characters, shown to its owner once; the database keeps its SHA-256 only, so a copy
of the database opens nothing. ``TokenAuthentication`` (the REST framework's ``Authorization: Token <key>``
scheme) looks a key up by its digest and refuses it once revoked or expired; the user must be active."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken

#: How often the last use of a token is written, at most (one write per request would be one too many).
LAST_USE_RESOLUTION = timedelta(minutes=5)
DEFAULT_CLIENT = "API"


class EndReason:
    LOGOUT = "logout"
    REVOKED = "revoked"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (why a token ended, not a password)
    DEACTIVATED = "deactivated"
    REPLACED = "replaced"


def key_digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_lifetime():
    return timedelta(hours=settings.PORTAL_TOKEN_TTL_HOURS)


@transaction.atomic
def issue_token(user, *, name=None):
    """A new token for ``user``; returns ``(token, key)``.

    Named for the client that will use it, a token is that client's only one: a live token of the same user and
    name is ended (replaced) by the new one. Without a name (a plain log-in) it is called ``API`` and ends
    nothing, so two scripts logging in as one user keep their own tokens."""
    now = timezone.now()
    name = (name or "").strip()[:64]
    if name:
        _end(ApiToken.objects.live(now).filter(user=user, name=name), EndReason.REPLACED, now)
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name or DEFAULT_CLIENT,
        key_hash=key_digest(key),
        prefix=key[:8],
        expires_at=now + token_lifetime(),
    )
    return token, key


def _end(tokens, reason, now=None):
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now(), revoked_reason=reason)


def end_tokens(user, reason):
    """End every token of ``user`` (a password change, a deactivation). Returns how many were live."""
    return _end(ApiToken.objects.filter(user=user), reason)


def end_token(token, reason):
    return _end(ApiToken.objects.filter(pk=token.pk), reason)


def live_token(key, now=None):
    """The live token of ``key`` with its user, or None (unknown, revoked, expired, or the user inactive)."""
    now = now or timezone.now()
    return (
        ApiToken.objects.live(now).select_related("user").filter(key_hash=key_digest(key), user__is_active=True).first()
    )


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` against :class:`ApiToken`; ``request.auth`` is the token."""

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = live_token(key, now)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, has ended or has expired: log in again."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
