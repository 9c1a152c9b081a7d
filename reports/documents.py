"""Documents rendered in a task: the enterprise file (一企一档), a project dossier, the ledger statement
and an indicator's evidence pack.

A requested document is a :class:`core.models.BackgroundJob` plus a :class:`core.models.GeneratedDocument`
that holds what it is about and, once rendered, its stored file.

* ``document_request_*`` check that the requester may see the subject (a subject outside their scope
  is a 404, exactly like a missing one; a role that may not ask at all is a 403), create the pending
  job and its document row, and enqueue ``render_document_task`` once the transaction commits;
* the task calls :func:`document_render`, which claims the job under its lease (a repeated delivery
  of finished work does nothing, an expired lease is taken over), re-checks the scope of the requester,
  renders as the requester (what they see is what the document shows) and stores the file under a
  random name; an error marks the job failed with its message;
* :func:`document_for_download` hands the file back to its requester only, after checking again that
  they may still see the subject.
"""

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import jobs
from core.errors import Conflict, DomainError, PermissionDenied
from core.models import BackgroundJob, GeneratedDocument
from core.roles import role_of

logger = logging.getLogger(__name__)

TASK_NAME = "reports.tasks.render_document_task"
PDF = "application/pdf"
ZIP = "application/zip"


@dataclass(frozen=True)
class Rendered:
    """What a renderer produced: ``content`` as bytes, or the path of a temporary file it wrote
    (deleted once stored), with the name people see and its type."""

    content: object
    filename: str
    content_type: str


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: how it is rendered and who may still see its subject."""

    code: str
    label: object
    render: object  # (document, viewer, progress) -> Rendered
    visible: object  # (document, viewer) -> bool


KINDS: dict[str, DocumentKind] = {}


def register_kind(code, *, label, render, visible):
    KINDS[code] = DocumentKind(code=code, label=label, render=render, visible=visible)


def not_found():
    return DomainError("not_found", _("No record you can see has this id."), status=404)


# --- requests ------------------------------------------------------------------------------------


def document_create(*, actor, kind, title, subject_id="", params=None):
    """Create the pending job and document row and send the task once the transaction commits.

    ``title`` names the subject as data (an enterprise's name, a date range), shown beside the kind's
    translated label in "My documents"."""
    if kind not in KINDS:
        raise DomainError("unknown_document", _("There is no document of this kind."), field="kind")
    with transaction.atomic():
        job = jobs.job_create(kind=f"document:{kind}", task_name=TASK_NAME, actor=actor)
        job.task_args = [str(job.pk)]
        job.save(update_fields=["task_args"])
        document = GeneratedDocument.objects.create(
            job=job,
            kind=kind,
            subject_id=str(subject_id or ""),
            params=params or {},
            title=str(title)[:255],
            requested_by=actor,
        )
        jobs.job_enqueue(job)
    return document


def document_request_enterprise_file(*, actor, enterprise_id):
    """The enterprise file (一企一档) of an enterprise the actor may see."""
    from enterprises.models import Enterprise

    enterprise = Enterprise.objects.visible_to(actor).filter(pk=_int(enterprise_id)).first()
    if enterprise is None:
        raise not_found()
    return document_create(
        actor=actor,
        kind="enterprise_file",
        subject_id=enterprise.pk,
        title=enterprise.name,
    )


def document_request_project_dossier(*, actor, project_id):
    """The dossier of a project the actor may see (scoped as the project page)."""
    from funding.models import Project

    project = Project.objects.visible_to(actor).select_related("enterprise").filter(pk=_int(project_id)).first()
    if project is None:
        raise not_found()
    return document_create(
        actor=actor,
        kind="project_dossier",
        subject_id=project.pk,
        title=str(project),
    )


def document_request_ledger_statement(*, actor, date_from=None, date_to=None):
    """The ledger statement from ``date_from`` to ``date_to`` (default: the pilot's start to today),
    for the roles that read the ledger."""
    from funding.permissions import can_see_ledger

    allowed, reason = can_see_ledger(actor)
    if not allowed:
        raise PermissionDenied(reason)
    start, end = statement_range(date_from, date_to)
    return document_create(
        actor=actor,
        kind="ledger_statement",
        params={"from": start.isoformat(), "to": end.isoformat()},
        title=f"{start.isoformat()} – {end.isoformat()}",
    )


def document_request_evidence_pack(*, actor, period, number, unit=None, as_of=None):
    """The evidence pack of one indicator for (period, unit, number) at ``as_of``: report roles, and
    street/town staff for their own unit."""
    from .documents_evidence import evidence_params

    params = evidence_params(actor, period=period, unit=unit, number=number, as_of=as_of)
    return document_create(
        actor=actor,
        kind="evidence_pack",
        subject_id=params["number"],
        params=params,
        title=" · ".join(
            (
                f"{params['number']} {params['indicator_name']}",
                params["period_name"],
                params["scope_name"],
                params["as_of"],
            )
        ),
    )


def statement_range(date_from, date_to):
    """Parse a statement's date range: YYYY-MM-DD, the first not after the second, not in the future."""
    import datetime

    from .indicators import PILOT_START

    today = timezone.localdate()

    def parse(value, default, field):
        if value in (None, ""):
            return default
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field=field) from exc

    start = parse(date_from, PILOT_START, "date_from")
    end = parse(date_to, today, "date_to")
    if start > end:
        raise DomainError("invalid_range", _("The first day is after the last day."), field="date_from")
    if end > today:
        raise DomainError("date_in_future", _("The last day cannot be after today."), field="date_to")
    return start, end


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- reads ---------------------------------------------------------------------------------------


def documents_of(*, viewer):
    """The documents ``viewer`` asked for, newest first, with their jobs."""
    if role_of(viewer) is None:
        return GeneratedDocument.objects.none()
    return GeneratedDocument.objects.filter(requested_by=viewer).select_related("job")


def document_visible(document, viewer):
    kind = KINDS.get(document.kind)
    return kind is not None and role_of(viewer) is not None and bool(kind.visible(document, viewer))


def document_for_download(*, viewer, document_id):
    """The requester's finished document whose subject they may still see; a 404 otherwise (as a
    missing one), a 409 while it is not ready."""
    document = documents_of(viewer=viewer).filter(pk=document_id).first()
    if document is None or not document_visible(document, viewer):
        raise DomainError("not_found", _("No document you can download has this id."), status=404)
    if document.job.status == BackgroundJob.Status.FAILED:
        raise Conflict(
            "document_failed", _("This document could not be rendered: {error}").format(error=document.job.error)
        )
    if document.job.status != BackgroundJob.Status.DONE or not document.file:
        raise Conflict("document_not_ready", _("The document is still being rendered; try again shortly."))
    return document


# --- the work of the task ------------------------------------------------------------------------


def document_render(job_id):
    """Render and store the document of job ``job_id``; returns the job's final status, or ``None``
    when the job was not claimed (finished, or running under another worker's valid lease).

    Errors are logged and recorded on the job (failed, with the message), not re-raised: an
    in-process run (no broker) must not turn the request that asked for it into a 500.
    """

    def work(job):
        document = GeneratedDocument.objects.select_related("requested_by").get(job_id=job.pk)
        if document.file:  # stored by an earlier delivery that died before marking the job done
            return {"filename": document.filename, "size": document.size}
        viewer = document.requested_by
        if viewer is None or not document_visible(document, viewer):
            raise DomainError("not_found", _("The requester may no longer see what this document is about."))
        kind = KINDS[document.kind]

        def progress(value, message=""):
            jobs.job_progress(job.pk, progress=value, message=message)

        with translation.override("zh-hans"):
            rendered = kind.render(document, viewer, progress)
        return _store(document, rendered)

    try:
        return jobs.run_job(job_id, work)
    except Exception:
        logger.exception("Document job %s failed", job_id)
        return BackgroundJob.Status.FAILED


def _store(document, rendered):
    """Save the rendered content under a random name (the job lease makes this single-writer)."""
    path = None
    try:
        if isinstance(rendered.content, (bytes, bytearray)):
            with tempfile.NamedTemporaryFile(delete=False, suffix=Path(rendered.filename).suffix) as handle:
                handle.write(rendered.content)
            path = handle.name
        else:
            path = str(rendered.content)
        size = os.path.getsize(path)
        with transaction.atomic():
            locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
            if not locked.file:
                with open(path, "rb") as fh:
                    locked.file.save(rendered.filename, File(fh), save=False)
                locked.filename = rendered.filename
                locked.content_type = rendered.content_type
                locked.size = size
                locked.save(update_fields=["file", "filename", "content_type", "size"])
        return {"filename": rendered.filename, "size": size}
    finally:
        if path and os.path.exists(path):
            os.unlink(path)


def render_pdf(template, context):
    """A PDF (bytes) rendered by WeasyPrint from ``template`` (A4, Noto Sans CJK SC, page numbers)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def _register():
    from . import documents_evidence, documents_pdf

    register_kind(
        "enterprise_file",
        label=gettext_lazy("Enterprise file"),
        render=documents_pdf.render_enterprise_file,
        visible=documents_pdf.enterprise_visible,
    )
    register_kind(
        "project_dossier",
        label=gettext_lazy("Project dossier"),
        render=documents_pdf.render_project_dossier,
        visible=documents_pdf.project_visible,
    )
    register_kind(
        "ledger_statement",
        label=gettext_lazy("Ledger statement"),
        render=documents_pdf.render_ledger_statement,
        visible=documents_pdf.ledger_visible,
    )
    register_kind(
        "evidence_pack",
        label=gettext_lazy("Evidence pack"),
        render=documents_evidence.render_evidence_pack,
        visible=documents_evidence.evidence_visible,
    )


_register()
