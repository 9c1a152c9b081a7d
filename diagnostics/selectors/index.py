"""Reads of the index: its editions, one edition laid out for reading, and an edition's scenes and
item codes (cached: an edition's data is fixed once assessments and reports are scored against it)."""

from functools import lru_cache

from ..models import IndexEdition, Item, Scene


def current_edition():
    """The current index edition (the 2024 one unless an administrator loaded another)."""
    return IndexEdition.objects.filter(is_current=True).first() or IndexEdition.objects.order_by("-code").first()


def edition_by_code(code):
    """The edition with ``code`` or ``None``; a blank code means the current edition."""
    if code in (None, ""):
        return current_edition()
    return IndexEdition.objects.filter(code=str(code)).first()


def edition_list():
    return IndexEdition.objects.order_by("-is_current", "-code")


def edition_detail(edition):
    """The edition laid out for reading: dimensions with items and options, scenes, level rules."""
    return {
        "dimensions": edition.dimensions.prefetch_related("items__options").order_by("order"),
        "scenes": edition.scenes.order_by("order"),
        "level_rules": edition.level_rules.order_by("-level"),
    }


@lru_cache(maxsize=16)
def _scene_rows(edition_id):
    return tuple(
        {"code": s.code, "name": s.name, "constraint": s.constraint, "order": s.order}
        for s in Scene.objects.filter(edition_id=edition_id).order_by("order")
    )


def scene_table(edition_id):
    """The edition's scenes in order: ``[{"code", "name", "constraint", "order"}]`` (cached: index
    data of an edition is fixed once reports are scored against it)."""
    rows = _scene_rows(edition_id)
    if not rows:  # not loaded yet (or truncated by a test): do not cache an empty edition
        _scene_rows.cache_clear()
    return list(rows)


@lru_cache(maxsize=16)
def _item_codes(edition_id):
    return tuple(
        Item.objects.filter(dimension__edition_id=edition_id, dimension__scored=True)
        .order_by("dimension__order", "order")
        .values_list("code", flat=True)
    )


def item_codes(edition_id):
    codes = _item_codes(edition_id)
    if not codes:
        _item_codes.cache_clear()
    return codes
