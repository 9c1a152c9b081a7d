"""Writes of the street/town assessment: the district edits the weights of the scoring template; each changed
weight is saved with its history (who, when, old → new, why), which ``selectors.weight_history`` reads."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.history import save_with_history

from .choices import Part
from .models import AssessmentPart
from .permissions import can_edit_weights

MAX_WEIGHT = Decimal(100)


def _parse_weight(raw, label):
    text = str(raw if raw is not None else "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return None, _("{part}: “{value}” is not a number.").format(part=label, value=raw)
    if value < 0 or value > MAX_WEIGHT:
        return None, _("{part}: a weight is from 0 to 100.").format(part=label)
    if value != value.quantize(Decimal("0.01")):
        return None, _("{part}: at most two decimals.").format(part=label)
    return value, None


@transaction.atomic
def weights_set(*, actor, values, reason=""):
    """Set the template's weights from ``values`` = ``{part key: weight text or Decimal}`` (the parts not named
    keep theirs). All or nothing: one refused weight refuses the change; the weights may not all be 0. Each
    changed weight is saved with ``actor`` and ``reason`` in its history; unchanged ones write nothing. Returns
    the number of weights changed."""
    allowed, message = can_edit_weights(actor)
    if not allowed:
        raise PermissionDenied(message)
    parts = {p.key: p for p in AssessmentPart.objects.select_for_update().order_by("order", "key")}
    parsed = {}
    for key, raw in values.items():
        part = parts.get(str(key))
        if part is None:
            raise DomainError("unknown_part", _("Unknown part of the assessment: {key}.").format(key=key), field=key)
        value, error = _parse_weight(raw, Part(part.key).label)
        if error:
            raise DomainError("invalid_weight", error, field=part.key)
        parsed[part.key] = value
    final = {key: parsed.get(key, part.weight) for key, part in parts.items()}
    if not any(final.values()):
        raise DomainError("no_weight", _("At least one part needs a weight above 0."), field=None)
    changed = 0
    for key, value in parsed.items():
        part = parts[key]
        if part.weight == value:
            continue
        part.previous_weight = part.weight
        part.weight = value
        part.updated_by = actor
        save_with_history(part, actor=actor, reason=reason)
        changed += 1
    return changed
