"""Template filters of the diagnostics pages (index, assessments, reports)."""

from decimal import Decimal, InvalidOperation

from django import template

from diagnostics.scoring import plain_decimal

register = template.Library()


@register.filter
def points(value):
    """Points as exact decimal text without trailing zeros: 1.5000 → 1.5, 10 → 10, 43.675 → 43.675."""
    if value in (None, ""):
        return ""
    try:
        return str(plain_decimal(Decimal(str(value))))
    except (InvalidOperation, ValueError):
        return value
