from .navigation import nav_for
from .roles import role_of


def portal(request):
    """The navigation and the viewer's role, for every page."""
    user = getattr(request, "user", None)
    role = role_of(user)
    return {
        "nav_items": nav_for(user, request.path) if user is not None else [],
        "viewer_role": role,
        "viewer_role_label": role.label if role else "",
    }
