"""Who may do what in the reports app: the roles that read reports, request snapshots and allocate targets."""

from core.roles import DISTRICT_ROLES, GLOBAL_READ_ROLES, Role, role_of

#: Who reads every report: district officials, finance officers, auditors, admins (unit staff read their unit's).
REPORT_ROLES = GLOBAL_READ_ROLES
#: Who may request a snapshot (docs/api.md): district, auditor, admin; unit staff for their unit.
REQUEST_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF})
#: Who edits the units' targets.
TARGET_EDIT_ROLES = DISTRICT_ROLES


def can_request_snapshot(user):
    """Whether ``user``'s role requests snapshots (the scope is checked by the request itself)."""
    return role_of(user) in REQUEST_ROLES


def can_edit_targets(user):
    """Whether ``user`` allocates the indicators' targets to the units."""
    return role_of(user) in TARGET_EDIT_ROLES
