"""Ledger arithmetic: what is budgeted, committed, claimed, paid and available, per budget line.

Reads only; the services call these inside their transaction after locking the rows concerned,
and the ledger page calls them for display. All amounts are Decimal in 元.

* **committed** (line): the sum of the line's commitment lines whose commitment is active;
* **claimed** (commitment line or budget line): requested + approved + paid disbursements, net of
  reversals (rejected ones do not count) — what can no longer be promised to anyone else;
* **paid**: paid disbursements net of reversals;
* **available** (line): budget − committed; **uncommitted claim room** (commitment line): amount − claimed.
"""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import CommitmentStatus, DisbursementStatus
from .models import BudgetLine, CommitmentLine, Disbursement

ZERO = Decimal("0.00")
CLAIMING = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED, DisbursementStatus.PAID)


def sum_amount(queryset, field="amount"):
    return queryset.aggregate(total=Coalesce(Sum(field), Value(ZERO), output_field=DecimalField()))["total"]


def line_committed(line):
    return sum_amount(CommitmentLine.objects.filter(budget_line=line, commitment__status=CommitmentStatus.ACTIVE))


def line_claimed(line):
    return sum_amount(Disbursement.objects.filter(commitment_line__budget_line=line, status__in=CLAIMING))


def line_paid(line):
    return sum_amount(Disbursement.objects.filter(commitment_line__budget_line=line, status=DisbursementStatus.PAID))


def commitment_line_claimed(commitment_line):
    return sum_amount(Disbursement.objects.filter(commitment_line=commitment_line, status__in=CLAIMING))


def commitment_line_paid(commitment_line):
    return sum_amount(Disbursement.objects.filter(commitment_line=commitment_line, status=DisbursementStatus.PAID))


def lines_with_figures(queryset=None):
    """Budget lines annotated with ``committed``, ``claimed``, ``paid`` and ``available``, in one query.

    Each figure is a subquery grouped by budget line, so the query has no ``GROUP BY`` of its own and
    each subquery runs once per budget line (a ``Sum`` over the join to commitment lines made Django
    group by the other two subqueries, which PostgreSQL then ran once per commitment line: minutes at
    100,000 enterprises; see ``bench/README.md``)."""
    queryset = BudgetLine.objects.all() if queryset is None else queryset
    money = DecimalField(max_digits=16, decimal_places=2)
    committed = Subquery(
        CommitmentLine.objects.filter(budget_line=OuterRef("pk"), commitment__status=CommitmentStatus.ACTIVE)
        .order_by()
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return queryset.select_related("source").annotate(
        committed=Coalesce(committed, Value(ZERO), output_field=money),
        claimed=Coalesce(_disbursement_subquery(CLAIMING), Value(ZERO), output_field=money),
        paid=Coalesce(_disbursement_subquery((DisbursementStatus.PAID,)), Value(ZERO), output_field=money),
    )


def _disbursement_subquery(statuses):
    return Subquery(
        Disbursement.objects.filter(commitment_line__budget_line=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("commitment_line__budget_line")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
