"""Writes of the diagnosis-report workflow (一企一报告) and of the district's deadlines.

A provider drafts a report for an enterprise assigned to it, fills it in (baseline answers and
scene levels scored by the engine, pain points, target level and scenes, proposed work and cost,
recommended products, the signed PDF), and submits it; the district accepts it or returns it with
a reason; the provider revises and resubmits (the version goes up, and every submitted version is
kept as a snapshot in its transition). Accepting makes the report the enterprise's one current
accepted report and marks the previous one superseded.

Every step is a row of ``DiagnosisTransition`` with actor, the day it happened (optional, default
today, never in the future; no rule compares it with other dates, since the programme's history
since October 2024 is entered in any order) and reason, written in the same transaction as the
change (docs/style.md habits 1 and 4). Missing evidence never refuses a step: it shows as the
report's checklist (``selectors.diagnoses.diagnosis_checklist``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from books import services as books
from core.errors import Conflict, DomainError, PermissionDenied
from core.files import attachment_create, validate_upload
from core.history import save_with_history, set_history
from core.money import Sign, parse_amount
from core.permissions import require
from core.roles import Role, role_of
from core.services import event_day
from enterprises.choices import Status as EnterpriseStatus
from enterprises.models import Enterprise
from notifications.choices import NotificationKind as Notice
from notifications.services import district_officials, notify_event, provider_users
from providers.models import Product, ProviderAssignment

from ..choices import DeadlineKind, DiagnosisAction, DiagnosisStatus
from ..models import Deadline, Diagnosis, DiagnosisTransition, IndexEdition
from ..permissions import diagnoses as perms
from ..scoring import ScoreInputError, index_spec, score
from ..selectors.diagnoses import SIGNED_PDF_PURPOSE, signed_pdf_of
from ..selectors.index import scene_table

PDF_EXTENSIONS = {".pdf"}
#: Enterprises a report may be drafted for. Withdrawn ones are allowed too: docs/api.md says a
#: withdrawal never blocks entering the enterprise's earlier or later history. Declined ones never
#: entered the pilot list.
REPORTABLE_STATUSES = (EnterpriseStatus.ACTIVE, EnterpriseStatus.PROPOSED, EnterpriseStatus.WITHDRAWN)
#: Content a report holds (``diagnosis_update`` keywords).
CONTENT_FIELDS = (
    "answers",
    "raw",
    "scenes",
    "scene_notes",
    "pain_points",
    "summary",
    "target_level",
    "target_scenes",
    "proposed_work",
    "proposed_cost",
    "software_cost",
    "recommended_products",
    "diagnosed_on",
)
MAX_COST = Decimal("999999999999.99")


class AnswersError(DomainError):
    """Answers or scene levels the engine cannot score; ``errors`` names each offending code."""

    def __init__(self, errors):
        super().__init__("invalid_answers", _("Some answers cannot be scored: see errors."), field="answers")
        self.errors = errors

    def as_dict(self):
        data = super().as_dict()
        data["errors"] = {code: [str(m) for m in messages] for code, messages in self.errors.items()}
        return data


# --- helpers ------------------------------------------------------------------------------------


def _state(result):
    allowed, reason = result
    if not allowed:
        raise Conflict("invalid_state", reason)


def _today():
    return timezone.localdate()


def _save(diagnosis, actor, reason=""):
    return save_with_history(diagnosis, actor=actor, reason=reason, validate_unique=False)


def _record(diagnosis, *, actor, action, from_status, to_status, date, reason="", snapshot=None):
    return DiagnosisTransition.objects.create(
        diagnosis=diagnosis,
        action=action,
        from_status=from_status,
        to_status=to_status,
        date=date,
        reason=reason,
        snapshot=snapshot,
        actor=actor,
    )


def _step(diagnosis, to_status, *, actor, action, date, history_reason, reason="", with_snapshot=False):
    """Move the report to ``to_status``, save it with its history and record the transition from
    the status it had; ``with_snapshot`` keeps the report as saved on the transition."""
    books.guard(date, record=diagnosis, actor=actor)
    from_status = diagnosis.status
    diagnosis.status = to_status
    _save(diagnosis, actor, reason=history_reason)
    return _record(
        diagnosis,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        date=date,
        reason=reason,
        snapshot=diagnosis_snapshot(diagnosis) if with_snapshot else None,
    )


def report_link(diagnosis):
    """The path of a report's page, for the notifications about it."""
    return reverse("diagnostics:diagnoses:detail", args=[diagnosis.pk])


def _locked(diagnosis):
    return Diagnosis.objects.select_for_update().select_related("enterprise", "provider").get(pk=diagnosis.pk)


def _current_edition():
    edition = IndexEdition.objects.filter(is_current=True).first()
    if edition is None:
        raise DomainError("no_index", _("No edition of the index is marked current; ask an administrator."))
    return edition


def _cost(value, field):
    """A proposed or software-type cost in 元: none, or 0 or more, within what the report's column holds."""
    amount = parse_amount(value, sign=Sign.NON_NEGATIVE, field=field, allow_none=True)
    if amount is not None and amount > MAX_COST:
        raise DomainError("invalid_amount", _("This amount is too large; amounts are in yuan."), field=field)
    return amount


def diagnosis_snapshot(diagnosis):
    """The report's content as submitted (a version): kept in the submit transition, shown later."""
    pdf = signed_pdf_of(diagnosis)
    return {
        "version": diagnosis.version,
        "edition": diagnosis.edition.code,
        "diagnosed_on": diagnosis.diagnosed_on.isoformat() if diagnosis.diagnosed_on else None,
        "answers": diagnosis.answers,
        "raw": diagnosis.raw,
        "scenes": diagnosis.scenes,
        "scene_notes": diagnosis.scene_notes,
        "score": str(diagnosis.score) if diagnosis.score is not None else None,
        "level": diagnosis.level,
        "result": diagnosis.result,
        "pain_points": diagnosis.pain_points,
        "summary": diagnosis.summary,
        "target_level": diagnosis.target_level,
        "target_scenes": diagnosis.target_scenes,
        "proposed_work": diagnosis.proposed_work,
        "proposed_cost": str(diagnosis.proposed_cost) if diagnosis.proposed_cost is not None else None,
        "software_cost": str(diagnosis.software_cost) if diagnosis.software_cost is not None else None,
        "recommended_products": [
            {"id": p.pk, "name": p.name, "provider": p.provider.name}
            for p in diagnosis.recommended_products.select_related("provider").order_by("pk")
        ],
        "signed_pdf": {"id": str(pdf.pk), "name": pdf.original_name, "sha256": pdf.sha256} if pdf else None,
    }


# --- the report ---------------------------------------------------------------------------------


@transaction.atomic
def diagnosis_create(*, actor, enterprise, provider, date=None):
    """Open a draft report of ``provider`` for ``enterprise``.

    A provider user drafts only in its own provider's name and only for an enterprise the district
    assigned to it (or already named in its reports); the district and admins for any provider.
    The enterprise must be in (or proposed for, or once in) the pilot list, and the pair may have
    only one open (draft, submitted or returned) report at a time.
    """
    require(perms.may_create_for(actor, provider))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if role_of(actor) == Role.PROVIDER_USER:
        linked = (
            ProviderAssignment.objects.filter(enterprise=enterprise, provider=provider).exists()
            or Diagnosis.objects.filter(enterprise=enterprise, provider=provider).exists()
        )
        if not linked:
            raise PermissionDenied(
                _("The district has not assigned this enterprise to your organisation."), code="not_assigned"
            )
    if enterprise.status not in REPORTABLE_STATUSES:
        raise Conflict(
            "enterprise_not_in_pilot",
            _("A report can only be drafted for an enterprise of the pilot list; this one is {status}.").format(
                status=enterprise.get_status_display()
            ),
        )
    open_report = Diagnosis.objects.filter(
        enterprise=enterprise, provider=provider, status__in=perms.OPEN_STATES
    ).first()
    if open_report is not None:
        raise Conflict(
            "open_report_exists",
            _("This provider already has an open report (no. {id}, {status}) for this enterprise.").format(
                id=open_report.pk, status=open_report.get_status_display()
            ),
        )
    happened_on = event_day(date)
    books.guard(happened_on, record=enterprise, actor=actor)
    diagnosis = Diagnosis(
        enterprise=enterprise,
        provider=provider,
        edition=_current_edition(),
        status=DiagnosisStatus.DRAFT,
        created_by=actor,
    )
    _save(diagnosis, actor, reason="created")
    _record(
        diagnosis,
        actor=actor,
        action=DiagnosisAction.CREATE,
        from_status="",
        to_status=DiagnosisStatus.DRAFT,
        date=happened_on,
    )
    return diagnosis


def _clean_text_map(value, field, codes):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DomainError("invalid", _("Give an object of scene code → text."), field=field)
    cleaned = {}
    for code, text in value.items():
        if code not in codes:
            raise DomainError("unknown_scene", _("Unknown scene code: {code}.").format(code=code), field=field)
        if text is None:
            continue
        if not isinstance(text, str):
            raise DomainError("invalid", _("Each scene takes a text."), field=field)
        if text.strip():
            cleaned[code] = text.strip()[:4000]
    return cleaned


def normalise_target_scenes(codes, table):
    """Scene codes without repeats, constraint scenes first, each group in the index's order."""
    known = {row["code"]: row for row in table}
    if codes is None:
        return []
    if not isinstance(codes, (list, tuple)):
        raise DomainError("invalid", _("Give the list of target scene codes."), field="target_scenes")
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise DomainError(
            "unknown_scene",
            _("Unknown scene code: {code}.").format(code=", ".join(str(c) for c in unknown)),
            field="target_scenes",
        )
    chosen = set(codes)
    return [
        row["code"] for row in sorted(table, key=lambda r: (not r["constraint"], r["order"])) if row["code"] in chosen
    ]


def _products(value, provider):
    """Recommended products: any provider's recognised products, or the report provider's own."""
    if value is None:
        return []
    ids = []
    for item in value:
        pk = getattr(item, "pk", item)
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise DomainError("invalid", _("Products are given by their ids."), field="recommended_products")
        ids.append(pk)
    products = list(Product.objects.filter(pk__in=ids).select_related("provider"))
    found = {p.pk for p in products}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise DomainError(
            "unknown_product",
            _("No product has the id {ids}.").format(ids=", ".join(missing)),
            field="recommended_products",
        )
    for product in products:
        if product.recognised_on is None and product.provider_id != provider.pk:
            raise DomainError(
                "product_not_recognised",
                _("{name} is neither recognised by the district nor this provider's own product.").format(
                    name=product.name
                ),
                field="recommended_products",
            )
    return products


@transaction.atomic
def diagnosis_update(*, actor, diagnosis, **changes):
    """Change the content of a draft or returned report (the provider's users, the district, admins).

    Only the keywords given change; ``answers``, ``raw``, ``scenes``, ``scene_notes`` and
    ``pain_points`` each replace the whole object. Answers and scene levels are scored with the
    report's edition and stored with the result. The target level lies between the baseline level
    the answers reach and 4; target scenes are stored constraint scenes first; the software-type
    cost cannot exceed the proposed cost.
    """
    diagnosis = _locked(diagnosis)
    require(perms.may_work_on(actor, diagnosis))
    _state(perms.state_allows("edit", diagnosis))
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    table = scene_table(diagnosis.edition_id)
    codes = {row["code"] for row in table}

    if "raw" in changes:
        raw = changes["raw"] if changes["raw"] is not None else {}
        if not isinstance(raw, dict):
            raise DomainError("invalid", _("Raw numbers are an object of name → value."), field="raw")
        diagnosis.raw = raw
    if "scene_notes" in changes:
        diagnosis.scene_notes = _clean_text_map(changes["scene_notes"], "scene_notes", codes)
    if "answers" in changes or "scenes" in changes:
        answers = changes.get("answers", diagnosis.answers)
        scenes = changes.get("scenes", diagnosis.scenes)
        answers = {} if answers is None else answers
        scenes = {} if scenes is None else scenes
        if answers or scenes:
            try:
                result = score(index_spec(diagnosis.edition), answers, scenes)
            except ScoreInputError as exc:
                raise AnswersError(exc.errors) from exc
            diagnosis.score, diagnosis.level, diagnosis.result = result.score, result.level, result.as_json()
        else:
            diagnosis.score, diagnosis.level, diagnosis.result = None, None, {}
        diagnosis.answers, diagnosis.scenes = answers, scenes
    if "pain_points" in changes:
        diagnosis.pain_points = _clean_text_map(changes["pain_points"], "pain_points", codes)
    for field in ("summary", "proposed_work"):
        if field in changes:
            setattr(diagnosis, field, (changes[field] or "").strip())
    if "target_level" in changes:
        level = changes["target_level"]
        if level is not None and (isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4):
            raise DomainError(
                "invalid_level", _("The target level is a whole number from 1 to 4."), field="target_level"
            )
        diagnosis.target_level = level
    if "target_scenes" in changes:
        diagnosis.target_scenes = normalise_target_scenes(changes["target_scenes"], table)
    if "proposed_cost" in changes:
        diagnosis.proposed_cost = _cost(changes["proposed_cost"], "proposed_cost")
    if "software_cost" in changes:
        diagnosis.software_cost = _cost(changes["software_cost"], "software_cost")
    if "diagnosed_on" in changes:
        diagnosis.diagnosed_on = event_day(changes["diagnosed_on"], "diagnosed_on") if changes["diagnosed_on"] else None

    if diagnosis.target_level is not None and diagnosis.level is not None and diagnosis.target_level < diagnosis.level:
        raise DomainError(
            "target_below_baseline",
            _("The target level ({target}) cannot be below the baseline level the answers reach ({level}).").format(
                target=diagnosis.target_level, level=diagnosis.level
            ),
            field="target_level",
        )
    if (
        diagnosis.software_cost is not None
        and diagnosis.proposed_cost is not None
        and diagnosis.software_cost > diagnosis.proposed_cost
    ):
        raise DomainError(
            "software_above_total",
            _("The software-type cost cannot exceed the proposed cost."),
            field="software_cost",
        )
    products = (
        _products(changes["recommended_products"], diagnosis.provider) if "recommended_products" in changes else None
    )
    _save(diagnosis, actor, reason="edited")
    if products is not None:
        diagnosis.recommended_products.set(products)
    return diagnosis


@transaction.atomic
def diagnosis_submit(*, actor, diagnosis, date=None):
    """Submit a draft or returned report for the district's review.

    A resubmission after a return is a new version (``version`` + 1). The transition keeps a
    snapshot of the report as submitted. ``submitted_on`` is the first submission's day,
    ``last_submitted_on`` the latest one's.
    """
    diagnosis = _locked(diagnosis)
    require(perms.may_work_on(actor, diagnosis))
    _state(perms.state_allows("submit", diagnosis))
    happened_on = event_day(date)
    if diagnosis.status == DiagnosisStatus.RETURNED:
        diagnosis.version += 1
    diagnosis.submitted_on = diagnosis.submitted_on or happened_on
    diagnosis.last_submitted_on = happened_on
    _step(
        diagnosis,
        DiagnosisStatus.SUBMITTED,
        actor=actor,
        action=DiagnosisAction.SUBMIT,
        date=happened_on,
        history_reason="submitted",
        with_snapshot=True,
    )
    notify_event(
        district_officials(),
        Notice.DIAGNOSIS_SUBMITTED,
        diagnosis.enterprise.name,
        link=report_link(diagnosis),
        actor=actor,
    )
    return diagnosis


@transaction.atomic
def diagnosis_accept(*, actor, diagnosis, date=None, reason=""):
    """The district accepts a submitted report: it becomes the enterprise's current accepted report.

    The enterprise's previously current report stays accepted but is no longer current; a
    ``supersede`` transition on it says by which report.
    """
    diagnosis = _locked(diagnosis)
    require(perms.may_review(actor))
    _state(perms.state_allows("accept", diagnosis))
    happened_on = event_day(date)
    previous = list(
        Diagnosis.objects.select_for_update()
        .filter(enterprise_id=diagnosis.enterprise_id, is_current=True)
        .exclude(pk=diagnosis.pk)
    )
    for old in previous:
        old.is_current = False
        _step(
            old,
            old.status,  # it stays accepted
            actor=actor,
            action=DiagnosisAction.SUPERSEDE,
            date=happened_on,
            history_reason="superseded",
            reason=_("Superseded by report no. {id} of {provider}.").format(
                id=diagnosis.pk, provider=diagnosis.provider.name
            ),
        )
    diagnosis.is_current = True
    diagnosis.accepted_on = happened_on
    _step(
        diagnosis,
        DiagnosisStatus.ACCEPTED,
        actor=actor,
        action=DiagnosisAction.ACCEPT,
        date=happened_on,
        history_reason="accepted",
        reason=(reason or "").strip(),
    )
    notify_event(
        provider_users([diagnosis.provider_id]),
        Notice.DIAGNOSIS_ACCEPTED,
        diagnosis.enterprise.name,
        link=report_link(diagnosis),
    )
    return diagnosis


@transaction.atomic
def diagnosis_return(*, actor, diagnosis, reason, date=None):
    """The district returns a submitted report for revision, saying why (required)."""
    diagnosis = _locked(diagnosis)
    require(perms.may_review(actor))
    if not reason or not str(reason).strip():
        raise DomainError("reason_required", _("Say why the report is returned."), field="reason")
    _state(perms.state_allows("return", diagnosis))
    happened_on = event_day(date)
    diagnosis.return_count += 1
    _step(
        diagnosis,
        DiagnosisStatus.RETURNED,
        actor=actor,
        action=DiagnosisAction.RETURN,
        date=happened_on,
        history_reason="returned",
        reason=str(reason).strip(),
    )
    notify_event(
        provider_users([diagnosis.provider_id]),
        Notice.DIAGNOSIS_RETURNED,
        diagnosis.enterprise.name,
        link=report_link(diagnosis),
        body=str(reason).strip(),
    )
    return diagnosis


def _looks_like_pdf(upload):
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-")


@transaction.atomic
def diagnosis_attach_signed_pdf(*, actor, diagnosis, upload):
    """Attach the signed report as a PDF (evidence). A new file replaces the shown one; the earlier
    files stay attached, so the history of what was signed is kept.

    Refused: another type than .pdf, an empty or oversized file (``PORTAL_MAX_UPLOAD_MB``), and a
    file named .pdf whose content is not a PDF.
    """
    diagnosis = _locked(diagnosis)
    require(perms.may_work_on(actor, diagnosis))
    _state(perms.can_attach_signed_pdf(actor, diagnosis))
    validate_upload(upload, allowed_extensions=PDF_EXTENSIONS, max_bytes=settings.PORTAL_MAX_UPLOAD_BYTES)
    if not _looks_like_pdf(upload):
        raise DomainError("file_not_pdf", _("This file is not a PDF document."), field="file")
    attachment = attachment_create(
        actor=actor, owner=diagnosis, upload=upload, purpose=SIGNED_PDF_PURPOSE, allowed_extensions=PDF_EXTENSIONS
    )
    _save(diagnosis, actor, reason="signed PDF attached")
    return attachment


# --- deadlines ----------------------------------------------------------------------------------


def _check_kind(kind):
    if kind not in DeadlineKind.values:
        raise DomainError("invalid_kind", _("Unknown deadline kind."), field="kind")


@transaction.atomic
def deadline_set(*, actor, enterprise, kind, due_on, note=""):
    """Set (or move) an enterprise's deadline of ``kind`` (district officials and admins).

    Past dates are allowed on purpose: deadlines the district set before the portal existed are
    back-filled, and one already passed shows as overdue at once.
    """
    require(perms.can_set_deadlines(actor))
    _check_kind(kind)
    if due_on is None:
        raise DomainError("required", _("Give the due date."), field="due_on")
    deadline = Deadline.objects.select_for_update().filter(enterprise=enterprise, kind=kind).first()
    if deadline is None:
        deadline = Deadline(enterprise=enterprise, kind=kind)
    deadline.due_on = due_on
    deadline.note = (note or "").strip()[:255]
    deadline.set_by = actor
    return save_with_history(deadline, actor=actor, clean=False)


@transaction.atomic
def deadline_set_many(*, actor, enterprises, kind, due_on, note=""):
    """The same deadline for many enterprises (a unit's active enterprises, a filtered list); all or none."""
    require(perms.can_set_deadlines(actor))
    return [deadline_set(actor=actor, enterprise=e, kind=kind, due_on=due_on, note=note) for e in enterprises]


@transaction.atomic
def deadline_clear(*, actor, enterprise, kind):
    """Remove an enterprise's deadline of ``kind`` (the history keeps it). Returns whether one existed."""
    require(perms.can_set_deadlines(actor))
    _check_kind(kind)
    deadline = Deadline.objects.filter(enterprise=enterprise, kind=kind).first()
    if deadline is None:
        return False
    set_history(deadline, actor=actor)
    deadline.delete()
    return True
