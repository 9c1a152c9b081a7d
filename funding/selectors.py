"""Reads of the funding app, always through the viewer's scope."""

from django.db.models import Count
from django.urls import reverse

from core.roles import Role, role_of
from diagnostics.choices import Stage
from diagnostics.models import Assessment
from providers.models import EvaluatorAssignment

from . import balances
from .balances import ZERO, sum_amount
from .choices import (
    CommitmentStatus,
    DisbursementStatus,
    FundSourceKind,
    ProjectStatus,
)
from .filters import ProjectFilter
from .ledger_terms import central_rules
from .models import (
    Acceptance,
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FinancialProduct,
    FundSource,
    InterestSubsidy,
    Project,
    Recognition,
)
from .permissions import can_see_ledger


def project_list(*, viewer):
    return Project.objects.visible_to(viewer).select_related("enterprise__unit", "provider")


def acceptance_list(*, viewer):
    return Acceptance.objects.visible_to(viewer).select_related("project__enterprise", "evaluation_body")


def recognition_list(*, viewer):
    return Recognition.objects.visible_to(viewer).select_related("enterprise")


def commitment_list(*, viewer):
    return Commitment.objects.visible_to(viewer).select_related("enterprise", "project").prefetch_related("lines")


def disbursement_list(*, viewer):
    return Disbursement.objects.visible_to(viewer).select_related(
        "commitment_line__commitment__enterprise", "commitment_line__budget_line__source"
    )


def budget_lines(*, viewer):
    """The ledger's lines the viewer may read (the ledger's readers: all; anyone else: none), with
    their figures."""
    return balances.lines_with_figures(BudgetLine.objects.visible_to(viewer))


def fund_sources(*, viewer):
    return FundSource.objects.visible_to(viewer)


def commitment_line_list(*, viewer):
    return CommitmentLine.objects.visible_to(viewer)


def project_filtered(*, viewer, params):
    """The project list in the viewer's scope with the list's filters: ``(filterset, queryset)``."""
    filterset = ProjectFilter(params, queryset=project_list(viewer=viewer), viewer=viewer)
    queryset = filterset.qs if filterset.is_valid() else project_list(viewer=viewer).none()
    return filterset, queryset


def project_status_counts(*, queryset):
    """``{status: n}`` for every project status (zeros included), over ``queryset``."""
    counts = dict.fromkeys(ProjectStatus.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def project_get(*, viewer, pk):
    """One project the viewer may see (``Project.DoesNotExist`` otherwise)."""
    return project_list(viewer=viewer).get(pk=pk)


def acceptance_queue(*, viewer):
    """Projects waiting for on-site acceptance at enterprises assigned to the evaluator's body
    (an admin sees every one), oldest request first."""
    queryset = project_list(viewer=viewer).filter(status=ProjectStatus.ACCEPTANCE_REQUESTED)
    role = role_of(viewer)
    if role == Role.EVALUATOR:
        assigned = EvaluatorAssignment.objects.filter(evaluation_body_id=viewer.evaluation_body_id).values(
            "enterprise_id"
        )
        queryset = queryset.filter(enterprise_id__in=assigned)
    elif role != Role.ADMIN:
        return queryset.none()
    return queryset.order_by("acceptance_requested_on", "pk")


def acceptance_offline_pages(user):
    """The pages an evaluator's tablet keeps for on-site acceptance without a connection: the queue and the
    acceptance form of each project waiting at an enterprise assigned to their body (only their own)."""
    if role_of(user) != Role.EVALUATOR or not user.evaluation_body_id:
        return []
    urls = [reverse("funding:acceptance_queue")]
    urls += [
        reverse("funding:acceptance_create", args=[pk])
        for pk in acceptance_queue(viewer=user).values_list("pk", flat=True)
    ]
    return urls


def acceptance_version(project):
    """The project's acceptance state as the offline form compares it (``status:attempts``): it changes when
    anyone decides the acceptance, so a draft taken from an older state is a conflict."""
    return f"{project.status}:{project.acceptance_attempts}"


def post_assessments(*, viewer, enterprise):
    """The enterprise's on-site post-transformation evaluations the viewer may see, latest first."""
    return (
        Assessment.objects.visible_to(viewer)
        .authoritative()
        .filter(enterprise=enterprise, stage=Stage.POST)
        .order_by("-evaluated_on", "-pk")
    )


def project_commitments(*, viewer, project):
    """A project's commitments with their lines and payments (ledger readers only; else none)."""
    if not can_see_ledger(viewer)[0]:
        return Commitment.objects.none()
    return (
        Commitment.objects.visible_to(viewer)
        .filter(project=project)
        .select_related("policy", "created_by")
        .prefetch_related("lines__budget_line__source", "lines__disbursements")
    )


def subsidy_totals(*, queryset_commitments):
    """``{"committed", "paid"}`` over active commitments of the given queryset (元)."""
    active = queryset_commitments.filter(status=CommitmentStatus.ACTIVE)
    return {
        "committed": sum_amount(CommitmentLine.objects.filter(commitment__in=active)) or ZERO,
        "paid": sum_amount(
            Disbursement.objects.filter(
                commitment_line__commitment__in=queryset_commitments, status=DisbursementStatus.PAID
            )
        )
        or ZERO,
    }


def payment_queue(*, viewer):
    """``{"requested", "approved", "paid"}``: payments waiting for finance, and the latest paid ones."""
    base = disbursement_list(viewer=viewer).select_related("commitment_line__commitment__project", "requested_by")
    if not can_see_ledger(viewer)[0]:
        base = base.none()
    return {
        "requested": base.filter(status=DisbursementStatus.REQUESTED).order_by("requested_on", "pk"),
        "approved": base.filter(status=DisbursementStatus.APPROVED).order_by("approved_on", "pk"),
        "paid": base.filter(status=DisbursementStatus.PAID).order_by("-paid_on", "-pk")[:30],
    }


def ledger_summary(*, viewer):
    """Per fund source: its lines with figures, totals, and for the central grant the 80% floor and
    20% cap status in budget, commitments and payments. ``[]`` for roles that may not see the ledger."""
    lines = list(budget_lines(viewer=viewer).order_by("source__kind", "purpose"))
    summary = []
    for source in fund_sources(viewer=viewer):
        own = [ln for ln in lines if ln.source_id == source.pk]
        for ln in own:
            ln.available = ln.amount - ln.committed
        totals = {
            key: sum((getattr(ln, key) for ln in own), ZERO)
            for key in ("amount", "committed", "claimed", "paid", "available")
        }
        totals["unbudgeted"] = source.amount - totals["amount"]
        entry = {"source": source, "lines": own, "totals": totals, "rules": None}
        if source.kind == FundSourceKind.CENTRAL and source.amount:
            entry["rules"] = central_rules(source.amount, own)
        summary.append(entry)
    return summary


def financial_product_list(*, viewer):
    """The 金融清单's products: every signed-in user may read them (they are offers to enterprises)."""
    if role_of(viewer) is None:
        return FinancialProduct.objects.none()
    return FinancialProduct.objects.all()


def interest_subsidy_list(*, viewer):
    """Interest subsidies granted: ledger readers see all; unit staff their enterprises'; others none."""
    return (
        InterestSubsidy.objects.visible_to(viewer)
        .select_related("enterprise__unit", "financial_product")
        .prefetch_related("commitments__lines")
    )
