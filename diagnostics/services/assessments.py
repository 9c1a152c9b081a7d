"""Writes on assessments: create (draft or submitted), update a draft, submit, delete a draft, attach
evidence. Every assessment is scored by the one engine and stored with its edition and result;
after a submission (or a deletion) the enterprise's baseline and current levels are recomputed from
all its authoritative (submitted on-site) evaluations, through ``enterprises.services``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from books import services as books
from core.errors import Conflict, DomainError
from core.files import attachment_create
from core.history import save_with_history, set_history
from core.permissions import require
from core.services import not_in_future
from enterprises.services import enterprise_levels_set
from providers.models import EvaluatorAssignment

from .. import raw as raw_numbers
from ..choices import AssessmentStatus, Method, Stage
from ..models import Assessment
from ..permissions import assessments as permissions
from ..scoring import ScoreInputError, index_spec, score
from ..selectors.assessments import enterprise_levels
from ..selectors.index import current_edition

NOTE_MAX = 2000


class AssessmentInputError(DomainError):
    """Answers, raw numbers or scenes that cannot be scored: ``errors`` maps each offending item,
    scene or raw-number code to its messages (the API answers them as a 400 field → messages map)."""

    def __init__(self, errors):
        first = next(iter(errors.values()))[0] if errors else ""
        super().__init__("invalid_answers", first, status=400)
        self.errors = errors

    def as_dict(self):
        return dict(self.errors)


def _check_date(value, field="evaluated_on"):
    if value is None:
        raise DomainError("date_required", _("Enter the day of the evaluation."), field=field)
    return not_in_future(value, field)


def scored(edition, answers=None, raw=None, scenes=None):
    """``(answers, raw, result)``: the answers with those derived from the raw numbers (raw wins),
    the raw numbers as stored, and the engine's result. Raises :class:`AssessmentInputError`."""
    answers = {} if answers is None else answers
    if not isinstance(answers, dict):
        raise AssessmentInputError({"answers": [_("Answers are an object of item code → answer.")]})
    derived, _details, errors = raw_numbers.derive(raw)
    merged = {**answers, **derived}
    try:
        result = score(index_spec(edition), merged, scenes or {})
    except ScoreInputError as exc:
        errors = {**errors, **exc.errors}
        result = None
    if errors:
        raise AssessmentInputError(errors)
    return merged, raw_numbers.normalise_raw(raw), result


def _clean_notes(edition, notes):
    if notes in (None, ""):
        return {}
    if not isinstance(notes, dict):
        raise AssessmentInputError({"scene_notes": [_("Evidence notes are an object of scene code → text.")]})
    known = set(edition.scenes.values_list("code", flat=True))
    errors, clean = {}, {}
    for code, text in notes.items():
        if code not in known:
            errors[code] = [_("Unknown scene code.")]
        elif not isinstance(text, str):
            errors[code] = [_("An evidence note is text.")]
        elif len(text) > NOTE_MAX:
            errors[code] = [_("An evidence note has at most {n} characters.").format(n=NOTE_MAX)]
        elif text.strip():
            clean[code] = text.strip()
    if errors:
        raise AssessmentInputError(errors)
    return clean


def _default_body(enterprise):
    assignment = (
        EvaluatorAssignment.objects.filter(enterprise=enterprise)
        .select_related("evaluation_body")
        .order_by("-assigned_on", "-pk")
        .first()
    )
    return assignment.evaluation_body if assignment else None


def _apply_scores(assessment, *, answers, raw, scenes):
    answers, raw, result = scored(assessment.edition, answers, raw, scenes)
    assessment.answers = answers
    assessment.raw = raw
    assessment.scenes = {code: level for code, level in (scenes or {}).items() if level}
    assessment.score = result.score
    assessment.level = result.level
    assessment.result = result.as_json()


#: Relations the service sets itself (and checks through the permissions), left out of validation.
SET_BY_SERVICE = ["enterprise", "edition", "evaluation_body", "created_by"]


def _save(assessment, actor, reason=""):
    return save_with_history(assessment, actor=actor, reason=reason, exclude=SET_BY_SERVICE)


def refresh_enterprise_levels(*, actor, enterprise):
    """Recompute the enterprise's baseline and current levels from all its authoritative evaluations
    (records may be entered in any order) and store them through the registry's service."""
    baseline, current = enterprise_levels(enterprise=enterprise)
    return enterprise_levels_set(actor=actor, enterprise=enterprise, baseline_level=baseline, current_level=current)


@transaction.atomic
def assessment_create(
    *,
    actor,
    enterprise,
    stage,
    method,
    evaluated_on,
    edition=None,
    answers=None,
    raw=None,
    scenes=None,
    scene_notes=None,
    evaluation_body=None,
    evaluators="",
    note="",
    submit=False,
):
    """Enter an assessment of ``enterprise``, scored against ``edition`` (default: the current one).

    ``stage``: ``baseline`` or ``post``; ``method``: ``onsite`` (an evaluator of a body assigned to
    the enterprise, or the district for such a body; an evaluator's body is their own, the district's
    default is the body last assigned) or ``self``. ``evaluated_on`` may be past, never future.
    With ``submit`` the assessment is stored submitted (and the enterprise's levels follow);
    otherwise it is a draft.
    """
    if stage not in Stage.values:
        raise DomainError("invalid_stage", _("The stage is baseline or post."), field="stage")
    if method not in Method.values:
        raise DomainError("invalid_method", _("The method is onsite or self."), field="method")
    require(permissions.can_enter(actor, enterprise, method, evaluation_body))
    _check_date(evaluated_on)
    books.guard(evaluated_on, record=enterprise, actor=actor)
    edition = edition or current_edition()
    if method == Method.ONSITE:
        if evaluation_body is None:
            evaluation_body = actor.evaluation_body if actor.evaluation_body_id else _default_body(enterprise)
    else:
        evaluation_body = None
    assessment = Assessment(
        enterprise=enterprise,
        stage=stage,
        method=method,
        edition=edition,
        evaluation_body=evaluation_body,
        evaluated_on=evaluated_on,
        evaluators=(evaluators or "").strip(),
        note=(note or "").strip(),
        created_by=actor,
    )
    _apply_scores(assessment, answers=answers, raw=raw, scenes=scenes)
    assessment.scene_notes = _clean_notes(edition, scene_notes)
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
    _save(assessment, actor, reason="submitted" if submit else "draft")
    if submit:
        refresh_enterprise_levels(actor=actor, enterprise=enterprise)
    return assessment


UPDATABLE = ("stage", "evaluated_on", "answers", "raw", "scenes", "scene_notes", "evaluators", "note")


@transaction.atomic
def assessment_update(*, actor, assessment, **changes):
    """Change a draft (its answers are scored again against its edition); a submitted one is final."""
    assessment = Assessment.objects.select_for_update().select_related("enterprise", "edition").get(pk=assessment.pk)
    require(permissions.can_change(actor, assessment))
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    if "stage" in changes:
        if changes["stage"] not in Stage.values:
            raise DomainError("invalid_stage", _("The stage is baseline or post."), field="stage")
        assessment.stage = changes["stage"]
    if "evaluated_on" in changes:
        books.guard(assessment.evaluated_on, changes["evaluated_on"], record=assessment, actor=actor)
        assessment.evaluated_on = _check_date(changes["evaluated_on"])
    for field in ("evaluators", "note"):
        if field in changes:
            setattr(assessment, field, (changes[field] or "").strip())
    if {"answers", "raw", "scenes"} & set(changes):
        _apply_scores(
            assessment,
            answers=changes.get("answers", assessment.answers),
            raw=changes.get("raw", assessment.raw),
            scenes=changes.get("scenes", assessment.scenes),
        )
    if "scene_notes" in changes:
        assessment.scene_notes = _clean_notes(assessment.edition, changes["scene_notes"])
    return _save(assessment, actor)


def assessment_version(assessment):
    """The token an offline draft carries: the moment the assessment last changed (ISO 8601)."""
    return assessment.updated_at.isoformat() if assessment.updated_at else ""


class StaleDraft(Conflict):
    """The assessment changed on the server after the device's draft was taken from it: ``current``
    is the assessment as it is now (the API answers it beside the 409 so both versions can be shown)."""

    def __init__(self, current):
        super().__init__(
            "conflict",
            _("This assessment was changed on the server after your draft was taken; compare both versions."),
        )
        self.current = current


@transaction.atomic
def assessment_sync(*, actor, assessment, version, **changes):
    """Store a draft kept on a tablet (the offline evaluation form): the changes of
    :func:`assessment_update`, applied only when the assessment is still at ``version`` (the token of
    :func:`assessment_version` the draft was taken from). Otherwise nothing is written and
    :class:`StaleDraft` carries the server's version; a submitted assessment is never overwritten."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require(permissions.can_enter(actor, current.enterprise, current.method, current.evaluation_body))
    if current.status == AssessmentStatus.SUBMITTED or assessment_version(current) != (version or ""):
        raise StaleDraft(current)
    return assessment_update(actor=actor, assessment=current, **changes)


@transaction.atomic
def assessment_submit(*, actor, assessment, date=None):
    """Submit a draft: it becomes final (and authoritative when on site); the enterprise's levels
    are recomputed. ``date``, when given, is the day of the evaluation."""
    assessment = Assessment.objects.select_for_update().select_related("enterprise", "edition").get(pk=assessment.pk)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise Conflict("already_submitted", _("This assessment has already been submitted."))
    require(permissions.can_change(actor, assessment))
    books.guard(assessment.evaluated_on, date, record=assessment, actor=actor)
    if date is not None:
        assessment.evaluated_on = _check_date(date, "date")
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    _save(assessment, actor, reason="submitted")
    refresh_enterprise_levels(actor=actor, enterprise=assessment.enterprise)
    return assessment


@transaction.atomic
def assessment_delete(*, actor, assessment):
    """Delete a draft (a submitted assessment is a record and stays); the levels are recomputed."""
    assessment = Assessment.objects.select_for_update().select_related("enterprise").get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.DRAFT:
        raise Conflict("not_draft", _("Only a draft can be deleted."))
    require(permissions.can_change(actor, assessment))
    books.guard(assessment.evaluated_on, record=assessment, actor=actor)
    enterprise = assessment.enterprise
    set_history(assessment, actor=actor)
    assessment.delete()
    refresh_enterprise_levels(actor=actor, enterprise=enterprise)


@transaction.atomic
def assessment_attach_evidence(*, actor, assessment, scene, upload):
    """Attach an evidence file to one scene of an assessment (validated by ``core.files``)."""
    require(permissions.can_enter(actor, assessment.enterprise, assessment.method, assessment.evaluation_body))
    if not assessment.edition.scenes.filter(code=scene).exists():
        raise DomainError("unknown_scene", _("Unknown scene code."), field="scene")
    return attachment_create(actor=actor, owner=assessment, upload=upload, purpose=f"scene:{scene}")
