"""Self-evaluations read: the versions and narrative revisions a viewer may see (district officials, auditors,
admins: ``visible_to``), one version, its files, and the figures two versions differ in."""

import uuid

from django.utils.translation import gettext as _

from core.errors import Conflict

from .contents import compare
from .models import NarrativeRevision, SelfEvaluation


def selfevaluation_list(*, viewer, stage=None):
    versions = SelfEvaluation.objects.visible_to(viewer).select_related("requested_by", "snapshot")
    if stage:
        versions = versions.filter(stage=stage)
    return versions.order_by("-created_at")


def selfevaluation_get(*, viewer, pk):
    """One version ``viewer`` may see; ``SelfEvaluation.DoesNotExist`` otherwise (also for a non-UUID id)."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise SelfEvaluation.DoesNotExist from None
    return selfevaluation_list(viewer=viewer).get(pk=pk)


def selfevaluation_file(evaluation, kind):
    """The stored ``docx`` or ``pdf`` of a built version; a 409 while it is pending, running or failed."""
    stored = evaluation.docx if kind == "docx" else evaluation.pdf
    if evaluation.status != SelfEvaluation.Status.DONE or not stored:
        raise Conflict(
            "not_ready", _("The report is not generated yet (status: {status}).").format(status=evaluation.status)
        )
    return stored


def narrative_revisions(*, viewer, stage):
    """Every revision of ``stage``'s sections, newest first, with its author."""
    return NarrativeRevision.objects.visible_to(viewer).filter(stage=stage).select_related("author")


def selfevaluation_compare(old, new):
    """The figures that differ between two built versions (``contents.compare``)."""
    return compare(old.content or {}, new.content or {})
