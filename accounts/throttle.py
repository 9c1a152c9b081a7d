"""Log-in throttling against password guessing, in the shared cache.

Failures are counted per (user name, client address): guessing one account from one
address is stopped after ``LOGIN_FAILURE_LIMIT`` failures for ``LOGIN_LOCKOUT_SECONDS``,
while other users signing in from the same address (browser tests, load tests, an office
behind one NAT) are not locked out. An administrator's "unlock" bumps a per-user
generation number, which retires every counter of that user at once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _user_key(username):
    return hashlib.sha256(str(username).strip().lower().encode("utf-8")).hexdigest()[:32]


def _generation(username):
    return cache.get(f"login:gen:{_user_key(username)}", 0)


def _fail_key(username, address):
    return f"login:fail:{_user_key(username)}:{_generation(username)}:{address or '-'}"


def _locked_marker(username):
    return f"login:locked:{_user_key(username)}:{_generation(username)}"


def is_locked(username, address):
    """True when this user name may not try again from this address for now."""
    return cache.get(_fail_key(username, address), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username, address):
    """Count one failed attempt; returns the number of failures so far."""
    key = _fail_key(username, address)
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    if cache.add(key, 1, timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
            count = 1
    if count >= settings.LOGIN_FAILURE_LIMIT:
        cache.set(_locked_marker(username), True, timeout)
    return count


def record_success(username, address):
    cache.delete(_fail_key(username, address))


def has_lockout(username):
    """True when the user was locked out from some address recently (shown to the admin)."""
    return bool(cache.get(_locked_marker(username)))


def unlock(username):
    """Retire every failure counter of ``username``."""
    key = f"login:gen:{_user_key(username)}"
    cache.set(key, _generation(username) + 1, None)
