"""Pages of the rendered documents: "My documents" (status, progress, download links), the requests
(enterprise file, project dossier, ledger statement, evidence pack) and the checked download.

Views only translate HTTP: a subject outside the requester's scope is a 404 (as a missing one), a role
that may not ask is a 403, bad input is shown on the form; every download is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import logged_download
from core.errors import DomainError, PermissionDenied
from core.pages import add_form_error
from funding.permissions import can_see_ledger

from ..forms import EvidencePackForm, LedgerStatementForm
from ..rendering.kinds import KINDS
from ..selectors.documents import document_for_download, documents_of
from ..selectors.scope import report_scope
from ..services import documents

PAGE_SIZE = 50


def _raise_http(exc):
    """Scope and role refusals become 404 / 403; anything else is the caller's to show."""
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if isinstance(exc, PermissionDenied) or exc.status == 403:
        raise DjangoPermissionDenied(exc.message) from exc


def _request_document(request, ask, **subject):
    """Ask for a document of a subject by its id (``ask`` is the service); a subject outside the
    requester's scope is a 404 and a refused role a 403."""
    try:
        document = ask(actor=request.user, **subject)
    except DomainError as exc:
        _raise_http(exc)
        raise
    return _requested(request, document)


def _requested(request, document):
    messages.success(
        request,
        _("“{title}” is being prepared. It appears below with a download link when it is ready.").format(
            title=document.title
        ),
    )
    return redirect("reports:documents")


@login_required
def document_list(request):
    """The documents the user asked for, newest first; the table refreshes itself (htmx) while any
    of them is still being rendered."""
    items = list(documents_of(viewer=request.user)[:PAGE_SIZE])
    for item in items:
        kind = KINDS.get(item.kind)
        item.kind_label = kind.label if kind else item.kind
    context = {"documents": items, "polling": any(not item.job.is_finished for item in items)}
    if request.headers.get("HX-Request"):
        return render(request, "reports/documents_table.html", context)
    return render(request, "reports/documents.html", context)


@login_required
def document_download(request, pk):
    """The file of a finished document, to its requester only, if they may still see its subject."""
    try:
        document = document_for_download(viewer=request.user, document_id=pk)
    except DomainError as exc:
        _raise_http(exc)
        messages.warning(request, exc.message)
        return redirect("reports:documents")
    return logged_download(
        request,
        file=document.file.open("rb"),
        filename=document.filename,
        content_type=document.content_type,
        kind=f"document:{document.kind}",
        description=document.title,
    )


@login_required
@require_POST
def request_enterprise_file(request, pk):
    return _request_document(request, documents.document_request_enterprise_file, enterprise_id=pk)


@login_required
@require_POST
def request_project_dossier(request, pk):
    return _request_document(request, documents.document_request_project_dossier, project_id=pk)


@login_required
def request_ledger_statement(request):
    """A date range (default: the pilot's start to today), then the statement is rendered in a task."""
    allowed, reason = can_see_ledger(request.user)
    if not allowed:
        raise DjangoPermissionDenied(reason)
    form = LedgerStatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = documents.document_request_ledger_statement(
                actor=request.user, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
            )
        except DomainError as exc:
            _raise_http(exc)
            add_form_error(form, exc)
        else:
            return _requested(request, document)
    return render(request, "reports/documents_ledger.html", {"form": form})


@login_required
def request_evidence_pack(request):
    """Period, unit, indicator and as-of date (prefilled from ``?period=&unit=&number=&as_of=``, as the
    drill-down links), then the pack is assembled in a task."""
    try:
        report_scope(request.user, None)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    if request.method == "POST":
        form = EvidencePackForm(request.POST, user=request.user)
    else:
        initial = {k: request.GET[k] for k in ("period", "unit", "number", "as_of") if request.GET.get(k)}
        form = EvidencePackForm(initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = documents.document_request_evidence_pack(
                actor=request.user,
                period=data["period"],
                unit=data["unit"],
                number=data["number"],
                as_of=data["as_of"],
            )
        except DomainError as exc:
            if exc.status == 404:
                _raise_http(exc)
            add_form_error(form, exc)
        else:
            return _requested(request, document)
    return render(request, "reports/documents_evidence.html", {"form": form})
