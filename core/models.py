"""Core records (organisation units, background jobs, download log, attachments, generated documents),
and what every app's models share: the job statuses, the user and enterprise references, the
digital-level check, the abstract created/edited records, event rows and leased work."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- What the portal's models share -------------------------------------------------------------


class JobStatus(models.TextChoices):
    """The life of a piece of background work: a job, a report snapshot, an upload batch."""

    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def user_reference(verbose_name, **options):
    """The user who did something to a record (created, assigned, recorded, approved it…).

    The record outlives the account (``SET_NULL``), and the user gets no reverse accessor unless
    ``related_name`` is given; any option may be overridden (``blank=True``, ``related_name=…``).
    """
    options = {"null": True, "on_delete": models.SET_NULL, "related_name": "+", **options}
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)


def enterprise_reference(related_name, *, on_delete=models.PROTECT, **options):
    """The enterprise a record belongs to. Named by string: ``enterprises`` sits above ``core``
    (docs/architecture.md "Layers")."""
    return models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def digital_level_check(field, *, name):
    """The check that a digital level, where one is set, runs from 0 to 4 (the MIIT index's levels)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": 4}),
        name=name,
        violation_error_message=_("Digital levels run from 0 to 4."),
    )


class CreatedRecord(models.Model):
    """A record that keeps who created it and when."""

    created_by = user_reference(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class EditedRecord(CreatedRecord):
    """A record that keeps who created it, when, and when it last changed."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RecordedEvent(models.Model):
    """An event row a service writes with the change it records: who acted (``actor``) and when the row
    was written (``recorded_at``); the day the event happened is the concrete model's own field."""

    actor = user_reference(_("by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class LeasedWork(models.Model):
    """Background work whose row is its own status: ``pending`` → ``running`` (holding a lease until
    ``lease_expires_at``) → ``done`` or ``failed``. A running row whose lease has expired lost its
    worker, and the redelivered task takes it over; ``attempts`` counts the runs."""

    Status = JobStatus

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


# --- Core records -------------------------------------------------------------------------------


class OrgUnit(models.Model):
    """An administrative unit (属地): the district at the root, its streets/towns and zone below.

    Loaded as data by migration (``core/data/units_<district>.json``), so another pilot
    district can be loaded the same way. ``aliases`` are the other names rosters use.
    """

    class Kind(models.TextChoices):
        DISTRICT = "区", _("District")
        SUBDISTRICT = "街道", _("Subdistrict")
        TOWN = "镇", _("Town")
        ZONE = "开发区", _("Development zone")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        """The name without the parenthesised alias, for tight table columns."""
        return self.name.split("（")[0]


class BackgroundJob(LeasedWork):
    """A long piece of background work (an import, a report, a PDF) whose status people see.

    A job that is running holds a lease (``lease_expires_at``). When its worker dies the
    broker redelivers the task (``acks_late``), and the new delivery takes the job over once
    the lease has expired; ``requeue_expired_jobs_task`` re-sends jobs whose message was lost.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    task_name = models.CharField(_("task"), max_length=200)
    task_args = models.JSONField(_("task arguments"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="core_job_status_lease")]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"


class DownloadLog(models.Model):
    """One download or export: who took what, when, from where (auditors read this)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("kind"), max_length=64)
    description = models.CharField(_("description"), max_length=255)
    path = models.CharField(_("path"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("download log entry")
        verbose_name_plural = _("download log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.kind}"


def random_stored_name(folder, filename):
    """``<folder>/<2 hex>/<32 hex><.ext>``: a random name that keeps only the uploaded name's extension
    (lower-cased, at most ten letters or digits; none when it has other characters)."""
    ext = ""
    if "." in filename:
        ext = "." + filename.rsplit(".", 1)[1].lower()[:10]
        if not ext[1:].isalnum():
            ext = ""
    return f"{folder}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{ext}"


def spreadsheet_stored_name(folder, filename):
    """``<folder>/<32 hex>.<xlsx|csv|bin>``: an uploaded spreadsheet under a random name (any other
    extension is stored as ``.bin``)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext if ext in ('xlsx', 'csv') else 'bin'}"


def attachment_upload_to(instance, filename):
    """Random stored name, never the uploaded one (the original is kept in ``original_name``)."""
    return random_stored_name("attachments", filename)


class Attachment(models.Model):
    """An evidence file attached to a programme record (a report PDF, an invoice, a photo).

    Stored outside the web root under a random name; served only by ``core.views.attachment_download``
    after checking that the viewer may see the record it belongs to.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("purpose"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_attachment_owner")]

    def __str__(self):
        return self.original_name


def generated_document_upload_to(instance, filename):
    """Random stored name under ``documents/``: the readable name lives in ``filename`` only."""
    return random_stored_name("documents", filename)


class GeneratedDocument(models.Model):
    """A document someone asked the portal to render in the background (an enterprise file, a project
    dossier, a ledger statement, an evidence pack): the job that renders it and, once done, its file.

    ``kind`` and ``subject_id`` say what it is about (``params`` holds the rest: a date range, a
    period …), so the download view can re-check that the requester may still see the subject. The
    file is stored under a random name and served only by that view, never directly.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.OneToOneField(
        BackgroundJob, verbose_name=_("background job"), on_delete=models.CASCADE, related_name="document"
    )
    kind = models.CharField(_("kind"), max_length=32)
    subject_id = models.CharField(_("subject"), max_length=64, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=255)
    requested_by = user_reference(_("requested by"), related_name="generated_documents")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to=generated_document_upload_to, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="core_gendoc_requester")]

    def __str__(self):
        return self.title
