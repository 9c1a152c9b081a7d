"""Saving a record with its history: the one way services write a versioned row.

Every domain model keeps field-level history (django-simple-history). A service that changes a
record names the acting user and, for a workflow step, the reason; both land on the history row.
The history table keeps the reason in a column of limited length, so the reason is fitted to it
here, once: a reason of any length is accepted, the history keeps as much as fits (ending in
"…"), and the full text stays wherever the service also records it (transitions, events).
"""

from django.core.exceptions import ValidationError

from .errors import DomainError

ELLIPSIS = "…"


def domain_error(exc: ValidationError) -> DomainError:
    """A model ``ValidationError`` as the portal's ``DomainError`` (first field at fault, its messages)."""
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
    else:
        field, messages = "__all__", exc.messages
    return DomainError("invalid", " ".join(messages), field=None if field == "__all__" else field)


def reason_limit(model) -> int | None:
    """How many characters the history of ``model`` keeps of a change reason (None: no history)."""
    history = getattr(model, "history", None)
    if history is None:
        return None
    return history.model._meta.get_field("history_change_reason").max_length


def fit_reason(model, reason) -> str:
    """``reason`` cut to what ``model``'s history column holds, marked with "…" when cut."""
    text = str(reason or "").strip()
    limit = reason_limit(model)
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)] + ELLIPSIS


def set_history(obj, *, actor, reason=""):
    """Name the actor and the (fitted) reason on the history row the next save or delete of ``obj`` writes."""
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    text = fit_reason(type(obj), reason)
    if text:
        obj._change_reason = text
    elif hasattr(obj, "_change_reason"):
        del obj._change_reason
    return obj


def save_with_history(obj, *, actor, reason="", clean=True, exclude=None, validate_unique=True, update_fields=None):
    """Validate ``obj`` (``full_clean``, errors as ``DomainError``), then save it with its history row.

    ``exclude`` and ``validate_unique`` are passed to ``full_clean``; ``clean=False`` skips it (for a
    save that only moves a status the service has checked itself)."""
    if clean:
        try:
            obj.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as exc:
            raise domain_error(exc) from exc
    set_history(obj, actor=actor, reason=reason)
    obj.save(update_fields=update_fields)
    return obj
