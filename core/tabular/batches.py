"""Upload batches: one upload of a spreadsheet import, its preview or commit, its background run and
its progress.

:class:`UploadBatch` is the abstract model every import's batch extends (``enterprises.ImportBatch``,
``funding.BackfillBatch``): who uploaded which file, whether it commits, its status, its background
job, and what each row did. :class:`BatchImport` drives a batch: an import supplies its model, who may
run it, and the processing of the stored file (its schema and row writer); the start (inline or
under a background job of :mod:`core.jobs`, its task sent by name), the idempotent run, the failure,
the commit of a preview and the status answered to the page and the API are written here once.
"""

import logging
import uuid as uuid_lib
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import jobs
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import BackgroundJob, JobStatus

from . import reading

logger = logging.getLogger(__name__)

ACTIONS = ("create", "update", "unchanged", "error")


class UploadBatch(models.Model):
    """One upload: who, when, which file, what it held, and what was written.

    A preview and a commit are both batches (``committed`` tells which); the commit of a preview is
    a new batch over the same stored file. A long file is processed by a background job (``job``)
    while the batch is pending, then running. Each concrete model declares its ``file`` field (where
    its uploads are stored)."""

    Status = JobStatus

    id = models.UUIDField(primary_key=True, default=uuid_lib.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)
    file_name = models.CharField(gettext_lazy("file name"), max_length=255)
    file_format = models.CharField(gettext_lazy("format"), max_length=8)
    file_size = models.PositiveBigIntegerField(gettext_lazy("size (bytes)"))
    commit = models.BooleanField(gettext_lazy("commit"), default=False)
    committed = models.BooleanField(gettext_lazy("written"), default=False)
    status = models.CharField(gettext_lazy("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    #: The background job of a file too long to process during the request.
    job = models.ForeignKey(
        "core.BackgroundJob",
        verbose_name=gettext_lazy("background job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(gettext_lazy("rows"), default=0)
    totals = models.JSONField(gettext_lazy("totals"), default=dict, blank=True)
    result = models.JSONField(gettext_lazy("result"), null=True, blank=True)
    error = models.TextField(gettext_lazy("error"), blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress(self):
        """0–100: 100 once done, else the background job's progress."""
        if self.status == self.Status.DONE:
            return 100
        return self.job.progress if self.job_id else 0


class ProgressReporter:
    """Reports a background run's progress (and extends its job's lease).

    A commit runs in one transaction, which would hide progress written on the same connection until
    the end; on PostgreSQL it is therefore written on a second, autocommit connection. (On SQLite, the
    embedded profile, a second writer would wait for the first: progress then shows at the end.)
    """

    def __init__(self, job_id, *, in_transaction):
        self.job_id = job_id
        self.side = None
        if in_transaction and connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def report(self, progress, message):
        if self.side is None:
            jobs.job_progress(self.job_id, progress=progress, message=message)
            return
        table = BackgroundJob._meta.db_table
        lease = timezone.now() + timedelta(seconds=settings.PORTAL_JOB_LEASE_SECONDS)
        try:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET progress = %s, message = %s, lease_expires_at = %s "  # noqa: S608 - table name from the model
                    "WHERE id = %s AND status = %s",
                    [progress, str(message)[:255], lease, self.job_id, BackgroundJob.Status.RUNNING],
                )
        except DatabaseError:
            logger.warning("Could not record the progress of job %s", self.job_id, exc_info=True)

    def close(self):
        if self.side is not None:
            self.side.close()


def forget_queries():
    """Drop the SQL that DEBUG (on in the embedded profile) keeps of every query: a long import's bulk statements
    held hundreds of megabytes there. Called by an import between its chunks."""
    if settings.DEBUG:
        for conn in connections.all(initialized_only=True):
            conn.queries_log.clear()


class BatchFailed(Exception):
    """The batch ended in failure (its ``error`` says why); raised by a task so that its job fails too."""


class BatchImport:
    """The life of one import's batches. An import subclasses it and supplies:

    * ``model`` (an :class:`UploadBatch`), ``job_kind`` and ``task_name`` (its background task, sent by name);
    * :meth:`can_run` (may this person import: ``(allowed, reason)``) and ``no_longer_allowed``, the
      message of a batch whose uploader lost the right before it ran;
    * :meth:`process` (read the stored file, check and write its rows, return the result with its
      ``totals``), and ``unexpected_error``, the message of a run stopped by a bug (``{error}`` is
      the exception's type); :meth:`failure_message` may word known failures better;
    * :meth:`error_file` (the error sheet of a finished batch), its download kind ``errors_kind``, and
      ``not_finished``, the message of an error sheet asked for too early; :meth:`can_open` if the
      batches are closed to some roles beyond what their ``visible_to`` hides.
    """

    model = None
    job_kind = ""
    task_name = ""
    no_longer_allowed = ""
    unexpected_error = ""
    #: Shown for a failed run in the log.
    label = "Import"
    failed_exception = BatchFailed
    not_finished = ""
    #: The download log's kind of the error sheet.
    errors_kind = ""

    def can_run(self, actor):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def process(self, batch, *, job_id=None):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def error_file(self, batch):  # pragma: no cover - defined by each import
        raise NotImplementedError

    def failure_message(self, batch, exc):
        """The message of a known failure ``exc``, or ``None`` for an unexpected one."""
        return None

    def can_open(self, user):
        """See the batches at all (each one then as the model's ``visible_to`` allows): ``(allowed, reason)``."""
        return True, ""

    def error_file_name(self, batch):
        return error_file_name(batch)

    # --- Starting ---------------------------------------------------------------------------------

    def check_allowed(self, actor):
        allowed, reason = self.can_run(actor)
        if not allowed:
            raise PermissionDenied(reason)

    def start(self, batch, *, background):
        """Save a new batch and run it now (returned finished), or give it a background job (enqueued
        when the transaction commits) and return it pending."""
        if not background:
            batch.save()
            return self.run(batch.pk)
        with transaction.atomic():
            batch.save()
            job = jobs.job_create(
                kind=self.job_kind, task_name=self.task_name, actor=batch.uploaded_by, message=batch.file_name
            )
            job.task_args = [str(job.pk)]
            job.save(update_fields=["task_args"])
            batch.job = job
            batch.save(update_fields=["job"])
            jobs.job_enqueue(job)
        if transaction.get_connection().in_atomic_block:
            return batch  # the job is sent when the caller's transaction commits
        # Where tasks run in-process (the embedded profile) the job has run by now: answer what it did, not
        # "pending".
        batch.refresh_from_db()
        return batch

    def check_committable(self, batch):
        """Only a finished preview with a row to create or update can be written."""
        if batch.commit or batch.status != self.model.Status.DONE:
            raise Conflict("not_a_preview", _("Only a finished preview can be written; this batch is not one."))
        totals = batch.totals or {}
        if not (totals.get("create", 0) or totals.get("update", 0)):
            raise Conflict("nothing_to_write", _("This preview has no row to create or update."))

    def batch_of(self, upload, *, actor, name, file_format, commit, **fields):
        """A new, unsaved batch of ``actor`` holding the uploaded file ``upload``, stored as ``name``."""
        upload.seek(0)
        size = reading.file_size(upload)
        upload.seek(0)
        batch = self.model(
            uploaded_by=actor, file_name=name, file_format=file_format, file_size=size, commit=bool(commit), **fields
        )
        batch.file.save(name, upload, save=False)
        return batch

    def commit_of(self, batch, *, actor, **fields):
        """A new, unsaved committing batch of ``actor`` over the preview's stored file."""
        return self.model(
            uploaded_by=actor,
            file_name=batch.file_name,
            file=batch.file.name,
            file_format=batch.file_format,
            file_size=batch.file_size,
            commit=True,
            row_count=batch.row_count,
            **fields,
        )

    # --- Running ----------------------------------------------------------------------------------

    def run(self, batch_id, *, job_id=None):
        """Process a batch (inline, or from its task). Idempotent: a finished batch is returned as it is;
        a run taken over from a dead worker starts again (its transaction was rolled back). Any error
        ends the batch *failed* with a message; a commit that fails writes nothing."""
        Status = self.model.Status
        batch = self.model.objects.select_related("uploaded_by").get(pk=batch_id)
        if batch.status in (Status.DONE, Status.FAILED):
            return batch
        self.model.objects.filter(pk=batch.pk).update(status=Status.RUNNING)
        batch.status = Status.RUNNING
        try:
            if batch.uploaded_by is None or not self.can_run(batch.uploaded_by)[0]:
                raise DomainError("not_allowed", self.no_longer_allowed)
            result = self.process(batch, job_id=job_id)
        except DomainError as exc:
            return self.fail(batch, str(exc.message))
        except Exception as exc:
            message = self.failure_message(batch, exc)
            if message is None:
                logger.exception("%s %s failed", self.label, batch.pk)
                message = self.unexpected_error.format(error=type(exc).__name__)
            return self.fail(batch, message)
        return self.finish(batch, result)

    def finish(self, batch, result):
        batch.status = self.model.Status.DONE
        batch.committed = batch.commit
        batch.result = result
        batch.totals = result["totals"]
        batch.row_count = sum(result["totals"].values())
        batch.error = ""
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "committed", "result", "totals", "row_count", "error", "finished_at"])
        return batch

    def fail(self, batch, message):
        batch.status = self.model.Status.FAILED
        batch.committed = False
        batch.error = str(message)
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "committed", "error", "finished_at"])
        return batch

    def run_job(self, job_id):
        """The body of the import's task: run the batch of background job ``job_id`` under
        :func:`core.jobs.run_job`; a batch that ends failed fails its job too."""

        def work(job):
            batch_id = self.model.objects.filter(job_id=job.pk).values_list("pk", flat=True).first()
            if batch_id is None:
                raise self.failed_exception(f"no {self.model._meta.model_name} for job {job.pk}")
            batch = self.run(batch_id, job_id=job.pk)
            if batch.status == self.model.Status.FAILED:
                raise self.failed_exception(batch.error)
            return {"batch": str(batch.pk), "status": batch.status, "totals": batch.totals}

        return jobs.run_job(job_id, work)

    # --- Reading results --------------------------------------------------------------------------

    def status(self, batch):
        """What the API answers about a batch: its state and, when done, its result."""
        Status = self.model.Status
        data = {
            "batch": str(batch.pk),
            "status": batch.status,
            "file_name": batch.file_name,
            "uploaded_at": batch.uploaded_at.isoformat(),
            "uploaded_by": batch.uploaded_by.username if batch.uploaded_by else None,
            "commit": batch.commit,
            "committed": batch.committed,
            "row_count": batch.row_count,
            "progress": batch.progress,
        }
        if batch.status == Status.FAILED:
            data["error"] = batch.error
        if batch.status == Status.DONE and batch.result:
            data.update(batch.result)
        return data


def error_note(errors, *, row=None):
    """The 错误说明 of a row: ``第N行：column：message`` joined by ；, ``N`` the row's number in the uploaded file
    (the error sheet has fewer rows, so the clerk can still find the original)."""
    text = "；".join(f"{column}：{message}" for column, message in errors)
    return f"第{row}行：{text}" if row is not None else text


def bad_positions(headers, errors):
    """The positions, in ``headers`` (as written in the upload), of the columns ``errors`` name."""
    index = {header: position for position, header in enumerate(headers)}
    return {index[column] for column, _message in errors if column in index}


def error_file_name(batch):
    """``<the upload's name without its extension>_错误行.xlsx``."""
    stem = batch.file_name.rsplit(".", 1)[0] if "." in batch.file_name else batch.file_name
    return f"{stem}_错误行.xlsx"
