from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from core.money import format_percent, format_wan, format_yuan
from core.privacy import phone_for

register = template.Library()


@register.simple_tag(takes_context=True)
def phone(context, value):
    """A phone number, masked unless the viewer's role needs it."""
    return phone_for(context["request"].user, value)


# The money policy (docs/style.md "Money on the page"): amounts are kept in 元; officials' pages show them in
# 万元, the exact 元 on hover (the title) and on the record's own detail; every figure names its unit, in the
# cell or in its column's header.


def _wan_span(value, text):
    if value in (None, ""):
        return ""
    return format_html('<span class="money" title="{}" data-yuan="{}">{}</span>', format_yuan(value), value, text)


@register.filter
def wan_yuan(value):
    """元 shown as the figure in 万元 with two decimals, without the unit (a table whose header names it); the
    exact 元 on hover."""
    return _wan_span(value, format_wan(value, unit=False))


@register.filter
def money(value):
    """An amount in 元, exact, with its unit: ``1,234.50 元``."""
    return format_yuan(value)


@register.filter
def money_wan(value):
    """An amount in 元 shown in 万元 with its unit: ``12.35 万元`` (officials read large sums so); the exact 元
    on hover."""
    return _wan_span(value, format_wan(value))


@register.filter
def money_both(value):
    """A record's own amount, in both units: ``38.00 万元（380,000.00 元）`` (its detail page, a confirmation)."""
    if value in (None, ""):
        return ""
    return format_html(
        '<span class="money" data-yuan="{}">{} <span class="text-muted">（{}）</span></span>',
        value,
        format_wan(value),
        format_yuan(value),
    )


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
