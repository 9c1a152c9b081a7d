"""Writes on the fund ledger: budget lines, commitments, disbursements and their reversals.

The money rules hold inside each transaction and under concurrent requests, because every write
first locks the rows whose totals it checks (``SELECT … FOR UPDATE``, always in the same order:
the enterprise (for a project subsidy under a policy cap), the fund source, then budget lines by
id, then the commitment line), and only then reads the totals:

* a fund source's lines never add up to more than the source;
* no budget line is overdrawn: its active commitments never exceed its budget;
* nothing is disbursed beyond its commitment: requested + approved + paid (net of reversals) on a
  commitment line never exceed the line's amount (a request claims the money at once, so twenty
  simultaneous requests cannot together pass the limit);
* the central grant's capped purposes (platforms, providers' capability, chain transformation,
  purchased services) never take more than 20% of the grant, in budget, in commitments and in
  payments; the 80% floor for SME transformation is reported by the ledger page, not blocked;
* a central SME-transformation subsidy for a project is requested and paid only when the project
  passed acceptance **and** the enterprise's latest authoritative post-transformation level is ≥ 2.

Finance officers set budgets, approve, pay, reject and reverse; district officials commit and
request payments; admins may do everything; auditors read.

Four eyes: every money movement takes two people, whatever their role (admins included). Whoever
requested a payment does not approve it; whoever approved it does not record its payment (the
requester may); whoever recorded a payment does not reverse it; whoever made a commitment does not
release it. A refusal is ``Conflict("four_eyes")`` and changes nothing. Rejecting moves no money,
so anyone who may reject may reject any open payment, its requester included (a withdrawal). The
history back-fill (``backfill=True``) is exempt: it records steps the programme's documents show
were taken by named officers, so the row is marked ``backfilled`` and carries those names.

Vouchers: a voucher number pays one payment (a reversal carries the voucher of the payment it
undoes); a second use is ``Conflict("voucher_used")`` naming the payment that holds it, and the
database's unique constraint ``fund_disbursement_voucher_unique`` backs the rule under races.
"""

from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from books import services as books
from core.errors import Conflict, DomainError
from core.history import save_with_history, set_history
from core.money import CENT, Sign, format_yuan, parse_amount
from core.permissions import require
from core.roles import Role
from core.services import event_day
from diagnostics.choices import Stage
from diagnostics.models import Assessment
from enterprises.models import Enterprise
from notifications.choices import NotificationKind as Notice
from notifications.services import finance_officers, notify_event, unit_staff, users

from .. import balances, permissions
from ..choices import (
    CENTRAL_CAPPED_PURPOSES,
    PURPOSES_BY_SOURCE,
    BudgetPurpose,
    CommitmentStatus,
    DisbursementStatus,
    FundSourceKind,
    ProjectStatus,
)
from ..models import BudgetLine, Commitment, CommitmentLine, Disbursement, FundSource

CENTRAL_CAP_SHARE = Decimal("0.20")
#: Project states in which a subsidy may be committed (approved by the district, not cancelled).
COMMITTABLE_PROJECT_STATES = (
    ProjectStatus.APPROVED,
    ProjectStatus.ACCEPTANCE_REQUESTED,
    ProjectStatus.PASSED,
    ProjectStatus.FAILED,
)


# --- helpers ----------------------------------------------------------------------------------


def _lock_source(source_id):
    return FundSource.objects.select_for_update().get(pk=source_id)


def _lock_lines(line_ids):
    return {line.pk: line for line in BudgetLine.objects.select_for_update().filter(pk__in=line_ids).order_by("pk")}


def _capped_total(source, *, exclude_line=None):
    """Budget of the source's capped lines (optionally without one line)."""
    lines = BudgetLine.objects.filter(source=source, purpose__in=CENTRAL_CAPPED_PURPOSES)
    if exclude_line is not None:
        lines = lines.exclude(pk=exclude_line.pk)
    return balances.sum_amount(lines)


def central_cap(source):
    """What the capped purposes may take of a central source (20%)."""
    return (source.amount * CENTRAL_CAP_SHARE).quantize(CENT, rounding=ROUND_DOWN)


#: The four-eyes rule, step by step: the step, the field naming who took the step before it, and the refusal.
FOUR_EYES = {
    "approve": (
        "requested_by_id",
        gettext_lazy("Four eyes: whoever requested a payment may not approve it; another finance officer approves it."),
    ),
    "pay": (
        "approved_by_id",
        gettext_lazy(
            "Four eyes: whoever approved a payment may not record its payment; another finance officer "
            "(or the requester) records it."
        ),
    ),
    "reverse": (
        "paid_by_id",
        gettext_lazy("Four eyes: whoever recorded a payment may not reverse it; another finance officer reverses it."),
    ),
    "cancel": (
        "created_by_id",
        gettext_lazy("Four eyes: whoever made a commitment may not release it; another district official releases it."),
    ),
}


def four_eyes_refusal(actor, record, step):
    """Why ``actor`` may not take ``step`` (a key of ``FOUR_EYES``) on ``record`` (a disbursement, or a
    commitment for ``cancel``) under the four-eyes rule, or None. Pages show it; the services enforce it."""
    field, message = FOUR_EYES[step]
    earlier = getattr(record, field)
    return str(message) if earlier is not None and earlier == actor.pk else None


def _four_eyes(actor, record, step):
    if message := four_eyes_refusal(actor, record, step):
        raise Conflict("four_eyes", message)


# --- budget lines -----------------------------------------------------------------------------


@transaction.atomic
def budget_line_set(*, actor, source, purpose, amount, name=""):
    """Create or change the budget of ``source``'s line for ``purpose``."""
    require(permissions.may_act_as(actor, Role.FINANCE_OFFICER, reason=_("Only a finance officer sets budgets.")))
    source = _lock_source(source.pk)
    if purpose not in PURPOSES_BY_SOURCE[source.kind]:
        raise DomainError(
            "purpose_not_of_source", _("This purpose is not paid from this fund source."), field="purpose"
        )
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise DomainError("invalid_amount", _("A budget is an amount in yuan, 0 or more."), field="amount")
    lines = _lock_lines(source.lines.values_list("pk", flat=True))
    line = next((ln for ln in lines.values() if ln.purpose == purpose), None)
    others = sum((ln.amount for ln in lines.values() if ln.purpose != purpose), Decimal("0"))
    if others + amount > source.amount:
        raise Conflict(
            "source_overallocated",
            _("The lines of {source} would add up to more than its {total} yuan.").format(
                source=source.name, total=format_yuan(source.amount, unit=False)
            ),
        )
    if source.kind == FundSourceKind.CENTRAL and purpose in CENTRAL_CAPPED_PURPOSES:
        capped_others = sum(
            (ln.amount for ln in lines.values() if ln.purpose in CENTRAL_CAPPED_PURPOSES and ln.purpose != purpose),
            Decimal("0"),
        )
        if capped_others + amount > central_cap(source):
            raise Conflict(
                "central_cap_exceeded",
                _(
                    "Platforms, providers' capability, chain transformation and purchased services may take at "
                    "most {share} of the central grant ({cap} yuan)."
                ).format(share="20%", cap=format_yuan(central_cap(source), unit=False)),
            )
    if line is not None and amount < balances.line_committed(line):
        raise Conflict(
            "budget_below_commitments",
            _("More than this is already committed on the line ({committed} yuan).").format(
                committed=format_yuan(balances.line_committed(line), unit=False)
            ),
        )
    if line is None:
        line = BudgetLine(source=source, purpose=purpose)
    line.amount = amount
    line.name = name or line.name or str(BudgetPurpose(purpose).label)
    save_with_history(line, actor=actor, validate_unique=False)
    return line


# --- commitments ------------------------------------------------------------------------------


def subsidy_for(project, policy):
    """The subsidy ``policy`` grants ``project``: its ratio of the eligible spend, within the cap per
    enterprise less what the enterprise's other active subsidies already take. Rounded down to the fen."""
    computed = (project.eligible_spend * policy.ratio).quantize(CENT, rounding=ROUND_DOWN)
    already = balances.sum_amount(
        CommitmentLine.objects.filter(
            commitment__project__enterprise=project.enterprise,
            commitment__status=CommitmentStatus.ACTIVE,
        ).exclude(commitment__project=project)
    )
    room = max(policy.cap_per_enterprise - already, Decimal("0"))
    return min(computed, room)


@transaction.atomic
def commitment_create(
    *,
    actor,
    title,
    lines,
    committed_on=None,
    project=None,
    enterprise=None,
    interest_subsidy=None,
    policy=None,
    note="",
):
    """Commit money: ``lines`` is ``[(budget_line, amount), …]`` (a subsidy split between sources)."""
    require(permissions.may_act_as(actor, Role.DISTRICT_OFFICIAL, reason=_("Only a district official commits funds.")))
    committed_on = event_day(committed_on, "committed_on")
    books.guard(committed_on, record=project, actor=actor)
    if not lines:
        raise DomainError("no_lines", _("Charge the commitment to at least one budget line."), field="lines")
    amounts = {}
    for line, amount in lines:
        if line.pk in amounts:
            raise DomainError("duplicate_line", _("Each budget line appears once."), field="lines")
        amounts[line.pk] = parse_amount(amount, sign=Sign.POSITIVE)
    if project is not None:
        if project.status not in COMMITTABLE_PROJECT_STATES:
            raise Conflict("project_not_approved", _("A subsidy is committed for a project the district has approved."))
        enterprise = project.enterprise
    if interest_subsidy is not None:
        enterprise = interest_subsidy.enterprise

    if project is not None and policy is not None:
        # The cap per enterprise spans its projects: serialise commitments of one enterprise.
        list(Enterprise.objects.select_for_update().filter(pk=project.enterprise_id))
    line_objs = BudgetLine.objects.filter(pk__in=amounts).select_related("source")
    sources = sorted({ln.source_id for ln in line_objs})
    locked_sources = {pk: _lock_source(pk) for pk in sources}
    locked = _lock_lines(amounts)
    for pk, line in locked.items():
        committed = balances.line_committed(line)
        if committed + amounts[pk] > line.amount:
            raise Conflict(
                "budget_line_overdrawn",
                _("{line} has {available} yuan left to commit; {amount} yuan asked.").format(
                    line=line.name,
                    available=format_yuan(line.amount - committed, unit=False),
                    amount=format_yuan(amounts[pk], unit=False),
                ),
            )
    for source in locked_sources.values():
        if source.kind != FundSourceKind.CENTRAL:
            continue
        new_capped = sum(
            (
                amounts[pk]
                for pk, ln in locked.items()
                if ln.source_id == source.pk and ln.purpose in CENTRAL_CAPPED_PURPOSES
            ),
            Decimal("0"),
        )
        if new_capped:
            capped_committed = balances.sum_amount(
                CommitmentLine.objects.filter(
                    budget_line__source=source,
                    budget_line__purpose__in=CENTRAL_CAPPED_PURPOSES,
                    commitment__status=CommitmentStatus.ACTIVE,
                )
            )
            if capped_committed + new_capped > central_cap(source):
                raise Conflict(
                    "central_cap_exceeded",
                    _(
                        "Commitments for platforms, providers, chain transformation and purchased services would pass "
                        "{share} of the central grant ({cap} yuan)."
                    ).format(share="20%", cap=format_yuan(central_cap(source), unit=False)),
                )
    if project is not None and policy is not None:
        allowed = subsidy_for(project, policy)
        total = sum(amounts.values(), Decimal("0"))
        if total > allowed:
            raise Conflict(
                "above_policy",
                _("The policy allows at most {allowed} yuan for this project; {total} yuan asked.").format(
                    allowed=format_yuan(allowed, unit=False), total=format_yuan(total, unit=False)
                ),
            )
    commitment = Commitment(
        title=title.strip(),
        enterprise=enterprise,
        project=project,
        interest_subsidy=interest_subsidy,
        policy=policy,
        committed_on=committed_on,
        note=note,
        created_by=actor,
    )
    save_with_history(commitment, actor=actor)
    for pk, amount in amounts.items():
        row = CommitmentLine(commitment=commitment, budget_line=locked[pk], amount=amount)
        set_history(row, actor=actor)
        row.save()
    return commitment


@transaction.atomic
def commitment_cancel(*, actor, commitment, reason):
    """Release a commitment nothing has been claimed on (reverse its payments first)."""
    require(
        permissions.may_act_as(
            actor, Role.DISTRICT_OFFICIAL, reason=_("Only a district official releases commitments.")
        )
    )
    if not reason.strip():
        raise DomainError("reason_required", _("Say why the commitment is released."), field="reason")
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    books.guard(commitment.committed_on, record=commitment, actor=actor)
    if commitment.status != CommitmentStatus.ACTIVE:
        raise Conflict("not_active", _("This commitment has already been released."))
    _four_eyes(actor, commitment, "cancel")
    _lock_lines(commitment.lines.values_list("budget_line_id", flat=True))
    for line in commitment.lines.all():
        if balances.commitment_line_claimed(line):
            raise Conflict(
                "commitment_has_claims",
                _("Money is requested, approved or paid on this commitment: reject or reverse it first."),
            )
    commitment.status = CommitmentStatus.CANCELLED
    commitment.note = (commitment.note + "\n" + reason.strip()).strip()
    save_with_history(commitment, actor=actor, reason=reason, clean=False)
    return commitment


# --- disbursements ----------------------------------------------------------------------------


def _is_central_transformation_subsidy(commitment_line):
    line = commitment_line.budget_line
    return (
        line.source.kind == FundSourceKind.CENTRAL
        and line.purpose == BudgetPurpose.SME_TRANSFORMATION
        and commitment_line.commitment.project_id is not None
    )


def latest_post_level(enterprise):
    """The level of the enterprise's latest authoritative post-transformation evaluation (None if none)."""
    latest = (
        Assessment.objects.authoritative()
        .filter(enterprise=enterprise, stage=Stage.POST)
        .order_by("-evaluated_on", "-pk")
        .values_list("level", flat=True)
        .first()
    )
    return latest


def _check_gate(commitment_line):
    """The central SME-transformation gate: acceptance passed and post level ≥ 2."""
    if not _is_central_transformation_subsidy(commitment_line):
        return
    project = commitment_line.commitment.project
    if project.status != ProjectStatus.PASSED:
        raise Conflict(
            "acceptance_not_passed",
            _("A central transformation subsidy is paid only after the project passed acceptance."),
        )
    level = latest_post_level(project.enterprise)
    if level is None or level < 2:
        raise Conflict(
            "post_level_below_2",
            _(
                "A central transformation subsidy is paid only when the enterprise's on-site post-transformation "
                "evaluation is at level 2 or higher."
            ),
        )


def _lock_for_claim(commitment_line):
    """Lock the budget line, then the commitment line, and return fresh copies."""
    line_id = CommitmentLine.objects.values_list("budget_line_id", flat=True).get(pk=commitment_line.pk)
    _lock_lines([line_id])
    return (
        CommitmentLine.objects.select_for_update(of=("self",))
        .select_related("commitment__project__enterprise", "budget_line__source")
        .get(pk=commitment_line.pk)
    )


@transaction.atomic
def disbursement_request(
    *,
    actor,
    commitment_line,
    amount,
    tranche=1,
    requested_on=None,
    payee_account="",
    reason="",
    backfill=False,
    officer_name="",
):
    """Ask for a payment on a commitment line; the amount is claimed at once. ``backfill``: the
    history back-fill records a request from the programme's documents, made by ``officer_name``."""
    require(
        permissions.may_act_as(
            actor,
            Role.DISTRICT_OFFICIAL,
            Role.FINANCE_OFFICER,
            reason=_("Only the district or finance requests payments."),
        )
    )
    requested_on = event_day(requested_on, "requested_on")
    amount = parse_amount(amount, sign=Sign.POSITIVE)
    commitment_line = _lock_for_claim(commitment_line)
    books.guard(requested_on, record=commitment_line.commitment, actor=actor)
    if commitment_line.commitment.status != CommitmentStatus.ACTIVE:
        raise Conflict("not_active", _("This commitment has been released."))
    _check_gate(commitment_line)
    claimed = balances.commitment_line_claimed(commitment_line)
    if claimed + amount > commitment_line.amount:
        raise Conflict(
            "over_commitment",
            _("Only {left} yuan of this commitment is left to pay; {amount} yuan asked.").format(
                left=format_yuan(commitment_line.amount - claimed, unit=False), amount=format_yuan(amount, unit=False)
            ),
        )
    budget_line = commitment_line.budget_line
    if balances.line_claimed(budget_line) + amount > budget_line.amount:
        raise Conflict(
            "budget_line_overdrawn",
            _("{line} would be overdrawn.").format(line=budget_line.name),
        )
    disbursement = Disbursement(
        commitment_line=commitment_line,
        amount=amount,
        tranche=tranche,
        requested_on=requested_on,
        payee_account=payee_account,
        reason=reason,
        requested_by=actor,
        backfilled=backfill,
        requested_by_name=officer_name.strip() if backfill else "",
    )
    save_with_history(disbursement, actor=actor, clean=False)
    _tell(disbursement, Notice.PAYMENT_REQUESTED, finance_officers(), actor)
    return disbursement


def _tell(disbursement, kind, people, actor):
    """Notify ``people`` of a step of ``disbursement`` (not the one who took it; a back-filled step, copied from
    the programme's documents, tells nobody). Only people who read the ledger are told: finance, the requester
    and approver, and the enterprise's unit staff (docs/api.md "Ledger visibility")."""
    if disbursement.backfilled:
        return
    commitment = disbursement.commitment_line.commitment
    who = commitment.enterprise.name if commitment.enterprise_id else commitment.title
    subject = f"{who} · {format_yuan(disbursement.amount)}"
    link = reverse("funding:disbursement_detail", args=[disbursement.pk])
    notify_event(people, kind, subject, link=link, actor=actor)


def _locked_disbursement(disbursement):
    _lock_for_claim(disbursement.commitment_line)
    return Disbursement.objects.select_for_update().get(pk=disbursement.pk)


def _mark_backfilled(disbursement, name_field, officer_name):
    disbursement.backfilled = True
    setattr(disbursement, name_field, officer_name.strip())


@transaction.atomic
def disbursement_approve(*, actor, disbursement, date=None, backfill=False, officer_name=""):
    """Approve a requested payment; not by whoever requested it (four eyes, unless ``backfill``)."""
    require(permissions.may_act_as(actor, Role.FINANCE_OFFICER, reason=_("Only a finance officer approves payments.")))
    date = event_day(date)
    disbursement = _locked_disbursement(disbursement)
    books.guard(date, record=disbursement, actor=actor)
    if disbursement.status != DisbursementStatus.REQUESTED:
        raise Conflict("not_requested", _("Only a requested payment can be approved."))
    if backfill:
        _mark_backfilled(disbursement, "approved_by_name", officer_name)
    else:
        _four_eyes(actor, disbursement, "approve")
    disbursement.status = DisbursementStatus.APPROVED
    disbursement.approved_on = date
    disbursement.approved_by = actor
    save_with_history(disbursement, actor=actor, clean=False)
    _tell(disbursement, Notice.PAYMENT_APPROVED, [*users(disbursement.requested_by), *finance_officers()], actor)
    return disbursement


def voucher_holder(voucher_no, *, exclude=None):
    """The payment (not a reversal) that already carries ``voucher_no``, or None."""
    payments = Disbursement.objects.filter(voucher_no=voucher_no, reverses__isnull=True).select_related(
        "commitment_line__commitment__enterprise"
    )
    if exclude is not None:
        payments = payments.exclude(pk=exclude.pk)
    return payments.order_by("pk").first()


def _voucher_used(voucher_no, holder):
    commitment = holder.commitment_line.commitment
    return Conflict(
        "voucher_used",
        _(
            "Voucher number {voucher} is already used by payment {n}: {enterprise}, {amount}, {date}. "
            "A voucher pays one payment only."
        ).format(
            voucher=voucher_no,
            n=holder.pk,
            enterprise=commitment.enterprise.name if commitment.enterprise_id else commitment.title,
            amount=format_yuan(holder.amount),
            date=(holder.paid_on or holder.requested_on).isoformat(),
        ),
        field="voucher_no",
    )


@transaction.atomic
def disbursement_pay(*, actor, disbursement, voucher_no, date=None, backfill=False, officer_name=""):
    """Record an approved payment as paid with its voucher number: not by whoever approved it (four
    eyes, unless ``backfill``; the requester may), and with a voucher no other payment carries."""
    require(permissions.may_act_as(actor, Role.FINANCE_OFFICER, reason=_("Only a finance officer records payments.")))
    date = event_day(date)
    voucher_no = (voucher_no or "").strip()
    if not voucher_no:
        raise DomainError("voucher_required", _("Enter the voucher number of the payment."), field="voucher_no")
    disbursement = _locked_disbursement(disbursement)
    books.guard(date, record=disbursement, actor=actor)
    if disbursement.status != DisbursementStatus.APPROVED:
        raise Conflict("not_approved", _("Only an approved payment can be paid."))
    if backfill:
        _mark_backfilled(disbursement, "paid_by_name", officer_name)
    else:
        _four_eyes(actor, disbursement, "pay")
    _check_gate(disbursement.commitment_line)
    if holder := voucher_holder(voucher_no, exclude=disbursement):
        raise _voucher_used(voucher_no, holder)
    disbursement.status = DisbursementStatus.PAID
    disbursement.paid_on = date
    disbursement.paid_by = actor
    disbursement.voucher_no = voucher_no
    try:
        with transaction.atomic():  # a savepoint: a concurrent payment may take the voucher first
            save_with_history(disbursement, actor=actor, clean=False)
    except IntegrityError:
        if holder := voucher_holder(voucher_no, exclude=disbursement):
            raise _voucher_used(voucher_no, holder) from None
        raise
    enterprise = disbursement.commitment_line.commitment.enterprise
    _tell(
        disbursement,
        Notice.PAYMENT_PAID,
        [
            *users(disbursement.requested_by, disbursement.approved_by),
            *unit_staff(enterprise.unit_id if enterprise else None),
        ],
        actor,
    )
    return disbursement


@transaction.atomic
def disbursement_reject(*, actor, disbursement, reason, date=None):
    """Stop an open payment. It moves no money, so the four-eyes rule does not apply: the requester
    rejecting their own request withdraws it. Who rejected it and when are kept."""
    require(permissions.may_act_as(actor, Role.FINANCE_OFFICER, reason=_("Only a finance officer rejects payments.")))
    date = event_day(date)
    if not reason.strip():
        raise DomainError("reason_required", _("Say why the payment is rejected."), field="reason")
    disbursement = _locked_disbursement(disbursement)
    books.guard(date, record=disbursement, actor=actor)
    if disbursement.status not in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED):
        raise Conflict("not_open", _("Only a requested or approved payment can be rejected."))
    disbursement.status = DisbursementStatus.REJECTED
    disbursement.reason = reason.strip()
    disbursement.rejected_on = date
    disbursement.rejected_by = actor
    save_with_history(disbursement, actor=actor, reason=reason, clean=False)
    _tell(disbursement, Notice.PAYMENT_REJECTED, users(disbursement.requested_by, disbursement.approved_by), actor)
    return disbursement


@transaction.atomic
def disbursement_reverse(*, actor, disbursement, reason, date=None):
    """Undo a paid disbursement by a reversal row (a negative payment), never by an edit."""
    require(permissions.may_act_as(actor, Role.FINANCE_OFFICER, reason=_("Only a finance officer reverses payments.")))
    date = event_day(date)
    if not reason.strip():
        raise DomainError("reason_required", _("Say why the payment is reversed."), field="reason")
    disbursement = _locked_disbursement(disbursement)
    books.guard(date, record=disbursement, actor=actor)
    if disbursement.status != DisbursementStatus.PAID or disbursement.reverses_id is not None:
        raise Conflict("not_paid", _("Only a paid payment can be reversed."))
    if Disbursement.objects.filter(reverses=disbursement).exists():
        raise Conflict("already_reversed", _("This payment has already been reversed."))
    _four_eyes(actor, disbursement, "reverse")
    reversal = Disbursement(
        commitment_line=disbursement.commitment_line,
        amount=-disbursement.amount,
        tranche=disbursement.tranche,
        status=DisbursementStatus.PAID,
        requested_on=date,
        approved_on=date,
        paid_on=date,
        voucher_no=disbursement.voucher_no,
        payee_account=disbursement.payee_account,
        reverses=disbursement,
        reason=reason.strip(),
        requested_by=actor,
        approved_by=actor,
        paid_by=actor,
    )
    save_with_history(reversal, actor=actor, reason=reason, clean=False)
    return reversal
