"""What a dossier covers and the rows it writes, read *as the requester* through each app's scoped querysets.

* :func:`coverage` gathers the records of the subject: for a project, the project, its enterprise, its diagnosis,
  the enterprise's on-site evaluations, the acceptances and the project's ledger; for an enterprise, everything of
  the enterprise (diagnoses, evaluations, projects, recognitions and all its money); for a unit and a period, the
  projects of the unit's enterprises that were open during the period (filed by its end and not passed before its
  start), with their enterprises, diagnoses, acceptances and ledger, and the unit's indicator figures for the
  period (``reports.selectors.indicators.indicator_report_for_scope``, the same computation as the report);
* :func:`approval_rows`, :func:`ledger_rows` and :func:`audit_rows` are the rows of ``approvals.csv``,
  ``ledger.csv`` and ``audit_trail.csv``; the summary PDF shows the same rows.

Money is a decimal string in 元 with two places (machine-readable, as the API writes it); dates ISO.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from diagnostics.choices import DiagnosisStatus
from diagnostics.models import Assessment, Diagnosis, DiagnosisTransition
from enterprises.models import Enterprise, EnterpriseStatusChange
from funding.choices import ProjectStatus
from funding.models import (
    Acceptance,
    AcceptanceCorrection,
    Commitment,
    CommitmentLine,
    Disbursement,
    Project,
    ProjectTransition,
    Recognition,
)
from reports.selectors.indicators import indicator_report_for_scope
from trail.selectors import entries_of_records

APPROVAL_HEADERS = ["记录类型", "记录", "日期", "事项", "原状态", "新状态", "经办人", "录入时间", "说明"]
LEDGER_HEADERS = [
    "类型",
    "编号",
    "企业",
    "项目合同号",
    "资金承诺",
    "预算科目",
    "资金来源",
    "批次",
    "状态",
    "金额（元）",
    "承诺/申请日期",
    "承诺人/申请人",
    "批准日期",
    "批准人",
    "拨付日期",
    "拨付人",
    "凭证号",
    "冲销的拨付",
]
AUDIT_HEADERS = ["position", "source", "record", "sealed_at", "digest"]

#: How each covered record is named in the zip's folders and the CSVs: ``<kind>-<id>``.
RECORD_KINDS = {
    Enterprise: "enterprise",
    Project: "project",
    Diagnosis: "diagnosis",
    Assessment: "assessment",
    Acceptance: "acceptance",
    Commitment: "commitment",
    CommitmentLine: "commitment_line",
    Disbursement: "disbursement",
    Recognition: "recognition",
}
KIND_LABELS = {
    "enterprise": "企业",
    "project": "项目",
    "diagnosis": "诊断报告",
    "assessment": "现场评定",
    "acceptance": "验收",
    "commitment": "资金承诺",
    "commitment_line": "承诺明细",
    "disbursement": "拨付",
    "recognition": "认定",
}


@dataclass
class Coverage:
    """The records a dossier covers (each list read through the requester's scope)."""

    enterprises: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    diagnoses: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    acceptances: list = field(default_factory=list)
    commitments: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    disbursements: list = field(default_factory=list)
    recognitions: list = field(default_factory=list)
    #: The unit's indicator report for the period (a unit's dossier only).
    indicators: dict | None = None
    #: Whether the enterprises' status changes belong to the approval chain (not in a unit's dossier).
    with_status_changes: bool = True

    def records(self):
        """Every covered record, in a stable order."""
        return [
            *self.enterprises,
            *self.projects,
            *self.diagnoses,
            *self.assessments,
            *self.acceptances,
            *self.commitments,
            *self.lines,
            *self.disbursements,
            *self.recognitions,
        ]

    def by_label(self):
        """``{model label: [ids]}`` of the covered records: the keys the audit chain files entries under (an
        event row is filed under its subject, so a project's transitions come with the project)."""
        found = {}
        for record in self.records():
            found.setdefault(record._meta.label_lower, []).append(record.pk)
        return found


def record_name(record):
    """``project-12``: how a covered record is named in the zip and the CSVs."""
    return f"{RECORD_KINDS[type(record)]}-{record.pk}"


def who(user):
    return str(user) if user is not None else ""


def day(value):
    return value.isoformat() if value else ""


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def money(value):
    return "" if value is None else f"{value:.2f}"


def period_window(period, today=None):
    """The first and last day of a reporting period (a running period ends today)."""
    today = today or timezone.localdate()
    return period.start, (min(period.end, today) if period.end else today)


def _projects(viewer):
    return Project.objects.visible_to(viewer).select_related("enterprise__unit", "provider", "diagnosis")


def coverage(dossier, viewer):
    """The records of ``dossier``'s subject as ``viewer`` sees them (``Project.DoesNotExist`` /
    ``Enterprise.DoesNotExist`` when the subject is no longer visible)."""
    found = Coverage()
    if dossier.project_id:
        project = _projects(viewer).get(pk=dossier.project_id)
        found.projects = [project]
        found.enterprises = [Enterprise.objects.visible_to(viewer).select_related("unit").get(pk=project.enterprise_id)]
        found.diagnoses = list(
            Diagnosis.objects.visible_to(viewer)
            .filter(pk=project.diagnosis_id)
            .select_related("provider", "enterprise")
        )
        found.assessments = list(
            Assessment.objects.visible_to(viewer)
            .authoritative()
            .filter(enterprise_id=project.enterprise_id)
            .select_related("evaluation_body", "enterprise")
            .order_by("evaluated_on", "pk")
        )
        commitments = Commitment.objects.visible_to(viewer).filter(project=project)
    elif dossier.enterprise_id:
        enterprise = Enterprise.objects.visible_to(viewer).select_related("unit").get(pk=dossier.enterprise_id)
        found.enterprises = [enterprise]
        found.diagnoses = list(
            Diagnosis.objects.visible_to(viewer)
            .filter(enterprise=enterprise)
            .select_related("provider", "enterprise")
            .order_by("created_at", "pk")
        )
        found.assessments = list(
            Assessment.objects.visible_to(viewer)
            .authoritative()
            .filter(enterprise=enterprise)
            .select_related("evaluation_body", "enterprise")
            .order_by("evaluated_on", "pk")
        )
        found.projects = list(_projects(viewer).filter(enterprise=enterprise).order_by("filed_on", "pk"))
        found.recognitions = list(
            Recognition.objects.visible_to(viewer)
            .filter(Q(enterprise=enterprise) | Q(members=enterprise))
            .distinct()
            .order_by("recognised_on", "pk")
        )
        commitments = Commitment.objects.visible_to(viewer).filter(enterprise=enterprise)
    else:
        start, end = period_window(dossier.period)
        found.projects = list(
            _projects(viewer)
            .filter(enterprise__unit=dossier.unit, filed_on__lte=end)
            .filter(Q(accepted_on__isnull=True) | Q(accepted_on__gte=start))
            .order_by("filed_on", "pk")
        )
        enterprise_ids = {p.enterprise_id for p in found.projects}
        found.enterprises = list(
            Enterprise.objects.visible_to(viewer).filter(pk__in=enterprise_ids).select_related("unit").order_by("pk")
        )
        found.diagnoses = list(
            Diagnosis.objects.visible_to(viewer)
            .filter(pk__in={p.diagnosis_id for p in found.projects})
            .select_related("provider", "enterprise")
            .order_by("pk")
        )
        found.indicators = indicator_report_for_scope(
            period=dossier.period, unit=dossier.unit, as_of=timezone.localdate()
        )
        found.with_status_changes = False
        commitments = Commitment.objects.visible_to(viewer).filter(project__in=[p.pk for p in found.projects])
    project_ids = [p.pk for p in found.projects]
    found.acceptances = list(
        Acceptance.objects.filter(project_id__in=project_ids)
        .select_related(
            "project",
            "evaluation_body",
            "post_assessment__enterprise",
            "post_assessment__evaluation_body",
            "recorded_by",
        )
        .order_by("project_id", "attempt")
    )
    if not dossier.enterprise_id and not dossier.project_id:
        # A unit's dossier: the evaluations its acceptances rest on.
        found.assessments = [a.post_assessment for a in found.acceptances if a.post_assessment_id]
    found.commitments = list(
        commitments.select_related("enterprise", "project", "created_by", "policy").order_by("committed_on", "pk")
    )
    found.lines = list(
        CommitmentLine.objects.visible_to(viewer)
        .filter(commitment__in=[c.pk for c in found.commitments])
        .select_related(
            "commitment__enterprise", "commitment__project", "commitment__created_by", "budget_line__source"
        )
        .order_by("commitment_id", "pk")
    )
    found.disbursements = list(
        Disbursement.objects.visible_to(viewer)
        .filter(commitment_line__in=[ln.pk for ln in found.lines])
        .select_related(
            "commitment_line__commitment__enterprise",
            "commitment_line__commitment__project",
            "commitment_line__budget_line__source",
            "requested_by",
            "approved_by",
            "paid_by",
        )
        .order_by("requested_on", "pk")
    )
    return found


# --- the approval and acceptance chain ---------------------------------------------------------------


def _row(record, date, action, before, after, actor, recorded_at, note=""):
    return {
        "kind": KIND_LABELS[RECORD_KINDS[type(record)]],
        "record": record_name(record),
        "date": day(date),
        "action": str(action),
        "from": str(before or ""),
        "to": str(after or ""),
        "who": who(actor),
        "recorded_at": moment(recorded_at),
        "note": str(note or ""),
    }


def _transition_rows(model, subject, records, statuses):
    """The rows of the workflow transitions ``model`` (diagnoses' or projects') of ``records``, oldest first."""
    by_pk = {r.pk: r for r in records}
    labels = dict(statuses.choices)
    transitions = (
        model.objects.filter(**{f"{subject}_id__in": list(by_pk)})
        .select_related("actor")
        .order_by("date", "recorded_at", "pk")
    )
    return [
        _row(
            by_pk[getattr(t, f"{subject}_id")],
            t.date,
            t.get_action_display(),
            labels.get(t.from_status, t.from_status),
            labels.get(t.to_status, t.to_status),
            t.actor,
            t.recorded_at,
            t.reason,
        )
        for t in transitions
    ]


def approval_rows(found):
    """Every step of the covered records' workflows, oldest first: the enterprises' status changes (not in a unit's
    dossier), the diagnoses' and projects' transitions, each acceptance inspection and its corrections, each
    commitment, and each disbursement's request, approval and payment (who and when, from its own fields)."""
    rows = []
    enterprises = {e.pk: e for e in found.enterprises}
    if found.with_status_changes and enterprises:
        statuses = dict(Enterprise._meta.get_field("status").choices)
        for c in (
            EnterpriseStatusChange.objects.filter(enterprise_id__in=list(enterprises))
            .select_related("actor")
            .order_by("happened_on", "recorded_at", "pk")
        ):
            rows.append(
                _row(
                    enterprises[c.enterprise_id],
                    c.happened_on,
                    c.get_kind_display(),
                    statuses.get(c.from_status, c.from_status),
                    statuses.get(c.to_status, c.to_status),
                    c.actor,
                    c.recorded_at,
                    " ".join(p for p in (c.get_reason_display() if c.reason else "", c.note) if p),
                )
            )
    rows += _transition_rows(DiagnosisTransition, "diagnosis", found.diagnoses, DiagnosisStatus)
    rows += _transition_rows(ProjectTransition, "project", found.projects, ProjectStatus)
    acceptances = {a.pk: a for a in found.acceptances}
    for a in found.acceptances:
        body = a.evaluation_body.name if a.evaluation_body_id else ""
        rows.append(
            _row(
                a,
                a.accepted_on,
                f"第 {a.attempt} 次验收",
                "",
                "通过" if a.passed else "未通过",
                a.recorded_by,
                a.recorded_at,
                " ".join(p for p in (body, a.findings) if p),
            )
        )
    for c in (
        AcceptanceCorrection.objects.filter(acceptance_id__in=list(acceptances))
        .select_related("actor")
        .order_by("date", "recorded_at", "pk")
    ):
        rows.append(
            _row(acceptances[c.acceptance_id], c.date, "验收更正", c.before, c.after, c.actor, c.recorded_at, c.reason)
        )
    for c in found.commitments:
        rows.append(
            _row(c, c.committed_on, "资金承诺", "", c.get_status_display(), c.created_by, c.created_at, c.title)
        )
    for d in found.disbursements:
        note = f"冲销拨付 disbursement-{d.reverses_id}" if d.reverses_id else (d.reason or "")
        rows.append(_row(d, d.requested_on, "申请拨付", "", "已申请", d.requested_by, d.created_at, note))
        if d.approved_on or d.approved_by_id:
            rows.append(_row(d, d.approved_on, "批准拨付", "已申请", "已批准", d.approved_by, None))
        if d.paid_on or d.paid_by_id:
            rows.append(_row(d, d.paid_on, "拨付", "已批准", "已拨付", d.paid_by, None, d.voucher_no))
        if d.status == "rejected":
            rows.append(_row(d, d.approved_on, "退回", "已申请", d.get_status_display(), d.approved_by, None, d.reason))
    rows.sort(key=lambda r: (r["date"] or "9999", r["recorded_at"]))
    return rows


# --- the ledger ----------------------------------------------------------------------------------------


def ledger_rows(found):
    """One row per commitment line and one per disbursement (reversals included, with the payment they undo)."""
    rows = []
    for ln in found.lines:
        c = ln.commitment
        rows.append(
            {
                "type": "承诺明细",
                "id": record_name(ln),
                "enterprise": c.enterprise.name if c.enterprise_id else "",
                "contract": c.project.contract_no if c.project_id else "",
                "commitment": c.title,
                "budget_line": ln.budget_line.name,
                "source": ln.budget_line.source.name,
                "tranche": "",
                "status": c.get_status_display(),
                "amount": money(ln.amount),
                "on": day(c.committed_on),
                "by": who(c.created_by),
                "approved_on": "",
                "approved_by": "",
                "paid_on": "",
                "paid_by": "",
                "voucher": "",
                "reverses": "",
            }
        )
    for d in found.disbursements:
        ln = d.commitment_line
        c = ln.commitment
        rows.append(
            {
                "type": "冲销" if d.reverses_id else "拨付",
                "id": record_name(d),
                "enterprise": c.enterprise.name if c.enterprise_id else "",
                "contract": c.project.contract_no if c.project_id else "",
                "commitment": c.title,
                "budget_line": ln.budget_line.name,
                "source": ln.budget_line.source.name,
                "tranche": str(d.tranche),
                "status": d.get_status_display(),
                "amount": money(d.amount),
                "on": day(d.requested_on),
                "by": who(d.requested_by),
                "approved_on": day(d.approved_on),
                "approved_by": who(d.approved_by),
                "paid_on": day(d.paid_on),
                "paid_by": who(d.paid_by),
                "voucher": d.voucher_no,
                "reverses": f"disbursement-{d.reverses_id}" if d.reverses_id else "",
            }
        )
    return rows


# --- the audit trail -------------------------------------------------------------------------------------


def audit_rows(found, *, up_to):
    """The audit chain's entries of the covered records up to position ``up_to`` (the head when the dossier was
    requested): position, history table, record (``label:id``), when it was sealed, digest."""
    return [
        {
            "position": position,
            "source": source,
            "record": f"{record_model}:{record_id}",
            "sealed_at": sealed_at.isoformat() if isinstance(sealed_at, datetime.datetime) else str(sealed_at),
            "digest": digest,
        }
        for position, source, record_model, record_id, sealed_at, digest in entries_of_records(
            found.by_label(), up_to=up_to
        )
    ]
