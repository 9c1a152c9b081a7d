"""Financing support (金融清单): the banks' loan products the district lists for transformation, and the
interest and fee subsidies (贴息贴费) granted to enterprises for such loans.

An interest subsidy is money: granting one creates the :class:`~funding.models.InterestSubsidy` and its
:class:`~funding.models.Commitment` on a district ``interest_subsidy`` budget line in one transaction,
through :func:`funding.services.ledger.commitment_create`, so the ledger's rules (no line overdrawn,
row locks, district officials commit) hold exactly as for a project subsidy. It is then paid like any
commitment (requested → approved → paid).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import save_with_history
from core.money import Sign, parse_amount
from core.permissions import require
from core.roles import Role
from core.services import iso_date, not_in_future

from .. import permissions
from ..choices import BudgetPurpose, FundSourceKind
from ..models import FinancialProduct, InterestSubsidy, SubsidyPolicy
from . import ledger

PRODUCT_FIELDS = ("bank", "name", "rate", "limit", "term_months", "note", "is_active")
POLICY_FIELDS = ("name", "ratio", "cap_per_enterprise", "tranches", "figures_are_defaults", "is_active", "note")


def _day(value, field):
    if value is None:
        raise DomainError("date_required", _("Enter the date."), field=field)
    return not_in_future(iso_date(value, field), field)


def _rate(value, field, *, places="0.0001", allow_none=False):
    """A ratio or an interest rate (not money): a number of 0 or more with at most ``places``."""
    if value in (None, "") and allow_none:
        return None
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError("invalid_amount", _("Enter a number."), field=field) from exc
    if not ratio.is_finite() or ratio < 0:
        raise DomainError("invalid_amount", _("Amounts are 0 or more."), field=field)
    if ratio != ratio.quantize(Decimal(places)):
        raise DomainError("invalid_amount", _("Too many decimals."), field=field)
    return ratio


# --- financial products -----------------------------------------------------------------------


def _apply_product(product, facts):
    unknown = set(facts) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    for field, value in facts.items():
        if field == "rate":
            value = _rate(value, "rate", allow_none=True, places="0.001")
            if value is not None and value > 100:
                raise DomainError("invalid_rate", _("A rate is a percentage from 0 to 100."), field="rate")
        elif field == "limit":
            value = parse_amount(value, sign=Sign.NON_NEGATIVE, field="limit", allow_none=True)
        elif field in ("bank", "name", "note"):
            value = (value or "").strip()
        setattr(product, field, value)
    if not product.bank:
        raise DomainError("bank_required", _("Enter the bank."), field="bank")
    if not product.name:
        raise DomainError("name_required", _("Enter the product's name."), field="name")


@transaction.atomic
def financial_product_create(*, actor, bank, name, **facts):
    """List a bank's loan product in the 金融清单 (district officials)."""
    require(
        permissions.may_act_as(
            actor, Role.DISTRICT_OFFICIAL, reason=_("Only a district official keeps the financing list.")
        )
    )
    product = FinancialProduct()
    _apply_product(product, {"bank": bank, "name": name, **facts})
    return save_with_history(product, actor=actor)


@transaction.atomic
def financial_product_update(*, actor, product, **facts):
    """Correct a listed product, or mark it no longer offered (``is_active=False``)."""
    require(
        permissions.may_act_as(
            actor, Role.DISTRICT_OFFICIAL, reason=_("Only a district official keeps the financing list.")
        )
    )
    product = FinancialProduct.objects.select_for_update().get(pk=product.pk)
    _apply_product(product, facts)
    return save_with_history(product, actor=actor)


# --- interest subsidies -----------------------------------------------------------------------


@transaction.atomic
def interest_subsidy_grant(
    *, actor, enterprise, financial_product, loan_amount, loan_on, amount, granted_on, budget_line, note=""
):
    """Grant an interest/fee subsidy (贴息贴费) for a transformation loan and commit its amount on the
    district's ``interest_subsidy`` budget line, in one transaction (a refused commitment — the line
    would be overdrawn, say — leaves no subsidy behind)."""
    require(
        permissions.may_act_as(
            actor, Role.DISTRICT_OFFICIAL, reason=_("Only a district official grants interest subsidies.")
        )
    )
    if budget_line is None:
        raise DomainError("budget_line_required", _("Choose the budget line that pays it."), field="budget_line")
    if budget_line.purpose != BudgetPurpose.INTEREST_SUBSIDY or budget_line.source.kind != FundSourceKind.DISTRICT:
        raise DomainError(
            "wrong_budget_line",
            _("An interest subsidy is paid from the district's loan interest and fee subsidy line."),
            field="budget_line",
        )
    loan_amount = parse_amount(loan_amount, sign=Sign.NON_NEGATIVE, field="loan_amount")
    if loan_amount <= 0:
        raise DomainError("invalid_amount", _("The loan must be above zero."), field="loan_amount")
    amount = parse_amount(amount, sign=Sign.NON_NEGATIVE, field="amount")
    if amount <= 0:
        raise DomainError("invalid_amount", _("The subsidy must be above zero."), field="amount")
    if amount > loan_amount:
        raise DomainError("above_loan", _("The subsidy cannot exceed the loan."), field="amount")
    loan_on = _day(loan_on, "loan_on")
    granted_on = _day(granted_on, "granted_on")
    subsidy = InterestSubsidy(
        enterprise=enterprise,
        financial_product=financial_product,
        loan_amount=loan_amount,
        loan_on=loan_on,
        amount=amount,
        granted_on=granted_on,
        note=(note or "").strip(),
    )
    save_with_history(subsidy, actor=actor)
    product = f" · {financial_product}" if financial_product else ""
    ledger.commitment_create(
        actor=actor,
        title=_("Interest subsidy: {enterprise}{product}").format(enterprise=enterprise.name, product=product),
        lines=[(budget_line, amount)],
        committed_on=granted_on,
        interest_subsidy=subsidy,
        note=subsidy.note,
    )
    return subsidy


# --- subsidy policy ---------------------------------------------------------------------------


def _tranches(value):
    """``[{"share", "label"}]`` whose shares are fractions above 0 adding up to exactly 1."""
    if not value:
        return []
    if not isinstance(value, list):
        raise DomainError("invalid_tranches", _("Tranches are a list of shares and labels."), field="tranches")
    cleaned, total = [], Decimal("0")
    for item in value:
        try:
            share = Decimal(str(item.get("share")))
        except (InvalidOperation, AttributeError, TypeError) as exc:
            raise DomainError("invalid_tranches", _("Each tranche needs a share."), field="tranches") from exc
        if not share.is_finite() or share <= 0 or share > 1:
            raise DomainError(
                "invalid_tranches", _("A tranche's share is a fraction above 0, at most 1."), field="tranches"
            )
        total += share
        cleaned.append({"share": str(share), "label": str(item.get("label") or "").strip()})
    if total != 1:
        raise DomainError(
            "invalid_tranches",
            _("The tranches' shares add up to {total}; they must add up to 1.").format(total=total),
            field="tranches",
        )
    return cleaned


@transaction.atomic
def subsidy_policy_update(*, actor, policy, **facts):
    """Change the subsidy policy's figures (finance officers and district officials). When the
    district confirms official figures it clears ``figures_are_defaults`` so the warning goes."""
    require(
        permissions.may_act_as(
            actor,
            Role.FINANCE_OFFICER,
            Role.DISTRICT_OFFICIAL,
            reason=_("Only a finance officer or a district official changes the subsidy policy."),
        )
    )
    policy = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
    unknown = set(facts) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    for field, value in facts.items():
        if field == "ratio":
            value = _rate(value, "ratio")
            if value > 1:
                raise DomainError("invalid_ratio", _("The ratio is a fraction from 0 to 1 (0.4 = 40%)."), field="ratio")
        elif field == "cap_per_enterprise":
            value = parse_amount(value, sign=Sign.NON_NEGATIVE, field="cap_per_enterprise")
        elif field == "tranches":
            value = _tranches(value)
        elif field in ("name", "note"):
            value = (value or "").strip()
        setattr(policy, field, value)
    return save_with_history(policy, actor=actor)
