from django import template
from django.utils.http import urlencode

from core.privacy import phone_for

register = template.Library()


@register.simple_tag(takes_context=True)
def phone(context, value):
    """A phone number, masked unless the viewer's role needs it."""
    return phone_for(context["request"].user, value)


@register.filter
def wan_yuan(value):
    """元 shown as 万元 with two decimals (officials read money in 万元)."""
    if value in (None, ""):
        return ""
    return f"{value / 10000:,.2f}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + urlencode(sorted(query.lists()), doseq=True)
