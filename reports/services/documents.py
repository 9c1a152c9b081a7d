"""Documents rendered in a task: the enterprise file (一企一档), a project dossier, the ledger statement
and an indicator's evidence pack.

* ``document_request_*`` check that the requester may see the subject (a subject outside their scope
  is a 404, exactly like a missing one; a role that may not ask at all is a 403), create the pending
  job and its document row, and send ``reports.tasks.render_document_task`` once the transaction commits;
* the task calls :func:`document_render`, which claims the job under its lease (a repeated delivery
  of finished work does nothing, an expired lease is taken over), re-checks the scope of the requester,
  renders as the requester (what they see is what the document shows) and stores the file under a
  random name; an error marks the job failed with its message.

The documents a user asked for and the checked download: ``reports.selectors.documents``.
"""

import datetime
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs
from core.errors import DomainError
from core.models import BackgroundJob, GeneratedDocument, OrgUnit
from core.permissions import require
from core.programme import PILOT_START
from core.selectors import unit_list
from enterprises.models import Enterprise
from funding.models import Project
from funding.permissions import can_see_ledger

from ..models import Indicator
from ..rendering.kinds import KINDS
from ..selectors.documents import as_pk, document_visible
from ..selectors.indicators import NOT_BY_UNIT, NUMBERS
from ..selectors.scope import parse_as_of, period_by_code, report_scope

logger = logging.getLogger(__name__)

#: The Celery task that renders a document, sent by name (``reports.tasks`` imports this module).
TASK_NAME = "reports.tasks.render_document_task"


def not_found():
    return DomainError("not_found", _("No record you can see has this id."), status=404)


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
    enterprise = Enterprise.objects.visible_to(actor).filter(pk=as_pk(enterprise_id)).first()
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
    project = Project.objects.visible_to(actor).select_related("enterprise").filter(pk=as_pk(project_id)).first()
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
    require(can_see_ledger(actor))
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


def evidence_params(actor, *, period, number, unit=None, as_of=None):
    """Check and normalise a request: the period, the unit (by code; empty = district-wide), the
    indicator number and the as-of date; the actor must read that scope's report."""
    period = period_by_code(period)
    number = str(number or "").strip()
    if number not in NUMBERS:
        raise DomainError(
            "unknown_indicator", _("Choose an indicator: {numbers}.").format(numbers=", ".join(NUMBERS)), field="number"
        )
    unit_obj = None
    code = str(unit or "").strip()
    if code:
        unit_obj = unit_list().filter(code=code).first()
        if unit_obj is None:
            raise DomainError(
                "unknown_unit", _("There is no street or town with code {code}.").format(code=code), field="unit"
            )
    unit_obj = report_scope(actor, unit_obj)
    if unit_obj is not None and number in NOT_BY_UNIT:
        raise DomainError(
            "not_by_unit",
            _("Indicator {number} is not broken down by street or town: ask for the district-wide pack.").format(
                number=number
            ),
            field="number",
        )
    as_of = parse_as_of(as_of)
    indicator = Indicator.objects.filter(number=number).first()
    return {
        "period": period.code,
        "period_name": period.name,
        "unit": unit_obj.code if unit_obj else "",
        "unit_name": unit_obj.name if unit_obj else "",
        # The district's own unit row names a district-wide pack (data, as the units' names are).
        "scope_name": unit_obj.name if unit_obj else _district_name(),
        "number": number,
        "indicator_name": indicator.name if indicator else number,
        "as_of": as_of.isoformat(),
    }


def _district_name():
    district = OrgUnit.objects.filter(code=settings.PORTAL_DISTRICT_CODE).first()
    return district.name if district else settings.PORTAL_DISTRICT_CODE


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
