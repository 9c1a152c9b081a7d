"""Who may enter, change and submit assessments. Each predicate returns ``(allowed, reason)``; scope
(which enterprises and assessments a user sees) is the selectors' business."""

from django.utils.translation import gettext as _

from core.roles import DISTRICT_ROLES, Role, role_of
from providers.models import EvaluatorAssignment, ProviderAssignment

from ..choices import AssessmentStatus, Method


def _assigned_body_ids(enterprise):
    return set(EvaluatorAssignment.objects.filter(enterprise=enterprise).values_list("evaluation_body_id", flat=True))


def _provider_assigned(user, enterprise):
    return ProviderAssignment.objects.filter(enterprise=enterprise, provider_id=user.provider_id).exists()


def can_enter(user, enterprise, method, evaluation_body=None):
    """Enter (create, edit a draft, submit) an assessment of ``enterprise`` by ``method``.

    * on-site (``onsite``): an evaluator of an evaluation body assigned to the enterprise (for that
      body), or the district / an admin entering it for such a body;
    * self-assessment (``self``): the staff of the enterprise's unit, a provider user assigned to it,
      or the district / an admin.
    """
    role = role_of(user)
    if role is None:
        return False, _("Sign in first.")
    if method == Method.ONSITE:
        if role in DISTRICT_ROLES:
            if evaluation_body is not None and evaluation_body.pk not in _assigned_body_ids(enterprise):
                return False, _("This evaluation body is not assigned to the enterprise.")
            return True, ""
        if role == Role.EVALUATOR:
            if user.evaluation_body_id not in _assigned_body_ids(enterprise):
                return False, _("Your evaluation body is not assigned to this enterprise.")
            if evaluation_body is not None and evaluation_body.pk != user.evaluation_body_id:
                return False, _("Evaluators enter evaluations for their own body only.")
            return True, ""
        return False, _("Only the assigned evaluation body or the district enters on-site evaluations.")
    if method == Method.SELF:
        if role in DISTRICT_ROLES:
            return True, ""
        if role == Role.UNIT_STAFF and enterprise.unit_id == user.unit_id:
            return True, ""
        if role == Role.PROVIDER_USER and _provider_assigned(user, enterprise):
            return True, ""
        return False, _(
            "Self-assessments are entered by the enterprise's street/town, its assigned service provider or the district."
        )
    return False, _("Unknown method.")


def can_change(user, assessment):
    """Edit, submit or delete a draft: whoever may enter it (an evaluator only for their own body)."""
    if assessment.status != AssessmentStatus.DRAFT:
        return False, _("A submitted assessment cannot be changed.")
    allowed, reason = can_enter(user, assessment.enterprise, assessment.method, assessment.evaluation_body)
    if not allowed:
        return allowed, reason
    role = role_of(user)
    if (
        role == Role.PROVIDER_USER
        and assessment.created_by_id
        and getattr(assessment.created_by, "provider_id", None) != user.provider_id
    ):
        return False, _("This draft was started by someone else.")
    return True, ""
