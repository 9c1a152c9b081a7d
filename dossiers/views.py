"""Pages of the auditor dossiers: the request (a button on the project, enterprise and indicator pages), the
dossier's page (status and progress, polled by htmx while it is built; the manifest; the download), the list of
the viewer's dossiers and the checked, logged download.

Views only translate HTTP: a subject or dossier outside the viewer's scope is a 404 (as a missing one), a role that
may not ask is a 403, bad input is flashed on the page the request came from.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from core.pages import PAGE_SIZE, found_or_404, safe_next
from core.permissions import allowed
from core.roles import GLOBAL_READ_ROLES, role_of

from .exports import dossier_download
from .permissions import can_request_dossier
from .selectors import dossier_get, dossier_list
from .services import dossier_request

FIELDS = ("project", "enterprise", "unit", "period")


@login_required
@require_POST
def request_dossier(request):
    """Ask for a dossier of the subject posted (``project``, ``enterprise``, or ``unit`` and ``period``) and go to
    its page."""
    if not allowed(can_request_dossier(request.user)):
        raise DjangoPermissionDenied(can_request_dossier(request.user)[1])
    values = {name: (request.POST.get(name) or None) for name in FIELDS}
    try:
        dossier = dossier_request(actor=request.user, **values)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        if isinstance(exc, PermissionDenied) or exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect(safe_next(request, reverse("dossiers:list")))
    return redirect("dossiers:detail", dossier.pk)


@login_required
def dossier_detail(request, pk):
    """A dossier: its status and progress (polled by htmx until it is finished), what the manifest lists and the
    download."""
    dossier = found_or_404(dossier_get, viewer=request.user, pk=pk)
    if request.headers.get("HX-Request"):
        if dossier.is_finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "dossiers/_status.html", {"dossier": dossier})
    files = dossier.manifest.get("files", []) if dossier.manifest else []
    attachments = [f for f in files if f["path"].startswith("attachments/")]
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "files": [f for f in files if not f["path"].startswith("attachments/")],
            "attachments": attachments,
            "attachment_bytes": sum(f["bytes"] for f in attachments),
            "missing": dossier.manifest.get("missing", []) if dossier.manifest else [],
        },
    )


@login_required
def dossier_list_page(request):
    """The viewer's own dossiers, newest first; the global readers may show everyone's (``?all=1``)."""
    everyone = request.GET.get("all") == "1" and role_of(request.user) in GLOBAL_READ_ROLES
    dossiers = dossier_list(viewer=request.user, mine=not everyone)
    page_obj = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/list.html",
        {
            "page_obj": page_obj,
            "everyone": everyone,
            "can_see_all": role_of(request.user) in GLOBAL_READ_ROLES,
        },
    )


@login_required
def dossier_zip(request, pk):
    """The dossier's zip, logged as a download; a 404 until it is built."""
    dossier = found_or_404(dossier_get, viewer=request.user, pk=pk)
    try:
        return dossier_download(request, dossier)
    except DomainError as exc:
        raise Http404(exc.message) from exc
