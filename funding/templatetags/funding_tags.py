from django import template

from core.money import format_percent, format_yuan
from funding import permissions

register = template.Library()


@register.simple_tag
def ledger_reader(user):
    """True when ``user`` may see the fund ledger (the sub-navigation shows its tabs)."""
    return permissions.can_see_ledger(user)[0]


@register.filter
def yuan(value):
    """An exact amount in 元 with thousands separators and two decimals."""
    return format_yuan(value, unit=False)


@register.filter
def percent(value):
    """A fraction as a percentage with one decimal (None → —), by the portal's one rule (core.money)."""
    return format_percent(value)
