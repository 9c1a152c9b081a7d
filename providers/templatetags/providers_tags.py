"""Template helpers of the provider pages: code lists as names, dict lookups, point bars."""

from django import template

from enterprises.choices import Sector

from ..choices import SCENE_LABELS

register = template.Library()


@register.filter
def scene_names(codes):
    """``["product_design", "marketing"]`` → ``产品设计、营销管理``."""
    return "、".join(SCENE_LABELS.get(code, code) for code in codes or [])


@register.filter
def sector_names(codes):
    labels = dict(Sector.choices)
    return "、".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` (``None`` when absent), for dicts keyed by a variable."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def points_of(card, code):
    """The points of metric ``code`` on a scorecard (``None`` without data)."""
    return (card.metrics.get(code) or {}).get("points")


@register.filter
def value_of(card, code):
    return (card.metrics.get(code) or {}).get("value")
