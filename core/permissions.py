"""Permission plumbing shared by every app: predicates return ``(allowed, reason)``; services ``require`` them.

An app's ``permissions.py`` holds its predicates ``can_<action>(user, obj=None) -> (bool, reason)``
(the reason is text a person can read); a service calls ``require(can_x(actor, obj))`` and a view
uses the same predicate to show or hide the action. The predicates about every record live here.
"""

from django.utils.translation import gettext_lazy as _

from .errors import PermissionDenied
from .roles import Role, has_role

#: Roles that read the field-level history of records (who changed what, when).
HISTORY_READERS = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR})

OK = (True, "")


def require(result, *, code="permission_denied"):
    """Raise ``PermissionDenied`` with the predicate's reason unless ``result`` allows the action."""
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason, code=code)


def may_act_as(user, *roles, reason):
    """``OK`` when ``user`` holds one of ``roles`` (admins always may), else ``(False, reason)``.

    The whole body of a predicate that checks the role only; ``reason`` says who may, when refused."""
    if has_role(user, *roles):
        return OK
    return False, reason


def allowed(result) -> bool:
    """The yes/no of a predicate's ``(allowed, reason)``, for templates and views."""
    return bool(result[0])


def can_see_history(user, obj=None):
    """District officials, auditors and admins read the history of every record they can see."""
    return may_act_as(
        user, *HISTORY_READERS, reason=_("Only district officials and auditors read the history of records.")
    )
