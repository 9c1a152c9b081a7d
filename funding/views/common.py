"""What the funding pages share: the 404 for a project outside the viewer's scope and a form's errors
as one domain error (the steps of every app's pages are in ``core.pages``)."""

from collections.abc import Callable
from typing import NamedTuple

from core.errors import DomainError
from core.pages import found_or_404

from .. import selectors

#: Rows per page of the funding lists.
PAGE_SIZE = 50


def project_or_404(request, pk):
    """The project ``pk`` if the viewer may see it (a 404 otherwise, as a missing one)."""
    return found_or_404(selectors.project_get, viewer=request.user, pk=pk)


def valid(form):
    """Raise the form's errors, labelled, as one ``DomainError`` (shown as a message)."""
    if not form.is_valid():
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems.extend(f"{label}: {e}" if label else str(e) for e in errors)
        raise DomainError("invalid", " ".join(problems))


class FormStep(NamedTuple):
    """One workflow step posted from a record's page: its form (with the prefix the page gives it),
    the service it calls with the form's cleaned data, and the message once it is done."""

    form_class: type
    prefix: str
    service: Callable
    message: str

    def run(self, request, **subject):
        """Validate the posted form (its errors as one ``DomainError``) and call the service on ``subject``."""
        form = self.form_class(request.POST, prefix=self.prefix)
        valid(form)
        return self.service(actor=request.user, **subject, **form.cleaned_data)
