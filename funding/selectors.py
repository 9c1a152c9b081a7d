"""Reads of the funding app, always through the viewer's scope."""

from . import balances
from .models import (
    Acceptance,
    BudgetLine,
    Commitment,
    Disbursement,
    FundSource,
    Project,
    Recognition,
)


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
    """The ledger's lines with their figures; the ledger is the district's, finance's and auditors'."""
    from core.roles import GLOBAL_READ_ROLES, role_of

    if role_of(viewer) not in GLOBAL_READ_ROLES:
        return BudgetLine.objects.none()
    return balances.lines_with_figures(BudgetLine.objects.all())


def fund_sources(*, viewer):
    from core.roles import GLOBAL_READ_ROLES, role_of

    if role_of(viewer) not in GLOBAL_READ_ROLES:
        return FundSource.objects.none()
    return FundSource.objects.all()
