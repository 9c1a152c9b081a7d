"""The pages of a spreadsheet import, written once: upload (check or write), the blank template, the
uploads, one upload (with its progress while it runs), the commit of a preview and the error sheet.

An import declares its pages as a :class:`BatchPages` subclass (its batch import, its form, its
templates and URL names, who may see what) and routes them with :meth:`BatchPages.urlpatterns`.
Its templates extend ``core/tabular/upload.html``, ``batches.html`` and ``batch.html`` with its own
wording.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views import View

from core.downloads import logged_download
from core.errors import DomainError
from core.permissions import require

from . import reading
from .writing import XLSX_TYPE

#: Uploads on one page of the list.
PAGE_SIZE = 50
#: Error lines shown on an upload's page; the error sheet holds them all.
ERRORS_SHOWN = 500
#: The uploader's latest uploads listed on the upload page.
RECENT_SHOWN = 5


class UploadForm(forms.Form):
    """The file and whether to write it at once; an import names the file it takes in ``file_label``."""

    file_label = ""

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    commit = forms.BooleanField(
        label=gettext_lazy("Write the valid rows at once (otherwise the file is only checked, and nothing is written)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.file_label


def error_lines(batch, limit=ERRORS_SHOWN):
    """The first ``limit`` errors of a finished batch, one per cell: ``{"row", "column", "message"}``, with
    the ``sheet`` of a workbook of several sheets."""
    lines = []
    for row in (batch.result or {}).get("rows", ()):
        if row["action"] != "error":
            continue
        for error in row["errors"]:
            lines.append({"sheet": row.get("sheet"), "row": row["row"], **error})
            if len(lines) >= limit:
                return lines
    return lines


class BatchPages:
    """One import's pages. A subclass supplies:

    * ``batch_import`` (its :class:`~core.tabular.batches.BatchImport`) and ``form_class`` (an :class:`UploadForm`);
    * ``template_prefix``: its templates are ``<prefix>upload.html``, ``<prefix>batches.html`` and
      ``<prefix>batch.html``;
    * ``url_names``: the full names of its six routes, by ``upload``, ``template``, ``batches``, ``batch``,
      ``commit`` and ``errors`` (the templates reverse them as ``urls.<key>``);
    * ``template_file_name`` and ``template_kind`` (the blank template's name and its download kind);
    * :meth:`start` and :meth:`commit` (its services), :meth:`write_template`, :meth:`upload_context`;
    * where it differs: :meth:`can_list`, :meth:`may_commit`, :meth:`batch_context`.
    """

    batch_import = None
    form_class = UploadForm
    template_prefix = ""
    url_names = {}
    template_file_name = ""
    template_kind = ""

    @property
    def model(self):
        return self.batch_import.model

    def start(self, *, actor, upload, commit):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def commit(self, *, actor, batch):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def write_template(self):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def upload_context(self, request):  # pragma: no cover - defined by each import
        """What the upload page says of the file: its columns, its limits, what this person may write."""
        raise NotImplementedError

    def start_options(self, request):
        """More keyword arguments of :meth:`start` read from the request: the record an upload belongs to (an
        event's sign-in sheet names its event in ``?event=``). None by default."""
        return {}

    def can_upload(self, user):
        return self.batch_import.can_run(user)

    def can_list(self, user):
        """See the list of uploads (each row as the batches' ``visible_to`` allows)."""
        return self.batch_import.can_open(user)

    def may_commit(self, user, batch):
        """Show the button that writes a preview (the service checks again)."""
        return batch.uploaded_by_id == user.pk and self.can_upload(user)[0]

    def batch_context(self, batch):
        return {}

    def rows_context(self, request, batch):
        """More context of a batch's page read from the request: an import that stages its preview's rows lists
        them a page at a time, filtered by action. None by default."""
        return {}

    # --- Shared by the views ----------------------------------------------------------------------

    def template(self, page):
        return f"{self.template_prefix}{page}.html"

    def context(self, **values):
        return {"urls": self.url_names, **values}

    def visible_batch(self, request, pk):
        require(self.batch_import.can_open(request.user))
        queryset = self.model.objects.visible_to(request.user).select_related("uploaded_by", "job")
        return get_object_or_404(queryset, pk=pk)

    def urlpatterns(self, prefix=""):
        """The six routes under ``prefix``, named as :attr:`url_names` says (less the namespace)."""
        routes = {
            "upload": ("", UploadView),
            "template": ("template/", TemplateDownloadView),
            "batches": ("batches/", BatchListView),
            "batch": ("batches/<uuid:pk>/", BatchDetailView),
            "commit": ("batches/<uuid:pk>/commit/", BatchCommitView),
            "errors": ("batches/<uuid:pk>/errors/", BatchErrorsView),
        }
        return [
            path(prefix + route, view.as_view(pages=self), name=self.url_names[key].rpartition(":")[2])
            for key, (route, view) in routes.items()
        ]


def progress_context(batch):
    return {"batch": batch, "progress": batch.progress, "job_message": batch.job.message if batch.job_id else ""}


class BatchView(LoginRequiredMixin, View):
    """A page of one import, whose :class:`BatchPages` is given to ``as_view(pages=...)``. ``permission``
    names the predicate of ``pages`` that the signed-in person must pass before anything else."""

    pages = None
    permission = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission:
            require(getattr(self.pages, self.permission)(request.user))
        return super().dispatch(request, *args, **kwargs)

    def xlsx_download(self, content, filename, *, kind, row_count=None):
        return logged_download(
            self.request, filename=filename, content_type=XLSX_TYPE, kind=kind, content=content, row_count=row_count
        )


class UploadView(BatchView):
    """Upload a file: checked (preview) or written at once; either way the batch page shows each row."""

    permission = "can_upload"

    def get(self, request):
        return self.page(self.pages.form_class())

    def post(self, request):
        form = self.pages.form_class(request.POST or None, request.FILES or None)
        if form.is_valid():
            try:
                batch = self.pages.start(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    commit=form.cleaned_data["commit"],
                    **self.pages.start_options(request),
                )
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect(self.pages.url_names["batch"], pk=batch.pk)
        return self.page(form)

    def page(self, form):
        pages, user = self.pages, self.request.user
        recent = pages.model.objects.filter(uploaded_by=user).order_by("-uploaded_at")[:RECENT_SHOWN]
        context = pages.context(
            form=form,
            recent=recent,
            max_mb=reading.max_upload_bytes() // (1024 * 1024),
            **pages.upload_context(self.request),
        )
        return render(self.request, pages.template("upload"), context)


class TemplateDownloadView(BatchView):
    """The blank template to fill in."""

    permission = "can_upload"

    def get(self, request):
        pages = self.pages
        return self.xlsx_download(pages.write_template(), pages.template_file_name, kind=pages.template_kind)


class BatchListView(BatchView):
    """The uploads the viewer may see, newest first."""

    permission = "can_list"

    def get(self, request):
        pages = self.pages
        batches = pages.model.objects.visible_to(request.user).select_related("uploaded_by", "job")
        page = Paginator(batches.order_by("-uploaded_at"), PAGE_SIZE).get_page(request.GET.get("page"))
        context = pages.context(page_obj=page, may_upload=pages.can_upload(request.user)[0])
        return render(request, pages.template("batches"), context)


class BatchDetailView(BatchView):
    """One upload: totals, every error with its row and column, progress while it runs (an htmx poll
    answers the progress partial, and a refresh once the run has finished), and for a preview the button
    that writes its valid rows."""

    def get(self, request, pk):
        pages = self.pages
        batch = pages.visible_batch(request, pk)
        if request.headers.get("HX-Request"):
            if batch.is_finished:
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                return response
            return render(request, "core/tabular/batch_progress.html", pages.context(**progress_context(batch)))
        totals = batch.totals or {}
        errors = error_lines(batch)
        writable = totals.get("create", 0) + totals.get("update", 0)
        may_commit = (
            not batch.commit
            and batch.status == batch.Status.DONE
            and writable > 0
            and pages.may_commit(request.user, batch)
        )
        context = pages.context(
            **progress_context(batch),
            finished=batch.is_finished,
            totals=totals,
            errors=errors,
            errors_truncated=len(errors) >= ERRORS_SHOWN,
            writable=writable,
            may_commit=may_commit,
            **pages.batch_context(batch),
            **pages.rows_context(request, batch),
        )
        return render(request, pages.template("batch"), context)


class BatchCommitView(BatchView):
    """Write a preview's valid rows (its file runs again, with commit, as a new batch)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        pages = self.pages
        batch = pages.visible_batch(request, pk)
        require(pages.can_upload(request.user))
        try:
            new = pages.commit(actor=request.user, batch=batch)
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return redirect(pages.url_names["batch"], pk=batch.pk)
        return redirect(pages.url_names["batch"], pk=new.pk)


class BatchErrorsView(BatchView):
    """The upload's error rows as uploaded, with 错误说明 in the last column, to fix and upload again."""

    def get(self, request, pk):
        pages = self.pages
        batch = pages.visible_batch(request, pk)
        batch_import = pages.batch_import
        if batch.status != batch.Status.DONE:
            messages.error(request, batch_import.not_finished)
            return redirect(pages.url_names["batch"], pk=batch.pk)
        return self.xlsx_download(
            batch_import.error_file(batch),
            batch_import.error_file_name(batch),
            kind=batch_import.errors_kind,
            row_count=(batch.totals or {}).get("error", 0),
        )
