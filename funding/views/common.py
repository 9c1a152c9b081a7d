"""What the funding pages share: the 403 for an action the viewer may not take, the 404 for a project
outside the viewer's scope, an export's format, and a form's errors as one domain error."""

from django.http import Http404

from core.errors import DomainError

from .. import selectors
from ..models import Project

#: Rows per page of the funding lists.
PAGE_SIZE = 50


def project_or_404(request, pk):
    """The project ``pk`` if the viewer may see it (a 404 otherwise, as a missing one)."""
    try:
        return selectors.project_get(viewer=request.user, pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc


def export_format(request):
    """``xlsx`` (the default) or ``csv`` from ``?format=``; anything else is a 404."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return fmt


def valid(form):
    """Raise the form's errors, labelled, as one ``DomainError`` (shown as a message)."""
    if not form.is_valid():
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems.extend(f"{label}: {e}" if label else str(e) for e in errors)
        raise DomainError("invalid", " ".join(problems))
