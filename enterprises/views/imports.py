"""Roster import pages: upload (preview or commit), the template, the batches, a batch, its error sheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.downloads import logged_download
from core.errors import DomainError
from core.roles import DISTRICT_ROLES, Role, role_of
from core.selectors import unit_list
from core.tabular import reading
from core.tabular.writing import XLSX_TYPE

from .. import imports, permissions, roster
from ..models import ImportBatch

TEMPLATE_NAME = "试点企业名单模板.xlsx"
PAGE_SIZE = 50
#: Error lines shown on a batch page; the error sheet holds them all.
ERRORS_SHOWN = 500


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    commit = forms.BooleanField(
        label=gettext_lazy("Write the valid rows at once (otherwise the file is only checked, and nothing is written)"),
        required=False,
    )


def _require_import(user):
    allowed, _reason = permissions.can_import(user)
    if not allowed:
        raise PermissionDenied


def _visible(request, pk):
    return get_object_or_404(ImportBatch.objects.visible_to(request.user).select_related("uploaded_by", "job"), pk=pk)


def _xlsx_download(request, content, filename, *, kind, row_count=None):
    return logged_download(
        request, filename=filename, content_type=XLSX_TYPE, kind=kind, content=content, row_count=row_count
    )


@login_required
def roster_upload(request):
    """Upload a roster: checked (preview) or written at once; either way the batch page shows each row."""
    _require_import(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.roster_import(
                actor=request.user, upload=form.cleaned_data["file"], commit=form.cleaned_data["commit"]
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("enterprises:import_batch", pk=batch.pk)
    recent = ImportBatch.objects.filter(uploaded_by=request.user).order_by("-uploaded_at")[:5]
    return render(
        request,
        "enterprises/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "columns": roster.COLUMNS,
            "max_mb": reading.max_upload_bytes() // (1024 * 1024),
            "max_rows": roster.max_rows(),
            "inline_max": imports.INLINE_MAX_ROWS,
            "unit": request.user.unit if role_of(request.user) == Role.UNIT_STAFF else None,
        },
    )


@login_required
def roster_template(request):
    """The blank roster: headers, allowed values, the units, an example row."""
    _require_import(request.user)
    return _xlsx_download(request, roster.write_template(unit_list()), TEMPLATE_NAME, kind="roster_template")


@login_required
def batch_list(request):
    """The uploads the viewer may see: their own; the district and auditors see all."""
    role = role_of(request.user)
    if not permissions.can_import(request.user)[0] and role != Role.AUDITOR:
        raise PermissionDenied
    batches = ImportBatch.objects.visible_to(request.user).select_related("uploaded_by", "job").order_by("-uploaded_at")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enterprises/import_batches.html", {"page_obj": page})


def _progress_context(batch):
    job = batch.job
    progress = 100 if batch.status == ImportBatch.Status.DONE else (job.progress if job else 0)
    return {"batch": batch, "progress": progress, "job_message": job.message if job else ""}


@login_required
def batch_detail(request, pk):
    """One batch: totals, every error with its row and column, progress while it runs, and for a
    preview the button that writes its valid rows."""
    batch = _visible(request, pk)
    finished = batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED)
    if request.headers.get("HX-Request"):
        if finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "enterprises/import_batch_progress.html", _progress_context(batch))
    totals = batch.totals or {}
    errors = []
    for row, row_errors in imports.error_rows(batch):
        for column, message in row_errors:
            errors.append({"row": row, "column": column, "message": message})
            if len(errors) >= ERRORS_SHOWN:
                break
        if len(errors) >= ERRORS_SHOWN:
            break
    writable = totals.get("create", 0) + totals.get("update", 0)
    may_commit = (
        not batch.commit
        and batch.status == ImportBatch.Status.DONE
        and writable > 0
        and permissions.can_import(request.user)[0]
        and (batch.uploaded_by_id == request.user.pk or role_of(request.user) in DISTRICT_ROLES)
    )
    return render(
        request,
        "enterprises/import_batch.html",
        {
            **_progress_context(batch),
            "finished": finished,
            "totals": totals,
            "errors": errors,
            "errors_truncated": len(errors) >= ERRORS_SHOWN,
            "writable": writable,
            "may_commit": may_commit,
        },
    )


@login_required
@require_POST
def batch_commit(request, pk):
    """Write a previewed batch's valid rows (its file is imported again, with commit, as a new batch)."""
    batch = _visible(request, pk)
    _require_import(request.user)
    try:
        new = imports.roster_import_commit(actor=request.user, batch=batch)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("enterprises:import_batch", pk=batch.pk)
    return redirect("enterprises:import_batch", pk=new.pk)


@login_required
def batch_errors(request, pk):
    """The batch's error rows as uploaded, with 错误说明 in the last column, to fix and upload again."""
    batch = _visible(request, pk)
    if batch.status != ImportBatch.Status.DONE:
        messages.error(request, _("This import has not finished; its error sheet is not ready yet."))
        return redirect("enterprises:import_batch", pk=batch.pk)
    content = imports.import_error_file(batch=batch)
    return _xlsx_download(
        request,
        content,
        imports.error_file_name(batch),
        kind="roster_errors",
        row_count=(batch.totals or {}).get("error", 0),
    )
