"""Self-evaluations written: started (one version of a stage's report as of a day), built by their task, and the
officials' narrative sections saved as revisions (docs/api.md "Self-evaluations").

``selfevaluation_start`` creates the pending version and sends ``selfevaluations.tasks.build_selfevaluation_task``
once the transaction commits (in-process with no broker). ``selfevaluation_build`` claims the version under its lease,
computes a district-wide report snapshot of the running total as of the version's day (``reports`` machinery, in
this worker), gathers the other figures with it (``contents.gather``), merges the newest revision of each narrative
section, renders the Word document and the PDF, and stores both.
"""

import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import set_history
from core.jobs import claim_leased, send_task
from core.permissions import require
from reports.models import ReportSnapshot
from reports.selectors.scope import parse_as_of, period_by_code
from reports.services.snapshots import snapshot_compute

from .choices import Section, Stage
from .contents import gather
from .models import NarrativeRevision, SelfEvaluation
from .permissions import can_write_selfevaluations
from .rendering import render_docx, render_pdf

#: The Celery task that builds a version, sent by name (``selfevaluations.tasks`` imports this module).
BUILD_TASK = "selfevaluations.tasks.build_selfevaluation_task"
MAX_TEXT = 20000

logger = logging.getLogger(__name__)


def _stage(value):
    if value not in Stage.values:
        raise DomainError("invalid_stage", _("Choose a stage: midterm or final."), field="stage")
    return value


def selfevaluation_start(*, actor, stage, as_of=None):
    """Create the next version of ``stage``'s report as of ``as_of`` (default today) and send its task on commit."""
    require(can_write_selfevaluations(actor))
    stage = _stage(stage)
    as_of = parse_as_of(as_of)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = SelfEvaluation.objects.filter(stage=stage).aggregate(v=Max("version"))["v"] or 0
                evaluation = SelfEvaluation(stage=stage, as_of=as_of, version=latest + 1, requested_by=actor)
                set_history(evaluation, actor=actor)
                evaluation.save()
                evaluation_id = str(evaluation.pk)
                transaction.on_commit(partial(send_task, BUILD_TASK, [evaluation_id]))
            return evaluation
        except IntegrityError:  # two starts of the same stage at once: take the next number
            continue
    raise DomainError("busy", _("Another version of this report is being started; try again."), status=409)


def narrative_save(*, actor, stage, section, text):
    """Save a new revision of ``section`` of ``stage``'s report (the older revisions stay)."""
    require(can_write_selfevaluations(actor))
    stage = _stage(stage)
    if section not in Section.values:
        raise DomainError("invalid_section", _("This is not a section of the report."), field="section")
    if not isinstance(text, str):
        raise DomainError("invalid", _("Write the section as text."), field="text")
    text = text.replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError("too_long", _("A section has at most {n} characters.").format(n=MAX_TEXT), field="text")
    with transaction.atomic():
        revision = NarrativeRevision(stage=stage, section=section, text=text, author=actor)
        set_history(revision, actor=actor)
        revision.save()
    return revision


def current_narratives(stage):
    """The newest revision of each section of ``stage`` as merged into a version: ``[{"section", "revision",
    "text", "author", "saved_at"}]`` in the sections' order (a section never written is left out)."""
    merged = []
    for section in Section.values:
        revision = (
            NarrativeRevision.objects.filter(stage=stage, section=section)
            .select_related("author")
            .order_by("-created_at", "-pk")
            .first()
        )
        if revision is None:
            continue
        merged.append(
            {
                "section": section,
                "revision": revision.pk,
                "text": revision.text,
                "author": (revision.author.get_full_name() or revision.author.username) if revision.author_id else "",
                "saved_at": timezone.localtime(revision.created_at).isoformat(timespec="seconds"),
            }
        )
    return merged


def selfevaluation_build(evaluation_id):
    """Build and store version ``evaluation_id``; returns its final status, or ``None`` when not claimed.

    Safe to run twice: a finished version is left as it is. An error marks it failed with the message (logged)."""
    evaluation = claim_leased(SelfEvaluation, evaluation_id, label="self-evaluation")
    if evaluation is None:
        return None
    try:
        viewer = evaluation.requested_by
        if viewer is None or not viewer.is_active:
            raise DomainError("not_found", _("The official who started this report may no longer write it."))
        snapshot = ReportSnapshot.objects.create(
            period=period_by_code("total"), unit=None, as_of=evaluation.as_of, requested_by=viewer
        )
        snapshot_compute(str(snapshot.pk))
        snapshot.refresh_from_db()
        if snapshot.status != ReportSnapshot.Status.DONE:
            raise DomainError("snapshot_failed", _("The report snapshot failed: {error}").format(error=snapshot.error))
        with translation.override("zh-hans"):
            evaluation.snapshot = snapshot
            evaluation.content = gather(snapshot=snapshot, viewer=viewer)
            evaluation.narratives = current_narratives(evaluation.stage)
            docx = render_docx(evaluation)
            pdf = render_pdf(evaluation)
        with transaction.atomic():
            locked = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
            if locked.is_finished:
                return locked.status
            locked.snapshot = snapshot
            locked.content = evaluation.content
            locked.narratives = evaluation.narratives
            locked.docx.save("report.docx", ContentFile(docx), save=False)
            locked.pdf.save("report.pdf", ContentFile(pdf), save=False)
            locked.status = SelfEvaluation.Status.DONE
            locked.error = ""
            locked.finished_at = timezone.now()
            locked.lease_expires_at = None
            set_history(locked, actor=viewer)
            locked.save()
    except Exception as exc:
        logger.exception("Self-evaluation %s failed", evaluation_id)
        _fail(evaluation_id, exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}")
        return SelfEvaluation.Status.FAILED
    return SelfEvaluation.Status.DONE


def _fail(evaluation_id, error):
    with transaction.atomic():
        evaluation = SelfEvaluation.objects.select_for_update().filter(pk=evaluation_id).first()
        if evaluation is None or evaluation.is_finished:
            return
        evaluation.status = SelfEvaluation.Status.FAILED
        evaluation.error = str(error)[:5000]
        evaluation.finished_at = timezone.now()
        evaluation.lease_expires_at = None
        set_history(evaluation, actor=evaluation.requested_by)
        evaluation.save()
