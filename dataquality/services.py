"""Writes of the data-quality centre: resolving findings, the refresh of the heavier kinds, merging
duplicates (docs/domain.md "Data quality")."""

import time

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from books import services as books
from core import jobs
from core.errors import Conflict, DomainError
from core.history import save_with_history, set_history
from core.permissions import require
from enterprises.choices import Status
from enterprises.models import Enterprise, EnterpriseStatusChange
from trail.services import EVENT_MODELS

from . import findings, permissions
from .choices import FindingKind, Resolution
from .models import EnterpriseMerge, FindingResolution, RefreshRun, StoredFinding, UnitScore
from .selectors import measure_units


@transaction.atomic
def finding_resolve(*, actor, kind, enterprise, other=None, resolution, reason=""):
    """Record that a finding is fixed, or not a problem (a reason required). The answer is kept with its
    history; the newest answer about a finding counts."""
    require(permissions.can_resolve_finding(actor, enterprise))
    if kind not in FindingKind.values:
        raise DomainError("invalid_kind", _("Unknown kind of finding."), field="kind")
    if resolution not in Resolution.values:
        raise DomainError("invalid_resolution", _("Choose fixed or not a problem."), field="resolution")
    reason = (reason or "").strip()
    if resolution == Resolution.NOT_A_PROBLEM and not reason:
        raise DomainError("reason_required", _("Say why this is not a problem."), field="reason")
    row = FindingResolution(
        kind=kind,
        enterprise=enterprise,
        other=other,
        resolution=resolution,
        reason=reason[:500],
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    return save_with_history(row, actor=actor, reason=resolution)


def findings_refresh():
    """Compute the heavier kinds (near-duplicate names where pg_trgm is available, outliers), store them,
    and keep each unit's score for the trend. Returns the run, with the seconds each part took."""
    run = RefreshRun.objects.create()
    timings, found = {}, {}
    started = time.perf_counter()
    pairs = findings.similar_name_pairs()
    timings["similar_name"] = round(time.perf_counter() - started, 3)
    run.similarity_available = pairs is not None
    now = timezone.now()
    stored = []
    for a, b, similarity in pairs or ():
        detail = _("Similarity {value}").format(value=round(similarity, 2))
        stored.append(
            StoredFinding(kind=FindingKind.SIMILAR_NAME, enterprise_id=a, other_id=b, detail=detail, computed_at=now)
        )
        stored.append(
            StoredFinding(kind=FindingKind.SIMILAR_NAME, enterprise_id=b, other_id=a, detail=detail, computed_at=now)
        )
    started = time.perf_counter()
    for f in findings.outliers(findings.registry()):
        stored.append(StoredFinding(kind=f.kind, enterprise_id=f.enterprise_id, detail=f.detail, computed_at=now))
    timings["outliers"] = round(time.perf_counter() - started, 3)
    with transaction.atomic():
        StoredFinding.objects.all().delete()
        StoredFinding.objects.bulk_create(stored, batch_size=2000)
    for s in stored:
        found[s.kind] = found.get(s.kind, 0) + 1
    started = time.perf_counter()
    scores = measure_units()
    UnitScore.objects.bulk_create(
        UnitScore(
            unit=row["unit"],
            measured_at=row["measured_at"],
            score=row["score"],
            findings=row["findings"],
            enterprises=row["enterprises"],
        )
        for row in scores.values()
    )
    timings["scores"] = round(time.perf_counter() - started, 3)
    run.timings, run.found, run.finished_at = timings, found, timezone.now()
    run.save()
    return run


# --- merging duplicates ---------------------------------------------------------------------------


def _is_historical(model):
    return hasattr(model, "instance_type") and model._meta.model_name.startswith("historical")


def enterprise_relations():
    """``[(model, field)]``: every foreign key and one-to-one field to ``Enterprise`` of every installed model,
    except the history tables (the past stays as it was written) and the sealed event tables (the audit trail
    hashes their rows; they stay with the alias)."""
    found = []
    for model in apps.get_models():
        if _is_historical(model) or model._meta.label_lower in EVENT_MODELS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Enterprise and (field.many_to_one or field.one_to_one):
                found.append((model, field))
    return found


def _unique_sets(model, field):
    """The unique rules of ``model`` that include ``field``: ``[(fields, condition)]``."""
    rules = []
    if field.unique or field.one_to_one:
        rules.append(((field.name,), None))
    for together in model._meta.unique_together:
        if field.name in together:
            rules.append((tuple(together), None))
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and field.name in fields:
            rules.append((tuple(fields), constraint.condition))
    return rules


def _flag_of(condition):
    """The boolean field of a condition ``Q(flag=True)`` (one current report per enterprise), else None."""
    if condition is None or len(condition.children) != 1 or condition.negated:
        return None
    child = condition.children[0]
    if isinstance(child, tuple) and child[1] is True:
        return child[0]
    return None


#: Date fields of the dated events of docs/api.md "Period close" that a moved record may carry.
DATED_EVENT_FIELDS = frozenset(
    {
        "evaluated_on",
        "submitted_on",
        "last_submitted_on",
        "accepted_on",
        "filed_on",
        "approved_on",
        "acceptance_requested_on",
        "recognised_on",
        "committed_on",
        "granted_on",
        "cloud_verified_on",
        "key_provider_since",
    }
)
#: Rows that do not move: the merges themselves (they name both sides) and the refreshed findings (the next
#: refresh computes them again).
NOT_MOVED = ("dataquality.EnterpriseMerge", "dataquality.StoredFinding")


def _dates(row):
    """The dates of the dated events a moved row carries: moving it changes the books of those days."""
    return [getattr(row, f.attname) for f in row._meta.concrete_fields if f.name in DATED_EVENT_FIELDS]


def _clashes(model, field, row, survivor, fields, condition):
    """Whether moving ``row`` to ``survivor`` would break the unique rule over ``fields`` (when ``condition``)."""
    if condition is not None and not model._base_manager.filter(pk=row.pk).filter(condition).exists():
        return False
    clash = model._base_manager.filter(**{field.name: survivor})
    for name in fields:
        if name != field.name:
            attname = model._meta.get_field(name).attname
            clash = clash.filter(**{attname: getattr(row, attname)})
    if condition is not None:
        clash = clash.filter(condition)
    return clash.exists()


def _move_row(model, field, row, survivor, *, actor, reason):
    """Move one row; ``False`` when a unique rule keeps it with the alias."""
    extra = []
    for fields, condition in _unique_sets(model, field):
        if not _clashes(model, field, row, survivor, fields, condition):
            continue
        flag = _flag_of(condition)
        if flag is None:
            return False
        setattr(row, flag, False)  # the survivor's stays current; this one is kept, no longer current
        extra.append(flag)
    if model is not Enterprise:
        books.guard(*_dates(row), record=row, actor=actor)
    setattr(row, field.name, survivor)
    if hasattr(type(row), "history"):
        set_history(row, actor=actor, reason=reason)
    row.save(update_fields=[field.name, *extra])
    return True


def _move_records(merged, survivor, *, actor, reason):
    """Move every row of every model pointing to ``merged``; ``(moved, kept)`` counts per model label."""
    moved, kept = {}, {}
    for model, field in enterprise_relations():
        label = model._meta.label
        if label in NOT_MOVED:
            continue
        for row in model._base_manager.filter(**{field.name: merged}).order_by("pk").select_for_update():
            counts = moved if _move_row(model, field, row, survivor, actor=actor, reason=reason) else kept
            counts[label] = counts.get(label, 0) + 1
    for model in apps.get_models():
        if _is_historical(model):
            continue
        for m2m in model._meta.many_to_many:
            if m2m.related_model is not Enterprise:
                continue
            for owner in model._base_manager.filter(**{m2m.name: merged}):
                related = getattr(owner, m2m.name)
                related.add(survivor)
                related.remove(merged)
                label = f"{model._meta.label}.{m2m.name}"
                moved[label] = moved.get(label, 0) + 1
    StoredFinding.objects.filter(Q(enterprise=merged) | Q(other=merged)).delete()
    return moved, kept


@transaction.atomic
def enterprise_merge(*, actor, survivor, merged, reason):
    """Merge ``merged`` into ``survivor`` (two registrations of one enterprise), in one transaction.

    Every record of every app that points to ``merged`` (diagnoses, assessments, deadlines, projects and so
    their payments, recognitions, commitments, subsidies, assignments, ratings, resolutions…) moves to
    ``survivor``, found through the model meta, each with a history row saying so. Where a unique rule would
    break, the survivor's record keeps its place: a second current report is kept as not current, and a
    second record of a pair that may exist only once (the same provider assigned twice, the same kind of
    deadline) stays with the alias, counted in ``kept``. A moved record dated in a closed period is refused
    by the period-close guard, and nothing changes. ``merged`` keeps its own facts, credit code and status
    history, and becomes an alias: status "merged", replaced by the survivor. Both get a status change."""
    require(permissions.can_merge_enterprises(actor))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", _("Say why the two are one enterprise."), field="reason")
    if survivor.pk == merged.pk:
        raise DomainError("same_enterprise", _("Choose two different enterprises."), field="merged")
    survivor = Enterprise.objects.select_for_update().get(pk=survivor.pk)
    merged = Enterprise.objects.select_for_update().get(pk=merged.pk)
    if Status.MERGED in (survivor.status, merged.status):
        raise Conflict("already_merged", _("One of the two is already merged into another file."))
    today = timezone.localdate()
    books.guard(today, record=merged, actor=actor)
    note = _("Merged {name} ({code}) into {survivor} ({survivor_code}): {reason}").format(
        name=merged.name,
        code=merged.credit_code,
        survivor=survivor.name,
        survivor_code=survivor.credit_code,
        reason=reason,
    )
    moved, kept = _move_records(merged, survivor, actor=actor, reason=note[:100])
    previous = merged.status
    merged.refresh_from_db()
    merged.status = Status.MERGED
    merged.replacement = survivor
    save_with_history(merged, actor=actor, clean=False, reason="merged")
    for enterprise, kind, other, from_status, to_status in (
        (merged, EnterpriseStatusChange.Kind.MERGED, survivor, previous, Status.MERGED),
        (survivor, EnterpriseStatusChange.Kind.ABSORBED, merged, "", ""),
    ):
        EnterpriseStatusChange.objects.create(
            enterprise=enterprise,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            happened_on=today,
            note=note[:500],
            replacement=other,
            actor=actor,
        )
    record = EnterpriseMerge(
        survivor=survivor,
        merged=merged,
        merged_name=merged.name,
        merged_credit_code=merged.credit_code,
        reason=reason[:500],
        moved=moved,
        kept=kept,
        merged_by=actor,
    )
    return save_with_history(record, actor=actor, clean=False, reason="merged")


@transaction.atomic
def findings_refresh_request(*, actor):
    """Ask for a refresh of the heavier kinds as a background job (the centre's button)."""
    require(permissions.can_merge_enterprises(actor))
    job = jobs.job_create(kind="data_quality_refresh", task_name="dataquality.tasks.refresh_findings_task", actor=actor)
    job.task_args = [str(job.pk)]
    job.save(update_fields=["task_args"])
    jobs.job_enqueue(job)
    return job
