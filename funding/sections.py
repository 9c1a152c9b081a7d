"""The "projects" section of the enterprise file (一企一档): the enterprise's transformation projects,
recognitions, and — for those who may see money — its commitments and payments (the ledger readers),
or its subsidy totals (the enterprise's street/town staff)."""

from . import permissions, selectors
from .models import Commitment, Disbursement, InterestSubsidy


def projects_section(request, enterprise):
    user = request.user
    projects = list(selectors.project_list(viewer=user).filter(enterprise=enterprise).order_by("-filed_on", "-pk"))
    recognitions = list(
        selectors.recognition_list(viewer=user).filter(enterprise=enterprise).order_by("-recognised_on")
    )
    memberships = list(selectors.recognition_list(viewer=user).filter(members=enterprise).order_by("-recognised_on"))
    sees_ledger = permissions.can_see_ledger(user)[0]
    sees_totals = permissions.can_see_subsidy_totals(user)[0]
    context = {
        "enterprise": enterprise,
        "projects": projects,
        "recognitions": recognitions,
        "memberships": memberships,
        "sees_ledger": sees_ledger,
        "can_file": permissions.can_file_any(user)[0],
        "totals": None,
        "commitments": [],
        "disbursements": [],
    }
    if sees_totals:
        commitments = Commitment.objects.visible_to(user).filter(enterprise=enterprise)
        context["totals"] = selectors.subsidy_totals(queryset_commitments=commitments)
        context["interest_subsidies"] = list(
            InterestSubsidy.objects.visible_to(user).filter(enterprise=enterprise).select_related("financial_product")
        )
    if sees_ledger:
        context["commitments"] = list(
            Commitment.objects.visible_to(user)
            .filter(enterprise=enterprise)
            .select_related("project")
            .prefetch_related("lines__budget_line__source")
            .order_by("-committed_on", "-pk")
        )
        context["disbursements"] = list(
            Disbursement.objects.visible_to(user)
            .filter(commitment_line__commitment__enterprise=enterprise)
            .select_related("commitment_line__budget_line__source", "commitment_line__commitment")
            .order_by("-requested_on", "-pk")
        )
    return context
