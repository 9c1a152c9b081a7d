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


NAV_ITEMS = [
    NavItem(_("Home"), "home", "house", ALL),
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
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return items
