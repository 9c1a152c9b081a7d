"""The "assignments" section of the enterprise file: who serves and who evaluates the enterprise, the
district's assign/end actions, and the enterprise's satisfaction ratings of its providers."""

from core.roles import GLOBAL_READ_ROLES, Role, role_of

from . import permissions
from .choices import PoolStatus
from .forms import AssignOneForm, EndAssignmentForm, RatingForm
from .models import EvaluationBody, Provider
from .selectors import enterprise_evaluator_assignments, enterprise_provider_assignments, ratings_of_enterprise


def assignments_section(request, enterprise):
    """Context of ``providers/enterprise_section.html`` for this viewer (everything read in scope)."""
    user = request.user
    role = role_of(user)
    if role is None:
        return None
    provider_rows = list(enterprise_provider_assignments(viewer=user, enterprise=enterprise))
    body_rows = list(enterprise_evaluator_assignments(viewer=user, enterprise=enterprise))
    can_assign = permissions.can_manage_providers(user)[0]
    can_rate = permissions.can_rate(user, enterprise)[0]
    context = {
        "enterprise": enterprise,
        "provider_assignments": provider_rows,
        "evaluator_assignments": body_rows,
        "can_assign": can_assign,
        "can_rate": can_rate and bool(provider_rows),
        "show_ratings": role in (*GLOBAL_READ_ROLES, Role.UNIT_STAFF, Role.PROVIDER_USER),
    }
    if context["show_ratings"]:
        context["ratings"] = list(ratings_of_enterprise(viewer=user, enterprise=enterprise)[:50])
    if can_assign:
        assigned_providers = [a.provider_id for a in provider_rows]
        assigned_bodies = [a.evaluation_body_id for a in body_rows]
        context["provider_form"] = AssignOneForm(
            queryset=Provider.objects.filter(pool_status=PoolStatus.IN_POOL).exclude(pk__in=assigned_providers),
            prefix="provider",
        )
        context["body_form"] = AssignOneForm(
            queryset=EvaluationBody.objects.exclude(pk__in=assigned_bodies), prefix="body"
        )
        context["end_form"] = EndAssignmentForm()
    if context["can_rate"]:
        context["rating_form"] = RatingForm(
            providers=Provider.objects.filter(pk__in=[a.provider_id for a in provider_rows])
        )
    return context
