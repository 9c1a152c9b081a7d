from django import template
from django.utils.http import urlencode

from core.money import format_percent, format_wan, format_yuan
from core.privacy import phone_for

register = template.Library()


@register.simple_tag(takes_context=True)
def phone(context, value):
    """A phone number, masked unless the viewer's role needs it."""
    return phone_for(context["request"].user, value)


@register.filter
def wan_yuan(value):
    """元 shown as the figure in 万元 with two decimals, without the unit (a table whose header names it)."""
    return format_wan(value, unit=False)


@register.filter
def money(value):
    """An amount in 元, exact, with its unit: ``1,234.50 元``."""
    return format_yuan(value)


@register.filter
def money_wan(value):
    """An amount in 元 shown in 万元 with its unit: ``12.35 万元`` (officials read large sums so)."""
    return format_wan(value)


@register.filter
def percent(value):
    """A fraction as a percent with one decimal (``0.9`` → ``90.0%``; no value → —)."""
    return format_percent(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + urlencode(sorted(query.lists()), doseq=True)
