"""Reads of the closures (docs/architecture.md "Period close")."""

from core.permissions import require

from .models import Closure, ClosureException
from .permissions import can_view_closures


def closures_in_force():
    """The closures not reopened, the latest ``through`` first."""
    return Closure.objects.in_force().order_by("-through", "-pk")


def closure_in_force():
    """The closure that decides what is closed (the greatest ``through`` not reopened), or None."""
    return closures_in_force().first()


def closed_through():
    """The day the books are closed through, or None when no closure is in force."""
    closure = closure_in_force()
    return closure.through if closure else None


def closure_list(*, viewer):
    """Every closure, newest first, with who closed and reopened it and its exceptions (readers only)."""
    require(can_view_closures(viewer))
    return Closure.objects.select_related("closed_by", "reopen_requested_by", "reopened_by").prefetch_related(
        "exceptions__requested_by", "exceptions__approved_by", "exceptions__used_by", "exceptions__rejected_by"
    )


def closure_get(*, viewer, pk):
    return closure_list(viewer=viewer).get(pk=pk)


def exception_list(*, viewer):
    """Every exception, newest first (readers only)."""
    require(can_view_closures(viewer))
    return ClosureException.objects.select_related("closure", "requested_by", "approved_by", "used_by", "rejected_by")


def exception_get(*, viewer, pk):
    return exception_list(viewer=viewer).get(pk=pk)
