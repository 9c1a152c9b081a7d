"""Credit-code checks for the registry: normalise, validate, and the district's override."""

from django.utils.translation import gettext as _

from core import credit_code as cc
from core.errors import DomainError

from .permissions import can_override_code


def checked_credit_code(raw, *, actor=None, override_reason=""):
    """The normalised code, or ``DomainError`` (field ``credit_code``) saying what is wrong.

    A code failing only its check character is accepted when ``override_reason`` is given by a
    district official or admin (codes issued before GB 32100-2015 sometimes fail it).
    """
    code = cc.normalise(raw)
    if not code:
        raise DomainError("credit_code_required", _("The credit code is required."), field="credit_code")
    problem = cc.problem(code)
    if problem is None:
        return code
    kind, message = problem
    if kind == "check" and override_reason and override_reason.strip():
        allowed, reason = can_override_code(actor)
        if not allowed:
            raise DomainError("override_not_allowed", reason, field="credit_code_override_reason", status=403)
        return code
    raise DomainError("invalid_credit_code", message, field="credit_code")
