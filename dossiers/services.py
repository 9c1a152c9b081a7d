"""Auditor dossiers written: requested, and built by their task (docs/api.md "Auditor dossier").

``dossier_request`` checks the requester's role and the subject's scope (a subject outside the requester's scope is
a 404, exactly like a missing one), reads the audit chain's head, creates the pending row and sends
``dossiers.tasks.build_dossier_task`` once the transaction commits (in-process with no broker: the request returns
with the dossier built). The task calls ``dossier_build``, which claims the row under a lease, re-reads the subject
as the requester, writes the zip (``dossiers.building``), stores it with its size and SHA-256 and marks the dossier
done, or failed with the message.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history
from core.jobs import claim_leased, send_task
from core.permissions import require
from core.roles import Role, role_of
from core.selectors import unit_list
from enterprises.models import Enterprise
from funding.models import Project
from reports.rendering.evidence import CHUNK
from reports.selectors.scope import period_by_code
from trail.selectors import chain_head

from .building import build_zip
from .models import Dossier
from .permissions import can_request_dossier

#: The Celery task that builds a dossier, sent by name (``dossiers.tasks`` imports this module).
BUILD_TASK = "dossiers.tasks.build_dossier_task"

logger = logging.getLogger(__name__)


def not_found():
    return DomainError("not_found", _("No record you can see has this id."), status=404)


def _pk(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise not_found() from None


def _subject(actor, *, project, enterprise, unit, period):
    """The dossier's subject fields, checked: exactly one subject, visible to ``actor``."""
    given = [name for name, value in (("project", project), ("enterprise", enterprise), ("unit", unit)) if value]
    if len(given) != 1:
        raise DomainError("one_subject", _("Ask for one subject: a project, an enterprise, or a unit with a period."))
    if period not in (None, "") and given != ["unit"]:
        raise DomainError("period_without_unit", _("A period goes with a unit only."), field="period")
    if project:
        found = Project.objects.visible_to(actor).select_related("enterprise").filter(pk=_pk(project)).first()
        if found is None:
            raise not_found()
        title = f"{found.enterprise.name} · {found.title or found.contract_no}（{found.contract_no}）"
        return {"project": found}, title
    if enterprise:
        found = Enterprise.objects.visible_to(actor).filter(pk=_pk(enterprise)).first()
        if found is None:
            raise not_found()
        return {"enterprise": found}, found.name
    if period in (None, ""):
        raise DomainError("period_required", _("A unit's dossier needs a period: 2025, 2026 or total."), field="period")
    period = period_by_code(period)
    found = unit_list().filter(code=str(unit).strip()).first()
    # Street/town staff see their own unit only: another unit is not found, exactly as a missing one.
    if found is None or (role_of(actor) == Role.UNIT_STAFF and found.pk != actor.unit_id):
        raise not_found()
    return {"unit": found, "period": period}, f"{found.name} · {period.name}"


def dossier_request(*, actor, project=None, enterprise=None, unit=None, period=None):
    """Create a pending dossier of one subject (a project id, an enterprise id, or a unit code with a period
    code) and send its task once the transaction commits. The audit chain's head at this moment is the dossier's
    ``audit_head``: its audit-trail extract ends there."""
    require(can_request_dossier(actor))
    subject, title = _subject(actor, project=project, enterprise=enterprise, unit=unit, period=period)
    with transaction.atomic():
        position, digest = chain_head()
        dossier = Dossier(
            **subject, title=str(title)[:255], requested_by=actor, audit_head=digest, audit_entries=position
        )
        dossier.full_clean()
        set_history(dossier, actor=actor)
        dossier.save()
        dossier_id = str(dossier.pk)
        transaction.on_commit(lambda: send_task(BUILD_TASK, [dossier_id]))
    return dossier


def dossier_progress(dossier_id, done, total, message=""):
    """Record how far the build is and extend the lease: a dossier that reports progress is alive."""
    Dossier.objects.filter(pk=dossier_id, status=Dossier.Status.RUNNING).update(
        progress_done=done,
        progress_total=total,
        progress_message=str(message)[:255],
        lease_expires_at=timezone.now() + timedelta(seconds=settings.PORTAL_JOB_LEASE_SECONDS),
    )


def file_digest(path):
    """``(size, sha256 hex)`` of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def dossier_file_name(dossier):
    stamp = timezone.localtime(dossier.created_at).strftime("%Y%m%d-%H%M")
    return f"审计档案_{dossier.subject_kind}_{stamp}_{str(dossier.pk)[:8]}.zip"


def dossier_build(dossier_id):
    """Build and store the zip of dossier ``dossier_id``; returns its final status, or ``None`` when not claimed.

    Safe to run twice: a finished dossier is left as it is. An error marks it failed with the message (and is
    logged), not re-raised: an in-process run (no broker) must not turn the request into a 500.
    """
    dossier = claim_leased(Dossier, dossier_id, label="dossier")
    if dossier is None:
        return None
    path = None
    try:
        viewer = dossier.requested_by
        if viewer is None or not viewer.is_active:
            raise DomainError("not_found", _("The requester may no longer see what this dossier is about."))

        def progress(done, total, message=""):
            dossier_progress(dossier.pk, done, total, message)

        with translation.override("zh-hans"):
            try:
                path, manifest = build_zip(dossier, viewer, progress)
            except (Project.DoesNotExist, Enterprise.DoesNotExist):
                raise DomainError(
                    "not_found", _("The requester may no longer see what this dossier is about.")
                ) from None
        size, digest = file_digest(path)
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            if locked.is_finished:  # another delivery finished it meanwhile
                return locked.status
            filename = dossier_file_name(locked)
            with open(path, "rb") as fh:
                locked.file.save(filename, File(fh), save=False)
            locked.filename = filename
            locked.size = size
            locked.sha256 = digest
            locked.manifest = manifest
            locked.status = Dossier.Status.DONE
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.lease_expires_at = None
            locked.progress_done = locked.progress_total = max(locked.progress_total, 1)
            set_history(locked, actor=viewer)
            locked.save()
    except Exception as exc:
        logger.exception("Dossier %s failed", dossier_id)
        _fail(dossier_id, exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}")
        return Dossier.Status.FAILED
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
    return Dossier.Status.DONE


def _fail(dossier_id, error):
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=dossier_id).first()
        if dossier is None or dossier.is_finished:
            return
        dossier.status = Dossier.Status.FAILED
        dossier.error = str(error)[:5000]
        dossier.finished_at = timezone.now()
        dossier.lease_expires_at = None
        set_history(dossier, actor=dossier.requested_by)
        dossier.save()
