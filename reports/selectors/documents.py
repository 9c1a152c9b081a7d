"""The documents a user asked for, and whether they may still see what each is about.

A requested document is a :class:`core.models.BackgroundJob` plus a :class:`core.models.GeneratedDocument`
that holds what it is about and, once rendered, its stored file. Its file goes back to its requester only,
and only while they may still see its subject (:data:`SUBJECT_VISIBLE`, per kind of document).
"""

from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, PermissionDenied
from core.models import BackgroundJob, GeneratedDocument, OrgUnit
from core.roles import role_of
from enterprises.models import Enterprise
from funding.models import Project
from funding.permissions import can_see_ledger

from .scope import report_scope


def as_pk(value):
    """A subject id as an int, or None when it is not one (then nothing matches it)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def enterprise_visible(document, viewer):
    """The requester still sees the enterprise of an enterprise file."""
    return Enterprise.objects.visible_to(viewer).filter(pk=as_pk(document.subject_id)).exists()


def project_visible(document, viewer):
    """The requester still sees the project of a project dossier."""
    return Project.objects.visible_to(viewer).filter(pk=as_pk(document.subject_id)).exists()


def ledger_visible(document, viewer):
    """The requester still reads the ledger (a ledger statement)."""
    return can_see_ledger(viewer)[0]


def evidence_visible(document, viewer):
    """The requester still reads the report of the pack's scope."""
    unit = OrgUnit.objects.filter(code=document.params.get("unit")).first() if document.params.get("unit") else None
    try:
        scoped = report_scope(viewer, unit)
    except PermissionDenied:
        return False
    return (scoped.pk if scoped else None) == (unit.pk if unit else None)


#: Per kind of document, whether a viewer may still see its subject: ``(document, viewer) -> bool``.
SUBJECT_VISIBLE = {
    "enterprise_file": enterprise_visible,
    "project_dossier": project_visible,
    "ledger_statement": ledger_visible,
    "evidence_pack": evidence_visible,
}


def documents_of(*, viewer):
    """The documents ``viewer`` asked for, newest first, with their jobs."""
    if role_of(viewer) is None:
        return GeneratedDocument.objects.none()
    return GeneratedDocument.objects.filter(requested_by=viewer).select_related("job")


def document_visible(document, viewer):
    """Whether ``viewer`` (a user with a role) may still see what ``document`` is about."""
    visible = SUBJECT_VISIBLE.get(document.kind)
    return visible is not None and role_of(viewer) is not None and bool(visible(document, viewer))


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
