"""Who may move a diagnosis report (一企一报告) and set deadlines. Each predicate returns
``(allowed, reason)``.

Scope comes first and is the selectors' business (a provider never sees another provider's
reports: 404). These predicates check role, organisation and workflow state. The services call the
``role`` predicates (a refusal is a 403) before the ``state`` checks (a refusal is a 409), so a
user who may never act gets the same answer whatever state the report is in.
"""

from django.utils.translation import gettext as _

from core.permissions import may_act_as
from core.roles import DISTRICT_ROLES, Role, role_of

from ..choices import DiagnosisStatus

#: The states from which each step may be taken.
EDITABLE_STATES = (DiagnosisStatus.DRAFT, DiagnosisStatus.RETURNED)
OPEN_STATES = (DiagnosisStatus.DRAFT, DiagnosisStatus.SUBMITTED, DiagnosisStatus.RETURNED)
ALLOWED_FROM = {
    "edit": EDITABLE_STATES,
    "submit": EDITABLE_STATES,
    "accept": (DiagnosisStatus.SUBMITTED,),
    "return": (DiagnosisStatus.SUBMITTED,),
}


def is_district(user):
    return role_of(user) in DISTRICT_ROLES


def may_create_for(user, provider):
    """Role check for drafting a report for ``provider``: the provider's own users; the district
    (officials, admins) for any provider. Whether the enterprise is assigned is checked by the service."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return True, ""
    if role == Role.PROVIDER_USER:
        if provider is not None and user.provider_id == provider.pk:
            return True, ""
        return False, _("A provider drafts reports only in its own name.")
    return False, _("Only a service provider or the district drafts diagnosis reports.")


def may_work_on(user, diagnosis):
    """Role check for editing, submitting and attaching the signed PDF: the report provider's
    users, the district and admins."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return True, ""
    if role == Role.PROVIDER_USER and user.provider_id == diagnosis.provider_id:
        return True, ""
    return False, _("Only the report's service provider or the district may change this report.")


def may_review(user):
    """Role check for accepting and returning: district officials and admins."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official reviews diagnosis reports."))


def state_allows(action, diagnosis):
    """Whether the report's status allows ``action`` (``edit``, ``submit``, ``accept``, ``return``)."""
    if diagnosis.status in ALLOWED_FROM[action]:
        return True, ""
    messages = {
        "edit": _("A report can be changed only while it is a draft or returned for revision; this one is {status}."),
        "submit": _("Only a draft or a returned report can be submitted; this one is {status}."),
        "accept": _("Only a submitted report can be accepted; this one is {status}."),
        "return": _("Only a submitted report can be returned; this one is {status}."),
    }
    return False, messages[action].format(status=diagnosis.get_status_display())


def _both(first, second):
    return first if not first[0] else second


def can_edit(user, diagnosis):
    return _both(may_work_on(user, diagnosis), state_allows("edit", diagnosis))


def can_submit(user, diagnosis):
    return _both(may_work_on(user, diagnosis), state_allows("submit", diagnosis))


def can_accept(user, diagnosis):
    return _both(may_review(user), state_allows("accept", diagnosis))


def can_return(user, diagnosis):
    return _both(may_review(user), state_allows("return", diagnosis))


def can_attach_signed_pdf(user, diagnosis):
    """The provider attaches the signed report while it can still change it; the district (entering
    history, or receiving the paper copy late) at any time."""
    allowed = may_work_on(user, diagnosis)
    if not allowed[0] or is_district(user):
        return allowed
    return state_allows("edit", diagnosis)


def can_set_deadlines(user):
    """Deadlines per enterprise are the district's (officials and admins)."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official sets deadlines."))
