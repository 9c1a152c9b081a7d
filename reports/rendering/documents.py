"""The three auditors' PDFs: the enterprise file (一企一档), a project dossier and the ledger statement.

Each is composed here, at the layer that knows all the parts, from every app's scoped querysets read
*as the requester*: a provider's enterprise file shows its own diagnoses and projects only, money is
shown to the roles that see it (``funding.permissions``), exactly as the pages do. Money in 元 with
two decimals; totals also in 万元, as officials read them (``core.money``).
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Attachment
from core.money import format_percent, format_wan, format_yuan
from diagnostics.models import Assessment, Diagnosis
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_status_history
from funding import selectors
from funding.choices import CommitmentStatus, DisbursementStatus, FundSourceKind, ProjectStatus
from funding.ledger_terms import FIGURES, central_rules
from funding.models import Acceptance, Commitment, CommitmentLine, Disbursement, Project, Recognition
from funding.permissions import can_see_ledger, can_see_subsidy_totals
from funding.services.evidence import attachments_of
from providers.choices import SCENE_LABELS

from ..selectors.documents import as_pk
from .common import PDF, Rendered, css_text, render_pdf

ZERO = Decimal("0.00")


# --- formatting --------------------------------------------------------------------------------


def yuan(value):
    """``1,234,567.00 元``; a dash for nothing."""
    return "—" if value is None else format_yuan(value)


def wan(value):
    """``123.46 万元``: the figure officials read in totals."""
    return "—" if value is None else format_wan(value)


def day(value):
    return value.isoformat() if value else "—"


def common_context(document, viewer, title):
    """What every document's page shows: its title, who asked for it and when, and the footer line."""
    now = timezone.localtime()
    requester = str(viewer)
    return {
        "title": title,
        "document": document,
        "generated_at": now,
        "requester": requester,
        "footer_note": css_text(f"{title} · 生成于 {now:%Y-%m-%d %H:%M} · 申请人 {requester}"),
    }


def _attachments(records):
    """``{(content type id, object id): [attachments]}`` for many records, one query per model."""
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), set()).add(str(record.pk))
    found = {}
    for model, ids in by_model.items():
        ct = ContentType.objects.get_for_model(model)
        for a in Attachment.objects.filter(content_type=ct, object_id__in=ids).order_by("uploaded_at"):
            found.setdefault((ct.pk, a.object_id), []).append(a)
    return found


def _attachment_rows(records_with_labels):
    """Rows ``{"record", "purpose", "name", "size", "uploaded_on"}`` listing the files of records."""
    found = _attachments([record for record, _label in records_with_labels])
    rows = []
    for record, label in records_with_labels:
        ct = ContentType.objects.get_for_model(type(record))
        for a in found.get((ct.pk, str(record.pk)), []):
            rows.append(
                {
                    "record": label,
                    "purpose": a.purpose,
                    "name": a.original_name,
                    "size": f"{(a.size or 0) / 1024:,.1f} KB",
                    "uploaded_on": day(timezone.localtime(a.uploaded_at).date()),
                }
            )
    return rows


def _scene_labels(codes):
    return [str(SCENE_LABELS.get(code, code)) for code in codes or []]


# --- the enterprise file (一企一档) ---------------------------------------------------------------


def enterprise_file_context(enterprise, viewer):
    """Everything about one enterprise the viewer may see, for the PDF."""
    diagnoses = list(
        Diagnosis.objects.visible_to(viewer)
        .filter(enterprise=enterprise)
        .select_related("provider")
        .order_by("created_at", "pk")
    )
    for d in diagnoses:
        d.pains = [
            {"scene": str(SCENE_LABELS.get(code, code)), "text": text}
            for code, text in (d.pain_points or {}).items()
            if (text or "").strip()
        ]
        d.target_scene_labels = _scene_labels(d.target_scenes)
    evaluations = list(
        Assessment.objects.visible_to(viewer)
        .authoritative()
        .filter(enterprise=enterprise)
        .select_related("evaluation_body")
        .order_by("evaluated_on", "created_at", "pk")
    )
    projects = list(
        Project.objects.visible_to(viewer).filter(enterprise=enterprise).select_related("provider").order_by("filed_on")
    )
    acceptances = list(
        Acceptance.objects.filter(project__in=[p.pk for p in projects])
        .select_related("project", "evaluation_body", "post_assessment")
        .order_by("accepted_on", "attempt")
    )
    recognitions = list(
        Recognition.objects.visible_to(viewer)
        .filter(Q(enterprise=enterprise) | Q(members=enterprise))
        .distinct()
        .order_by("recognised_on", "pk")
    )
    money = {"detail": False, "totals": None, "commitments": [], "disbursements": []}
    disbursements = []
    if can_see_subsidy_totals(viewer)[0]:
        commitments = Commitment.objects.visible_to(viewer).filter(enterprise=enterprise)
        totals = selectors.subsidy_totals(queryset_commitments=commitments)
        money["totals"] = {k: {"yuan": yuan(v), "wan": wan(v)} for k, v in totals.items()}
        if can_see_ledger(viewer)[0]:
            money["detail"] = True
            for c in commitments.select_related("project").prefetch_related("lines").order_by("committed_on", "pk"):
                amount = sum((ln.amount for ln in c.lines.all()), ZERO)
                money["commitments"].append(
                    {
                        "committed_on": day(c.committed_on),
                        "title": c.title,
                        "project": str(c.project) if c.project_id else "—",
                        "status": c.get_status_display(),
                        "amount": yuan(amount),
                    }
                )
            disbursements = list(
                Disbursement.objects.visible_to(viewer)
                .filter(commitment_line__commitment__enterprise=enterprise)
                .select_related("commitment_line__commitment", "commitment_line__budget_line")
                .order_by("requested_on", "pk")
            )
            money["disbursements"] = [_disbursement_row(d) for d in disbursements]
    labelled = (
        [(d, f"诊断报告 v{d.version}") for d in diagnoses]
        + [(a, f"现场评定 {day(a.evaluated_on)}") for a in evaluations]
        + [(p, f"项目 {p.contract_no}") for p in projects]
        + [(r, f"认定 {r.title}") for r in recognitions]
        + [(d, f"拨付 {d.voucher_no or d.pk}") for d in disbursements]
    )
    return {
        "enterprise": enterprise,
        "status_history": list(enterprise_status_history(enterprise=enterprise)),
        "diagnoses": diagnoses,
        "evaluations": evaluations,
        "projects": [
            {"project": p, "eligible": yuan(p.eligible_spend), "total": yuan(p.total_investment)} for p in projects
        ],
        "acceptances": acceptances,
        "recognitions": recognitions,
        "money": money,
        "attachments": _attachment_rows(labelled),
        "revenue": f"{enterprise.revenue:,} 万元" if enterprise.revenue is not None else "—",
        "revenue_previous": f"{enterprise.revenue_previous:,} 万元" if enterprise.revenue_previous is not None else "—",
    }


def _disbursement_row(d):
    return {
        "commitment": d.commitment_line.commitment.title,
        "budget_line": d.commitment_line.budget_line.name,
        "tranche": d.tranche,
        "status": d.get_status_display(),
        "requested_on": day(d.requested_on),
        "paid_on": day(d.paid_on),
        "voucher": d.voucher_no or "—",
        "amount": yuan(d.amount),
        "reversal": d.reverses_id is not None,
    }


def render_enterprise_file(document, viewer, progress):
    enterprise = (
        Enterprise.objects.visible_to(viewer).select_related("unit", "replacement").get(pk=as_pk(document.subject_id))
    )
    progress(10, "collecting")
    context = {
        **common_context(document, viewer, f"一企一档 · {enterprise.name}"),
        **enterprise_file_context(enterprise, viewer),
    }
    progress(40, "rendering")
    content = render_pdf("reports/pdf_enterprise.html", context)
    return Rendered(content, f"一企一档_{enterprise.credit_code}.pdf", PDF)


# --- the project dossier -------------------------------------------------------------------------


def _history_rows(project):
    """Field-level history of the project (who changed what, when), oldest first."""
    records = list(project.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for record in records:
        if previous is None:
            changed = "创建"
        else:
            changed = "、".join(str(c.field) for c in record.diff_against(previous).changes) or "—"
        rows.append(
            {
                "at": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
                "who": str(record.history_user) if record.history_user_id else "—",
                "kind": {"+": "创建", "~": "修改", "-": "删除"}.get(record.history_type, record.history_type),
                "fields": changed,
            }
        )
        previous = record
    return rows


def project_dossier_context(project, viewer):
    labels = dict(ProjectStatus.choices)
    transitions = []
    for t in project.transitions.select_related("actor").order_by("date", "recorded_at", "pk"):
        transitions.append(
            {
                "date": day(t.date),
                "action": t.get_action_display(),
                "from": str(labels.get(t.from_status, t.from_status or "—")),
                "to": str(labels.get(t.to_status, t.to_status)),
                "who": str(t.actor) if t.actor_id else "—",
                "recorded_at": timezone.localtime(t.recorded_at).strftime("%Y-%m-%d %H:%M"),
                "reason": t.reason,
            }
        )
    acceptances = list(
        Acceptance.objects.filter(project=project)
        .select_related("evaluation_body", "post_assessment", "recorded_by")
        .prefetch_related("corrections__actor")
        .order_by("attempt")
    )
    commitments = []
    disbursements = []
    if can_see_ledger(viewer)[0]:
        for c in selectors.project_commitments(viewer=viewer, project=project).order_by("committed_on", "pk"):
            lines = []
            for ln in c.lines.all():
                lines.append(
                    {
                        "budget_line": ln.budget_line.name,
                        "source": ln.budget_line.source.name,
                        "amount": yuan(ln.amount),
                    }
                )
                ln.commitment = c  # already loaded: spare a query per row in _disbursement_row
                for d in ln.disbursements.all():
                    d.commitment_line = ln
                    disbursements.append(d)
            commitments.append(
                {
                    "title": c.title,
                    "committed_on": day(c.committed_on),
                    "status": c.get_status_display(),
                    "policy": str(c.policy) if c.policy_id else "—",
                    "by": str(c.created_by) if c.created_by_id else "—",
                    "amount": yuan(sum((ln.amount for ln in c.lines.all()), ZERO)),
                    "lines": lines,
                }
            )
    disbursements.sort(key=lambda d: (d.requested_on, d.pk))
    totals = None
    if can_see_subsidy_totals(viewer)[0]:
        raw = selectors.subsidy_totals(queryset_commitments=project.commitments.all())
        totals = {k: {"yuan": yuan(v), "wan": wan(v)} for k, v in raw.items()}
    return {
        "project": project,
        "scenes": _scene_labels(project.scenes),
        "amounts": {
            "total": yuan(project.total_investment),
            "software": yuan(project.software_amount),
            "cloud": yuan(project.cloud_amount),
            "equipment": yuan(project.equipment_amount),
            "other": yuan(project.other_amount),
            "eligible": yuan(project.eligible_spend),
            "software_share": format_percent(project.software_share),
        },
        "transitions": transitions,
        "acceptances": acceptances,
        "commitments": commitments,
        "disbursements": [_disbursement_row(d) for d in disbursements],
        "can_see_ledger": can_see_ledger(viewer)[0],
        "totals": totals,
        "attachments": [
            {
                "purpose": a.purpose,
                "name": a.original_name,
                "size": f"{(a.size or 0) / 1024:,.1f} KB",
                "uploaded_on": day(timezone.localtime(a.uploaded_at).date()),
            }
            for a in attachments_of(project).order_by("uploaded_at")
        ],
        "history": _history_rows(project),
    }


def render_project_dossier(document, viewer, progress):
    project = (
        Project.objects.visible_to(viewer)
        .select_related("enterprise__unit", "provider", "diagnosis")
        .get(pk=as_pk(document.subject_id))
    )
    progress(10, "collecting")
    context = {**common_context(document, viewer, f"项目档案 · {project}"), **project_dossier_context(project, viewer)}
    progress(40, "rendering")
    content = render_pdf("reports/pdf_project.html", context)
    return Rendered(content, f"项目档案_{project.contract_no or project.pk}.pdf", PDF)


# --- the ledger statement ------------------------------------------------------------------------


def _sums(queryset, key):
    money = DecimalField(max_digits=16, decimal_places=2)
    return {
        row[key]: row["total"]
        for row in queryset.order_by()
        .values(key)
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=money))
    }


def ledger_statement_context(start, end, viewer):
    """Fund sources and budget lines with allocated / committed / paid / available at ``end`` and the
    movements from ``start`` to ``end``; the commitments and payments of the range.

    Committed: active commitments dated up to ``end``; paid: paid disbursements (net of reversals)
    dated up to ``end``; available: allocated − committed. Allocated is the line's current budget."""
    lines = list(selectors.budget_lines(viewer=viewer).order_by("source__kind", "source__code", "purpose", "pk"))
    active = CommitmentLine.objects.filter(commitment__status=CommitmentStatus.ACTIVE)
    committed_to_end = _sums(active.filter(commitment__committed_on__lte=end), "budget_line")
    committed_in = _sums(
        active.filter(commitment__committed_on__gte=start, commitment__committed_on__lte=end), "budget_line"
    )
    paid = Disbursement.objects.filter(status=DisbursementStatus.PAID)
    paid_to_end = _sums(paid.filter(paid_on__lte=end), "commitment_line__budget_line")
    paid_in = _sums(paid.filter(paid_on__gte=start, paid_on__lte=end), "commitment_line__budget_line")
    sources = []
    grand = dict.fromkeys(("amount", "committed", "paid", "available", "committed_in", "paid_in"), ZERO)
    for source in selectors.fund_sources(viewer=viewer).order_by("kind", "code"):
        rows = []
        as_of_end = []  # the lines' figures at ``end``, for the central grant's 80/20 rule
        totals = dict.fromkeys(grand, ZERO)
        for ln in (ln for ln in lines if ln.source_id == source.pk):
            figures = {
                "amount": ln.amount,
                "committed": committed_to_end.get(ln.pk, ZERO),
                "paid": paid_to_end.get(ln.pk, ZERO),
                "committed_in": committed_in.get(ln.pk, ZERO),
                "paid_in": paid_in.get(ln.pk, ZERO),
            }
            figures["available"] = figures["amount"] - figures["committed"]
            as_of_end.append(SimpleNamespace(purpose=ln.purpose, **figures))
            for key, value in figures.items():
                totals[key] += value
                grand[key] += value
            rows.append(
                {"name": ln.name, "purpose": ln.get_purpose_display(), **{k: yuan(v) for k, v in figures.items()}}
            )
        sources.append(
            {
                "source": source,
                "amount": yuan(source.amount),
                "amount_wan": wan(source.amount),
                "unbudgeted": yuan(source.amount - totals["amount"]),
                "rows": rows,
                "totals": {k: yuan(v) for k, v in totals.items()},
                "totals_wan": {k: wan(v) for k, v in totals.items()},
                "rules": central_rules(source.amount, as_of_end)
                if source.kind == FundSourceKind.CENTRAL and source.amount
                else None,
            }
        )
    commitments = []
    for c in (
        selectors.commitment_list(viewer=viewer)
        .filter(committed_on__gte=start, committed_on__lte=end)
        .prefetch_related("lines__budget_line")
        .order_by("committed_on", "pk")
    ):
        commitments.append(
            {
                "committed_on": day(c.committed_on),
                "title": c.title,
                "enterprise": c.enterprise.name if c.enterprise_id else "—",
                "status": c.get_status_display(),
                "lines": "；".join(f"{ln.budget_line.name} {yuan(ln.amount)}" for ln in c.lines.all()),
                "amount": yuan(sum((ln.amount for ln in c.lines.all()), ZERO)),
            }
        )
    in_range = Q(requested_on__gte=start, requested_on__lte=end) | Q(paid_on__gte=start, paid_on__lte=end)
    disbursements = [
        {
            **_disbursement_row(d),
            "enterprise": d.commitment_line.commitment.enterprise.name
            if d.commitment_line.commitment.enterprise_id
            else "—",
        }
        for d in selectors.disbursement_list(viewer=viewer).filter(in_range).order_by("requested_on", "pk")
    ]
    return {
        "start": start,
        "end": end,
        "terms": FIGURES,
        "sources": sources,
        "grand": {k: yuan(v) for k, v in grand.items()},
        "grand_wan": {k: wan(v) for k, v in grand.items()},
        "commitments": commitments,
        "disbursements": disbursements,
    }


def render_ledger_statement(document, viewer, progress):
    start = datetime.date.fromisoformat(document.params["from"])
    end = datetime.date.fromisoformat(document.params["to"])
    progress(10, "collecting")
    title = f"资金台账报表 · {start.isoformat()} 至 {end.isoformat()}"
    context = {**common_context(document, viewer, title), **ledger_statement_context(start, end, viewer)}
    progress(40, "rendering")
    content = render_pdf("reports/pdf_ledger.html", context)
    return Rendered(content, f"资金台账_{start.isoformat()}_{end.isoformat()}.pdf", PDF)
