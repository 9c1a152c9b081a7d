"""History back-fill pages: upload (check or write), the template, the uploads, one upload, its error sheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.downloads import logged_download
from core.errors import DomainError
from core.roles import DISTRICT_ROLES, Role, has_role, role_of
from core.tabular import reading

from ..models import BackfillBatch
from . import schema, services

PAGE_SIZE = 50
#: Error lines shown on an upload's page; the error sheet holds them all.
ERRORS_SHOWN = 500


class BackfillUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("History file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    commit = forms.BooleanField(
        label=gettext_lazy("Write the valid rows at once (otherwise the file is only checked, and nothing is written)"),
        required=False,
    )


def _require(result):
    if not result[0]:
        raise PermissionDenied(result[1])


def _visible(request, pk):
    _require(services.can_view_backfills(request.user))
    return get_object_or_404(BackfillBatch.objects.visible_to(request.user).select_related("uploaded_by", "job"), pk=pk)


def _xlsx_download(request, content, filename, *, kind, row_count=None):
    return logged_download(
        request, filename=filename, content_type=services.XLSX_TYPE, kind=kind, content=content, row_count=row_count
    )


@login_required
def backfill_upload(request):
    """Upload the history: checked (preview) or written at once; either way the upload's page shows each row."""
    _require(services.can_backfill(request.user))
    form = BackfillUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.backfill_import(
                actor=request.user, upload=form.cleaned_data["file"], commit=form.cleaned_data["commit"]
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("backfill:batch", pk=batch.pk)
    role = role_of(request.user)
    recent = BackfillBatch.objects.filter(uploaded_by=request.user).order_by("-uploaded_at")[:5]
    return render(
        request,
        "funding/backfill_upload.html",
        {
            "form": form,
            "recent": recent,
            "kinds": schema.KINDS,
            "max_mb": reading.max_upload_bytes() // (1024 * 1024),
            "max_rows": services.MAX_ROWS,
            "inline_max": services.INLINE_MAX_ROWS,
            "may_district": role in DISTRICT_ROLES,
            "may_finance": has_role(request.user, Role.FINANCE_OFFICER),
        },
    )


@login_required
def backfill_template(request):
    """The blank workbook: the three sheets, what to write in each column, the allowed values."""
    _require(services.can_backfill(request.user))
    return _xlsx_download(request, services.write_template(), services.TEMPLATE_NAME, kind="backfill_template")


@login_required
def batch_list(request):
    """Every history upload (the district, finance and auditors read the whole programme)."""
    _require(services.can_view_backfills(request.user))
    batches = BackfillBatch.objects.visible_to(request.user).select_related("uploaded_by").order_by("-uploaded_at")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funding/backfill_batches.html",
        {"page_obj": page, "may_upload": services.can_backfill(request.user)[0]},
    )


def _progress_context(batch):
    return {
        "batch": batch,
        "progress": services.progress_of(batch),
        "job_message": batch.job.message if batch.job_id else "",
    }


@login_required
def batch_detail(request, pk):
    """One upload: totals per sheet, every error with its sheet, row and column, and for a preview the
    button that writes its valid rows."""
    batch = _visible(request, pk)
    finished = batch.status in (BackfillBatch.Status.DONE, BackfillBatch.Status.FAILED)
    if request.headers.get("HX-Request"):
        if finished:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "funding/backfill_batch_progress.html", _progress_context(batch))
    totals = batch.totals or {}
    errors = []
    for sheet, number, _kind, row_errors in services.error_rows(batch):
        for column, message in row_errors:
            errors.append({"sheet": sheet, "row": number, "column": column, "message": message})
        if len(errors) >= ERRORS_SHOWN:
            break
    by_kind = (batch.result or {}).get("totals_by_kind", {})
    kinds = [(kind, by_kind[kind.key]) for kind in schema.KINDS if kind.key in by_kind]
    writable = totals.get("create", 0) + totals.get("update", 0)
    may_commit = (
        not batch.commit
        and batch.status == BackfillBatch.Status.DONE
        and writable > 0
        and batch.uploaded_by_id == request.user.pk
        and services.can_backfill(request.user)[0]
    )
    return render(
        request,
        "funding/backfill_batch.html",
        {
            **_progress_context(batch),
            "finished": finished,
            "totals": totals,
            "kinds": kinds,
            "errors": errors[:ERRORS_SHOWN],
            "errors_truncated": len(errors) >= ERRORS_SHOWN,
            "writable": writable,
            "may_commit": may_commit,
        },
    )


@login_required
@require_POST
def batch_commit(request, pk):
    """Write a preview's valid rows (its file runs again, with commit, as a new upload)."""
    batch = _visible(request, pk)
    try:
        new = services.backfill_commit(actor=request.user, batch=batch)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("backfill:batch", pk=batch.pk)
    return redirect("backfill:batch", pk=new.pk)


@login_required
def batch_errors(request, pk):
    """The upload's error rows as uploaded, sheet by sheet, with 错误说明 last: fix them and upload that file."""
    batch = _visible(request, pk)
    if batch.status != BackfillBatch.Status.DONE:
        messages.error(request, _("This upload has not finished, or failed as a whole: it has no error sheet."))
        return redirect("backfill:batch", pk=batch.pk)
    return _xlsx_download(
        request,
        services.error_file(batch=batch),
        services.error_file_name(batch),
        kind="backfill_errors",
        row_count=(batch.totals or {}).get("error", 0),
    )
