"""Template filters of the assessment pages."""

from decimal import Decimal, InvalidOperation

from django import template

from diagnostics.scoring import _plain

register = template.Library()


@register.filter
def points(value):
    """Points as exact decimal text without trailing zeros: 1.5000 → 1.5, 10 → 10, 43.675 → 43.675."""
    if value in (None, ""):
        return ""
    try:
        return str(_plain(Decimal(str(value))))
    except (InvalidOperation, ValueError):
        return value
