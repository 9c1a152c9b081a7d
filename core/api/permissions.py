"""DRF permission classes built on the role predicates (scoping is done by querysets)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from core.roles import Role, has_role, role_of


def role_permission(*roles, read_roles=None):
    """A permission class: writes need one of ``roles``; reads need ``read_roles`` (any signed-in role if None)."""

    class _RolePermission(BasePermission):
        def has_permission(self, request, view):
            role = role_of(request.user)
            if role is None:
                return False
            if request.method in SAFE_METHODS:
                return read_roles is None or has_role(request.user, *read_roles)
            return has_role(request.user, *roles)

    _RolePermission.__name__ = "RolePermission_" + "_".join(roles)
    return _RolePermission


IsAdminRole = role_permission(Role.ADMIN, read_roles=(Role.ADMIN,))
