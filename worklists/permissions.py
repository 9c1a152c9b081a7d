"""Who may do what with the work lists: one predicate per action, returning ``(allowed, reason)``.

Every signed-in role reads both lists and downloads them (auditors included). District officials and
admins keep them; a street/town's staff record the progress of the tasks assigned to their unit.
"""

from django.utils.translation import gettext as _

from core.permissions import OK, may_act_as
from core.roles import DISTRICT_ROLES, Role, role_of


def can_read(user):
    if role_of(user) is not None:
        return OK
    return False, _("Sign in to see the work lists.")


def can_manage_tasks(user):
    """Create tasks and change what they are (title, target, responsibility, deadline): the district."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official keeps the task list."))


def can_update_progress(user, task):
    """Record progress: the district on any task; a unit's staff on the tasks assigned to their unit."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return OK
    if role == Role.UNIT_STAFF:
        if task.unit_id is not None and task.unit_id == user.unit_id:
            return OK
        return False, _("Street/town staff record progress only on the tasks assigned to their own unit.")
    return False, _("Only the district, or the staff of the unit the task is assigned to, record its progress.")


def can_manage_policies(user):
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official keeps the policy list."))
