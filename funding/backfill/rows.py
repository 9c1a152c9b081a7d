"""The back-fill's row writer: each row is checked, then written through the services
(:mod:`funding.services.projects`, :mod:`funding.services.ledger`) in its own savepoint."""

import datetime
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import DISTRICT_ROLES, Role, has_role, role_of
from core.tabular.batches import ACTIONS
from core.tabular.cells import value_key
from enterprises.models import Enterprise
from providers.models import EvaluationBody, Provider

from ..choices import PURPOSES_BY_SOURCE, CommitmentStatus, DisbursementStatus, ProjectAction
from ..choices import ProjectStatus as PS
from ..models import Acceptance, BudgetLine, CommitmentLine, Disbursement, Project
from ..services import ledger
from ..services import projects as project_services
from .schema import ACCEPTANCES, PAYMENTS, PROJECTS, purpose_label, purpose_table, scene_table, source_table

logger = logging.getLogger(__name__)


# --- Rows -----------------------------------------------------------------------------------------


class _RowFailed(Exception):
    """A service refused the row: its savepoint is rolled back (the error is already on the row)."""


@dataclass
class Row:
    """One data row of a sheet: values by column key, errors ``(column as written, message)``."""

    sheet: object
    number: int
    cells: tuple
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def kind(self):
        return self.sheet.kind

    def error(self, key, message):
        self.errors.append((self.sheet.header(key), str(message)))

    def has(self, key):
        return key in self.values and self.values[key] not in (None, "")


def _read(row):
    """Check every cell of ``row`` with its column's parser and normalise it into ``row.values``."""
    row.values = row.kind.schema.read_row(row.cells, row.sheet.layout, error=row.error)
    _check_order(row)


#: Dates that must not come before another: (later, earlier).
DATE_ORDER = {
    "projects": (("approved_on", "filed_on"), ("acceptance_requested_on", "approved_on")),
    "acceptances": (("accepted_on", "re_requested_on"),),
    "payments": (("requested_on", "committed_on"), ("approved_on", "requested_on"), ("paid_on", "approved_on")),
}


def _check_order(row):
    kind = row.kind.key
    for later, earlier in DATE_ORDER[kind]:
        if row.has(later) and row.has(earlier) and row.values[later] < row.values[earlier]:
            row.error(
                later,
                _("{later} ({date}) cannot come before {earlier} ({before}).").format(
                    later=row.sheet.header(later),
                    date=row.values[later].isoformat(),
                    earlier=row.sheet.header(earlier),
                    before=row.values[earlier].isoformat(),
                ),
            )
    if kind == "projects" and row.has("acceptance_requested_on") and not row.has("approved_on"):
        row.error("approved_on", _("A project asks for acceptance after the district approved it: fill in this date."))
    if kind == "payments":
        _check_payment_columns(row)


def _check_payment_columns(row):
    if not row.has("amount") and not row.has("committed_amount") and not row.errors:
        row.error("amount", _("Fill in the payment amount, or the committed amount, or both."))
    if row.has("committed_amount") and not row.has("committed_on"):
        row.error("committed_on", _("Fill in the day the amount was committed."))
    if row.has("amount"):
        if not row.has("requested_on"):
            row.error("requested_on", _("Fill in the day the payment was requested."))
        if row.has("paid_on") and not row.has("approved_on"):
            row.error("approved_on", _("A paid payment was approved first: fill in the day it was approved."))
        if row.has("paid_on") and not row.has("voucher_no"):
            row.error("voucher_no", _("Fill in the voucher number of the payment."))
        if row.has("voucher_no") and not row.has("paid_on"):
            row.error("paid_on", _("A voucher number belongs to a paid payment: fill in the day it was paid."))
    else:
        for key in ("requested_on", "approved_on", "paid_on", "voucher_no", "tranche"):
            if row.has(key):
                row.error("amount", _("Fill in the payment amount (the row has payment details)."))
                break


# --- Running a file -------------------------------------------------------------------------------


class Run:
    """The state of one pass over a file."""

    def __init__(self, batch):
        self.batch = batch
        self.actor = batch.uploaded_by
        self.role = role_of(self.actor)
        self.reason = _("History back-fill: {file}").format(file=batch.file_name)[:100]
        self.sources = source_table()
        scene_table.cache_clear()  # read afresh for each file (the current edition may change)
        self.seen = {}  # (kind, identity) -> row number
        self.outcomes = []
        self.totals = dict.fromkeys(ACTIONS, 0)
        self.by_kind = {}


@contextmanager
def _step(row, key, **aliases):
    """Run a service call for the column ``key``: a refusal becomes the row's error, named by the
    column the service blames (``aliases`` map the service's field names to this sheet's keys)."""
    try:
        yield
    except DomainError as exc:
        target = aliases.get(exc.field) or (exc.field if exc.field in row.kind.keys else key)
        row.error(target, exc.message)
        raise _RowFailed from exc
    except ValidationError as exc:
        row.error(key, " ".join(exc.messages))
        raise _RowFailed from exc


WRITERS = {}


def _writer(kind):
    def register(function):
        WRITERS[kind.key] = function
        return function

    return register


def process_row(run, sheet, number, cells):
    row = Row(sheet=sheet, number=number, cells=cells)
    _read(row)
    action = "error"
    if not row.errors:
        try:
            with transaction.atomic():
                action = WRITERS[row.kind.key](run, row)
                if row.errors:
                    raise _RowFailed
        except _RowFailed:
            action = "error"
    if row.errors:
        action = "error"
    run.totals[action] += 1
    counts = run.by_kind.setdefault(row.kind.key, dict.fromkeys(ACTIONS, 0))
    counts[action] += 1
    positions = {header: i for i, header in enumerate(sheet.layout.headers)}
    row.errors.sort(key=lambda error: positions.get(error[0], len(positions)))
    run.outcomes.append(
        (number, sheet.title, row.kind.key, action, row.values.get("contract_no", ""), list(row.errors))
    )


def _fail(row, key, message):
    row.error(key, message)
    raise _RowFailed


def _once(run, row, identity, key):
    """Refuse a second row of the file for the same record."""
    seen = run.seen.setdefault((row.kind.key, identity), row.number)
    if seen != row.number:
        _fail(row, key, _("The same record is already on row {row} of this sheet: keep one row.").format(row=seen))


def _require_district(run, row, what):
    if run.role not in DISTRICT_ROLES:
        _fail(
            row,
            "contract_no",
            _("Only a district official may back-fill {what}; this row was not written.").format(what=what),
        )


def _find_project(run, row):
    projects = Project.objects.visible_to(run.actor).filter(contract_no=row.values["contract_no"])
    if row.has("enterprise"):
        projects = projects.filter(enterprise__credit_code=row.values["enterprise"])
    found = list(projects.select_related("enterprise")[:2])
    if not found:
        _fail(
            row,
            "contract_no",
            _(
                "No project with this contract number is recorded{for_enterprise}. Back-fill the project on the "
                "项目 sheet first (that sheet is processed before this one), or check the number."
            ).format(for_enterprise=_(" for this enterprise") if row.has("enterprise") else ""),
        )
    if len(found) > 1:
        _fail(
            row,
            "enterprise",
            _("Several enterprises have a project with this contract number: fill in the enterprise's credit code."),
        )
    return found[0]


# --- Projects -------------------------------------------------------------------------------------

PROJECT_FACTS = (
    "title",
    "total_investment",
    "software_amount",
    "cloud_amount",
    "equipment_amount",
    "other_amount",
    "target_level",
    "scenes",
    "is_chain_project",
)


def _transition_dates(project, action):
    return set(project.transitions.filter(action=action).values_list("date", flat=True))


@_writer(PROJECTS)
def _write_project(run, row):
    v = row.values
    _require_district(run, row, _("projects"))
    _once(run, row, (v["enterprise"], v["contract_no"]), "contract_no")
    enterprise = Enterprise.objects.filter(credit_code=v["enterprise"]).first()
    if enterprise is None:
        _fail(
            row,
            "enterprise",
            _("No pilot enterprise has this credit code. Register the enterprise first (roster upload)."),
        )
    provider = Provider.objects.filter(credit_code=v["provider"]).first()
    if provider is None:
        _fail(row, "provider", _("No service provider with this credit code is registered in the portal."))
    facts = {key: v[key] for key in PROJECT_FACTS if row.has(key)}
    project = Project.objects.filter(enterprise=enterprise, contract_no=v["contract_no"]).first()
    action = "unchanged"
    if project is None:
        with _step(row, "enterprise", date="filed_on"):
            project = project_services.project_file(
                actor=run.actor,
                enterprise=enterprise,
                provider=provider,
                contract_no=v["contract_no"],
                date=v["filed_on"],
                **facts,
            )
        action = "create"
    else:
        _same_project(row, project, provider, facts)
    if row.has("approved_on") and v["approved_on"] not in _transition_dates(project, ProjectAction.APPROVE):
        if project.approved_on is not None:
            _recorded_differently(row, "approved_on", project.approved_on)
        with _step(row, "approved_on"):
            project = project_services.project_approve(
                actor=run.actor, project=project, date=v["approved_on"], reason=run.reason
            )
        action = action if action == "create" else "update"
    requested = _transition_dates(project, ProjectAction.REQUEST_ACCEPTANCE)
    if row.has("acceptance_requested_on") and v["acceptance_requested_on"] not in requested:
        if requested:
            _recorded_differently(row, "acceptance_requested_on", min(requested))
        with _step(row, "acceptance_requested_on"):
            project_services.project_request_acceptance(
                actor=run.actor, project=project, date=v["acceptance_requested_on"], reason=run.reason
            )
        action = action if action == "create" else "update"
    return action


def _shown(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(value) or "—"
    return str(value) if value not in (None, "") else "—"


def _recorded_differently(row, key, recorded):
    _fail(
        row,
        key,
        _(
            "This record is already in the portal with {recorded} here. A back-fill does not change what is "
            "recorded: correct this cell, or correct the record on its page."
        ).format(recorded=_shown(recorded)),
    )


def _same_project(row, project, provider, facts):
    if project.provider_id != provider.pk:
        _recorded_differently(row, "provider", project.provider.credit_code)
    if project.filed_on != row.values["filed_on"]:
        _recorded_differently(row, "filed_on", project.filed_on)
    for key, value in facts.items():
        recorded = getattr(project, key)
        if key == "scenes":
            if sorted(recorded or []) != sorted(value):
                _recorded_differently(row, key, recorded)
        elif recorded != value:
            _recorded_differently(row, key, recorded)


# --- Acceptances ----------------------------------------------------------------------------------


@_writer(ACCEPTANCES)
def _write_acceptance(run, row):
    v = row.values
    _require_district(run, row, _("acceptances"))
    project = _find_project(run, row)
    _once(run, row, (project.pk, v["accepted_on"]), "accepted_on")
    body = EvaluationBody.objects.filter(credit_code=v["evaluation_body"]).first()
    if body is None:
        _fail(row, "evaluation_body", _("No evaluation body with this credit code is registered in the portal."))
    findings = v.get("findings", "").strip()
    existing = Acceptance.objects.filter(project=project, accepted_on=v["accepted_on"]).first()
    if existing is not None:
        if existing.passed != v["passed"]:
            _recorded_differently(row, "passed", existing.passed)
        if existing.evaluation_body_id != body.pk:
            _recorded_differently(
                row, "evaluation_body", existing.evaluation_body and existing.evaluation_body.credit_code
            )
        if findings and existing.findings != findings:
            _recorded_differently(row, "findings", existing.findings)
        return "unchanged"
    if project.status == PS.FAILED:
        if not row.has("re_requested_on"):
            _fail(
                row,
                "re_requested_on",
                _(
                    "This project failed its previous inspection: fill in the day re-inspection was requested "
                    "before recording this one."
                ),
            )
        with _step(row, "re_requested_on"):
            project = project_services.project_request_acceptance(
                actor=run.actor, project=project, date=v["re_requested_on"], reason=run.reason
            )
    if project.status != PS.ACCEPTANCE_REQUESTED:
        _fail(
            row,
            "contract_no",
            _(
                "This project is {status}: an inspection is recorded once acceptance was requested. Fill in the "
                "project's acceptance requested date on the 项目 sheet."
            ).format(status=project.get_status_display()),
        )
    if project.acceptance_requested_on and v["accepted_on"] < project.acceptance_requested_on:
        _fail(
            row,
            "accepted_on",
            _("The inspection cannot come before acceptance was requested ({date}).").format(
                date=project.acceptance_requested_on.isoformat()
            ),
        )
    with _step(row, "accepted_on", passed="passed", findings="findings", evaluation_body="evaluation_body"):
        project_services.project_accept(
            actor=run.actor,
            project=project,
            passed=v["passed"],
            accepted_on=v["accepted_on"],
            findings=findings,
            evaluation_body=body,
            backfill=True,
        )
    return "create"


# --- Payments -------------------------------------------------------------------------------------


def _budget_line(run, row):
    source = run.sources.get(value_key(row.values["source"]))
    if source is None:
        _fail(
            row,
            "source",
            _("“{value}” is not a fund source. Write 中央资金 or 区级配套资金.").format(value=row.values["source"]),
        )
    text = value_key(row.values["purpose"])
    purpose = purpose_table().get(text)
    if purpose is None:
        line = next((ln for ln in BudgetLine.objects.filter(source=source) if value_key(ln.name) == text), None)
        if line is not None:
            return line
        _fail(
            row,
            "purpose",
            _("“{value}” is not a purpose of {source}. Use one of: {allowed}.").format(
                value=row.values["purpose"],
                source=source.name,
                allowed="、".join(purpose_label(p) for p in sorted(PURPOSES_BY_SOURCE[source.kind])),
            ),
        )
    if purpose not in PURPOSES_BY_SOURCE[source.kind]:
        _fail(
            row,
            "purpose",
            _("{purpose} is not paid from {source}.").format(purpose=purpose_label(purpose), source=source.name),
        )
    line = BudgetLine.objects.filter(source=source, purpose=purpose).first()
    if line is None:
        _fail(
            row,
            "purpose",
            _(
                "{source} has no budget line for {purpose} yet: a finance officer sets it on the ledger page first."
            ).format(source=source.name, purpose=purpose_label(purpose)),
        )
    return line


def _commitment_line(run, row, project, budget_line):
    """The project's active commitment on the line, checked against the row, or a new one."""
    v = row.values
    existing = (
        CommitmentLine.objects.filter(
            commitment__project=project, budget_line=budget_line, commitment__status=CommitmentStatus.ACTIVE
        )
        .select_related("commitment")
        .order_by("pk")
        .first()
    )
    if existing is not None:
        if row.has("committed_amount") and existing.amount != v["committed_amount"]:
            _recorded_differently(row, "committed_amount", existing.amount)
        if row.has("committed_on") and existing.commitment.committed_on != v["committed_on"]:
            _recorded_differently(row, "committed_on", existing.commitment.committed_on)
        return existing, False
    if not row.has("committed_amount"):
        _fail(
            row,
            "committed_amount",
            _("No commitment of this project on this budget line is recorded: fill in the committed amount and date."),
        )
    if not has_role(run.actor, Role.DISTRICT_OFFICIAL):
        _fail(
            row,
            "committed_amount",
            _(
                "No commitment of this project on this budget line is recorded, and only a district official commits "
                "funds. Ask the district to back-fill the commitment first (this row with the payment columns left "
                "blank), then upload this file again."
            ),
        )
    with _step(row, "committed_amount", amount="committed_amount", committed_on="committed_on", lines="purpose"):
        commitment = ledger.commitment_create(
            actor=run.actor,
            title=_("Transformation subsidy · {contract}").format(contract=project.contract_no),
            lines=[(budget_line, v["committed_amount"])],
            committed_on=v["committed_on"],
            project=project,
            note=run.reason,
        )
    return commitment.lines.get(), True


@_writer(PAYMENTS)
def _write_payment(run, row):
    v = row.values
    if row.has("amount") and not has_role(run.actor, Role.FINANCE_OFFICER):
        _fail(
            row,
            "amount",
            _(
                "Only a finance officer may back-fill payments; this row was not written. (A district official may "
                "back-fill the commitment alone: leave the payment columns blank.)"
            ),
        )
    if not row.has("amount") and not has_role(run.actor, Role.DISTRICT_OFFICIAL):
        _fail(row, "committed_amount", _("Only a district official commits funds; this row was not written."))
    project = _find_project(run, row)
    budget_line = _budget_line(run, row)
    if row.has("voucher_no"):
        _once(run, row, ("voucher", v["voucher_no"]), "voucher_no")
    else:
        _once(
            run,
            row,
            (project.pk, budget_line.pk, v.get("amount"), v.get("requested_on"), v.get("tranche")),
            "contract_no",
        )
    commitment_line, created = _commitment_line(run, row, project, budget_line)
    action = "create" if created else "unchanged"
    if not row.has("amount"):
        return action
    tranche = v.get("tranche") or 1
    payments = Disbursement.objects.filter(reverses__isnull=True).exclude(status=DisbursementStatus.REJECTED)
    if row.has("voucher_no"):
        payment = payments.filter(voucher_no=v["voucher_no"]).first()
        if payment is not None and payment.commitment_line_id != commitment_line.pk:
            _fail(
                row,
                "voucher_no",
                _("This voucher number is already recorded for another payment: {payment}.").format(payment=payment),
            )
    else:
        payment = payments.filter(
            commitment_line=commitment_line, tranche=tranche, requested_on=v["requested_on"], amount=v["amount"]
        ).first()
    if payment is not None:
        for key, recorded in (
            ("amount", payment.amount),
            ("tranche", payment.tranche),
            ("requested_on", payment.requested_on),
        ):
            wanted = tranche if key == "tranche" else v[key]
            if recorded != wanted and (key != "tranche" or row.has("tranche")):
                _recorded_differently(row, key, recorded)
    else:
        with _step(row, "amount"):
            payment = ledger.disbursement_request(
                actor=run.actor,
                commitment_line=commitment_line,
                amount=v["amount"],
                tranche=tranche,
                requested_on=v["requested_on"],
                payee_account=v.get("payee_account", ""),
                reason=run.reason,
                backfill=True,
                officer_name=v.get("requested_by_name") or "",
            )
        action = "create"
    if row.has("approved_on"):
        if payment.approved_on is not None and payment.approved_on != v["approved_on"]:
            _recorded_differently(row, "approved_on", payment.approved_on)
        if payment.status == DisbursementStatus.REQUESTED:
            with _step(row, "approved_on"):
                payment = ledger.disbursement_approve(
                    actor=run.actor,
                    disbursement=payment,
                    date=v["approved_on"],
                    backfill=True,
                    officer_name=v.get("approved_by_name") or "",
                )
            action = action if action == "create" else "update"
    if row.has("paid_on"):
        if payment.paid_on is not None and payment.paid_on != v["paid_on"]:
            _recorded_differently(row, "paid_on", payment.paid_on)
        if payment.status == DisbursementStatus.APPROVED:
            with _step(row, "paid_on"):
                payment = ledger.disbursement_pay(
                    actor=run.actor,
                    disbursement=payment,
                    voucher_no=v["voucher_no"],
                    date=v["paid_on"],
                    backfill=True,
                    officer_name=v.get("paid_by_name") or "",
                )
            action = action if action == "create" else "update"
    return action
