"""The navigation: each role sees what it may use, nothing more.

Later issues add their entries here (one list, so the menu stays in one place).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role, role_of

ALL = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset


DISTRICT = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL})
READ_ALL = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR})

NAV_ITEMS = [
    NavItem(_("Home"), "home", "house", ALL),
    NavItem(_("Pilot enterprises"), "enterprises:list", "buildings", ALL),
    NavItem(_("Awaiting confirmation"), "enterprises:confirm_queue", "check2-square", DISTRICT),
    NavItem(_("Streets and towns"), "enterprises:unit_overview", "geo-alt", READ_ALL | {Role.UNIT_STAFF}),
    NavItem(_("Roster upload"), "enterprises:import", "upload", DISTRICT | {Role.UNIT_STAFF}),
    NavItem(
        _("Audit history"),
        "core:audit_history",
        "clock-history",
        frozenset({Role.ADMIN, Role.AUDITOR, Role.DISTRICT_OFFICIAL}),
    ),
    NavItem(_("Users"), "accounts:user_list", "people", frozenset({Role.ADMIN})),
    NavItem(_("API"), "api-docs", "braces", ALL),
]


def nav_for(user, current_path=""):
    role = role_of(user)
    if role is None:
        return []
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": False, "_match": matches})
    # The most specific entry is the active one (/enterprises/import/ over /enterprises/).
    best = max((i for i in items if i["_match"]), key=lambda i: len(i["url"]), default=None)
    for i in items:
        i["active"] = i is best
        del i["_match"]
    return items
