"""Reads of core records."""

from django.conf import settings

from .models import OrgUnit


def unit_list():
    """The units below the portal's district (18 for Songjiang), ordered by code."""
    return OrgUnit.objects.filter(parent__code=settings.PORTAL_DISTRICT_CODE).order_by("code")


def unit_lookup():
    """A dict from every way a roster may name a unit (code, name, name without suffix, alias) to the unit."""
    table = {}
    for unit in unit_list():
        names = {unit.code, unit.name, unit.short_name, *unit.aliases}
        for suffix in ("街道", "镇"):
            if unit.name.endswith(suffix):
                names.add(unit.name[: -len(suffix)])
        for name in names:
            table[name.strip()] = unit
    return table
