"""The navigation: each role sees what it may use, nothing more.

Every page of the menu is listed here, in one list, so the menu stays in one place.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import HISTORY_READERS
from .roles import DISTRICT_ROLES, GLOBAL_READ_ROLES, Role, role_of

ALL = frozenset(Role)
#: Roles whose systems or scripts use the REST API (docs/api.md); the menu shows them its guide.
API_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.PROVIDER_USER, Role.AUDITOR})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset
    group: str = ""


ENTERPRISES = _("Enterprises")
PROVIDERS = _("Providers")
EVENTS = _("Training and outreach")
DIAGNOSTICS = _("Diagnosis and evaluation")
FUNDING = _("Projects and funds")
WORKLISTS = _("Work lists")
SYSTEM = _("System")

# In menu order; consecutive entries of a group are shown under its heading.
NAV_ITEMS = [
    NavItem(_("Home"), "home", "house", ALL),
    NavItem(_("Targets and actuals"), "reports:indicators", "speedometer2", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}),
    NavItem(_("Unit targets"), "reports:targets", "grid-3x3", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}),
    NavItem(
        _("Street/town assessment"),
        "unitassessments:ranking",
        "trophy",
        frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF}),
    ),
    NavItem(_("Report snapshots"), "reports:snapshot_list", "camera", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}),
    NavItem(_("My documents"), "reports:documents", "file-earmark-arrow-down", ALL),
    NavItem(
        _("Evidence packs"), "reports:document_evidence_pack", "file-earmark-zip", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}
    ),
    NavItem(_("My dossiers"), "dossiers:list", "archive", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}),
    NavItem(_("Self-evaluations"), "selfevaluations:list", "journal-text", DISTRICT_ROLES | {Role.AUDITOR}),
    NavItem(_("Pilot enterprises"), "enterprises:list", "buildings", ALL, ENTERPRISES),
    NavItem(_("Awaiting confirmation"), "enterprises:confirm_queue", "check2-square", DISTRICT_ROLES, ENTERPRISES),
    NavItem(
        _("Streets and towns"),
        "enterprises:unit_overview",
        "geo-alt",
        GLOBAL_READ_ROLES | {Role.UNIT_STAFF},
        ENTERPRISES,
    ),
    NavItem(_("Roster upload"), "enterprises:import", "upload", DISTRICT_ROLES | {Role.UNIT_STAFF}, ENTERPRISES),
    NavItem(
        _("Data-quality centre"),
        "dataquality:centre",
        "clipboard-data",
        DISTRICT_ROLES | {Role.UNIT_STAFF},
        ENTERPRISES,
    ),
    NavItem(_("Service providers"), "providers:list", "briefcase", ALL, PROVIDERS),
    NavItem(_("Products and solutions"), "providers:product_list", "box-seam", ALL, PROVIDERS),
    NavItem(
        _("Evaluation bodies"),
        "providers:body_list",
        "clipboard-check",
        GLOBAL_READ_ROLES | {Role.UNIT_STAFF, Role.EVALUATOR},
        PROVIDERS,
    ),
    NavItem(
        _("Scorecards"), "providers:scorecards", "bar-chart-line", GLOBAL_READ_ROLES | {Role.PROVIDER_USER}, PROVIDERS
    ),
    NavItem(_("Events"), "events:list", "calendar-event", ALL - {Role.EVALUATOR}, EVENTS),
    NavItem(_("Event figures"), "events:overview", "bar-chart", GLOBAL_READ_ROLES | {Role.UNIT_STAFF}, EVENTS),
    NavItem(_("Diagnosis reports"), "diagnostics:diagnoses:list", "clipboard2-pulse", ALL, DIAGNOSTICS),
    NavItem(
        _("Diagnosis work queue"),
        "diagnostics:diagnoses:work_queue",
        "list-check",
        frozenset({Role.PROVIDER_USER}),
        DIAGNOSTICS,
    ),
    NavItem(_("Review queue"), "diagnostics:diagnoses:review_queue", "inbox", DISTRICT_ROLES, DIAGNOSTICS),
    NavItem(
        _("Deadlines"),
        "diagnostics:diagnoses:deadlines",
        "calendar-x",
        GLOBAL_READ_ROLES | {Role.UNIT_STAFF},
        DIAGNOSTICS,
    ),
    NavItem(
        _("My evaluations"), "diagnostics:assessments:mine", "clipboard-check", frozenset({Role.EVALUATOR}), DIAGNOSTICS
    ),
    NavItem(_("Assessments"), "diagnostics:assessments:list", "graph-up", ALL - {Role.EVALUATOR}, DIAGNOSTICS),
    NavItem(_("Digital-level index"), "diagnostics:index:list", "list-ol", ALL, DIAGNOSTICS),
    NavItem(_("Projects"), "funding:project_list", "kanban", ALL, FUNDING),
    NavItem(
        _("Acceptance queue"), "funding:acceptance_queue", "clipboard2-check", frozenset({Role.EVALUATOR}), FUNDING
    ),
    NavItem(_("Fund ledger"), "funding:ledger", "cash-coin", GLOBAL_READ_ROLES, FUNDING),
    NavItem(_("Payment queue"), "funding:payment_queue", "cash-stack", frozenset({Role.FINANCE_OFFICER}), FUNDING),
    NavItem(
        _("History back-fill"), "backfill:upload", "cloud-upload", DISTRICT_ROLES | {Role.FINANCE_OFFICER}, FUNDING
    ),
    NavItem(_("Period close"), "books:closures", "lock", GLOBAL_READ_ROLES, FUNDING),
    NavItem(_("Six work lists"), "worklists:hub", "card-checklist", ALL, WORKLISTS),
    NavItem(_("Task list"), "worklists:task_list", "list-task", ALL, WORKLISTS),
    NavItem(_("Policy list"), "worklists:policy_list", "file-earmark-text", ALL, WORKLISTS),
    NavItem(
        _("Unit reports"),
        "unitreports:overview",
        "calendar-check",
        frozenset({Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.UNIT_STAFF}),
        WORKLISTS,
    ),
    NavItem(_("Audit history"), "core:audit_history", "clock-history", HISTORY_READERS, SYSTEM),
    NavItem(_("Users"), "accounts:user_list", "people", frozenset({Role.ADMIN}), SYSTEM),
    NavItem(_("API"), "api-guide", "braces", API_ROLES, SYSTEM),
]


def nav_for(user, current_path=""):
    role = role_of(user)
    if role is None:
        return []
    items = []
    for item in NAV_ITEMS:
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = current_path == url if url == "/" else current_path.startswith(url)
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "group": str(item.group),
                "active": False,
                "_match": matches,
            }
        )
    # The most specific entry is the active one (/enterprises/import/ over /enterprises/).
    best = max((i for i in items if i["_match"]), key=lambda i: len(i["url"]), default=None)
    for i in items:
        i["active"] = i is best
        del i["_match"]
    return items
