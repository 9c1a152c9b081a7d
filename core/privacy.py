"""Personal data shown by role: phone numbers are masked for roles that do not need them."""

from .roles import Role, role_of

#: Roles that contact enterprises and people, and so see phone numbers in full.
PHONE_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR})


def can_see_phone(viewer):
    return role_of(viewer) in PHONE_ROLES


def mask_phone(phone):
    """``13812345678`` → ``138****5678``; shorter numbers keep two characters at each end."""
    phone = (phone or "").strip()
    if len(phone) >= 11:
        return phone[:3] + "****" + phone[-4:]
    if len(phone) > 4:
        return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]
    return "*" * len(phone)


def phone_for(viewer, phone):
    return phone if can_see_phone(viewer) else mask_phone(phone)
