"""Who may move a project or touch the ledger. Each predicate returns ``(allowed, reason)``; scope
(which records a user sees at all) is the querysets' business (``visible_to``)."""

from django.utils.translation import gettext as _

from core.permissions import OK, may_act_as
from core.roles import DISTRICT_ROLES, Role, role_of
from enterprises.models import Enterprise
from providers.models import EvaluatorAssignment

from .models import LEDGER_READ_ROLES

OPEN_STATES = ("filed", "approved", "failed")


def can_decide(user):
    """Approve, cancel, correct an acceptance: the district."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official may do this."))


def _serves(user, provider_id):
    return role_of(user) == Role.PROVIDER_USER and user.provider_id is not None and user.provider_id == provider_id


def can_file(user, enterprise, provider):
    """The district files for any provider; a provider user for its own provider and an enterprise it serves."""
    if role_of(user) in DISTRICT_ROLES:
        return OK
    if _serves(user, provider.pk):
        if Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists():
            return OK
        return False, _("Your provider does not serve this enterprise.")
    return False, _("Only the enterprise's service provider or the district files a project.")


def can_edit(user, project):
    if role_of(user) in DISTRICT_ROLES:
        return OK
    if _serves(user, project.provider_id):
        if project.status in OPEN_STATES:
            return OK
        return False, _("A project under acceptance or closed can no longer be changed.")
    return False, _("Only the project's service provider or the district changes a project.")


def can_report(user, project):
    """Report progress and ask for acceptance: the project's provider, or the district."""
    if role_of(user) in DISTRICT_ROLES or _serves(user, project.provider_id):
        return OK
    return False, _("Only the project's service provider or the district does this.")


def can_inspect(user, project):
    """Record the on-site acceptance: an evaluator of a body assigned to the enterprise (or an admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return OK
    if role == Role.EVALUATOR and user.evaluation_body_id:
        if EvaluatorAssignment.objects.filter(
            enterprise_id=project.enterprise_id, evaluation_body_id=user.evaluation_body_id
        ).exists():
            return OK
        return False, _("Your evaluation body is not assigned to this enterprise.")
    return False, _("Only the third-party evaluation body assigned to the enterprise records acceptance.")


def can_manage_ledger(user):
    return may_act_as(user, Role.FINANCE_OFFICER, reason=_("Only a finance officer may do this."))


def can_see_ledger(user):
    """The ledger's pages (sources, lines, commitments, payments, the statement): its readers only.
    Which records a user reads at all is the querysets' rule (``visible_to``)."""
    return may_act_as(
        user, *LEDGER_READ_ROLES, reason=_("Only the district, finance officers and auditors see the fund ledger.")
    )


def can_see_subsidy_totals(user):
    """An enterprise's subsidy totals (committed, paid): ledger readers, and unit staff for their enterprises."""
    if role_of(user) in LEDGER_READ_ROLES or role_of(user) == Role.UNIT_STAFF:
        return OK
    return False, _("Only the district, finance, auditors and the enterprise's street/town see its subsidies.")


def can_commit(user):
    """Commit money (a project subsidy, an interest subsidy, another spend): district officials."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official commits funds."))


def can_request_payment(user):
    return may_act_as(
        user, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, reason=_("Only the district or finance requests payments.")
    )


def can_edit_policy(user):
    return may_act_as(
        user,
        Role.DISTRICT_OFFICIAL,
        Role.FINANCE_OFFICER,
        reason=_("Only a finance officer or a district official changes the subsidy policy."),
    )


def can_file_any(user):
    """May open the filing form at all (the service checks the enterprise and provider)."""
    role = role_of(user)
    if role in DISTRICT_ROLES or (role == Role.PROVIDER_USER and user.provider_id):
        return OK
    return False, _("Only a service provider or the district files a project.")


def can_see_acceptance_queue(user):
    role = role_of(user)
    if role == Role.ADMIN or (role == Role.EVALUATOR and user.evaluation_body_id):
        return OK
    return False, _("The acceptance queue is the third-party evaluation body's.")
