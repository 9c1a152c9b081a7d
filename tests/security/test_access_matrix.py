"""The access matrix, generated: every route that names one record × every role × a record in the user's
scope and one outside it, on the demo programme (``seed_demo``: 538 enterprises, 10 providers, projects,
payments, files…).

What a user may see is written once per model, as its queryset's ``visible_to(user)`` (docs/style.md); the
few models without one (reference data, money settings, users) get the rule stated here. For each route
and user the test fetches a record inside that scope and one outside it:

* outside the scope: GET and POST answer 403 or 404, never the record, never a redirect that acts;
* inside the scope: no server error (200, or 403 when the role may see the record but not use this
  route, 405 for a POST-only route, 409 when the record's state forbids the step).

A route naming a record that is not classified below fails the test, so a new route cannot escape it.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from rest_framework.test import APIClient

from accounts.models import User
from core.roles import GLOBAL_READ_ROLES, Role, role_of
from tests.helpers import ensure_reference_data
from tests.tokens import api_key

from .helpers import walk_routes


def everyone(model_label):
    return lambda user: apps.get_model(model_label).objects.all()


def readers_only(model_label, roles=GLOBAL_READ_ROLES):
    """Reference data of the money side: the district, finance officers, auditors and admins read it."""
    return lambda user: apps.get_model(model_label).objects.all() if role_of(user) in roles else _none(model_label)


def _none(model_label):
    return apps.get_model(model_label).objects.none()


def scoped(model_label):
    return lambda user: apps.get_model(model_label).objects.all().visible_to(user)


def money_scoped(model_label):
    """Money granted to an enterprise: its scope, but never for providers and evaluators."""

    def visible(user):
        if role_of(user) in (Role.PROVIDER_USER, Role.EVALUATOR):
            return _none(model_label)
        return apps.get_model(model_label).objects.all().visible_to(user)

    return visible


def own_user(user):
    return User.objects.all() if role_of(user) == Role.ADMIN else User.objects.filter(pk=user.pk)


def attachments(user):
    """A file is visible exactly when the record it belongs to is, through that record's own scope."""
    from core.models import Attachment

    visible = []
    for attachment in Attachment.objects.select_related("content_type"):
        model = attachment.content_type.model_class()
        queryset = model._default_manager.all()
        if hasattr(queryset, "visible_to") and queryset.visible_to(user).filter(pk=attachment.object_id).exists():
            visible.append(attachment.pk)
    return Attachment.objects.filter(pk__in=visible)


def snapshots(user):
    from reports.models import ReportSnapshot

    role = role_of(user)
    if role in GLOBAL_READ_ROLES:
        return ReportSnapshot.objects.all()
    if role == Role.UNIT_STAFF:
        return ReportSnapshot.objects.filter(unit_id=user.unit_id)
    return ReportSnapshot.objects.none()


def own_tokens(user):
    """API tokens: each user ends only their own (an admin too)."""
    return apps.get_model("accounts.ApiToken").objects.filter(user=user)


def own_notifications(user):
    return apps.get_model("notifications.Notification").objects.filter(recipient=user)


@dataclass
class Route:
    visible: object  # user -> queryset of the records this user may see
    model: str
    kwarg: str = "pk"
    extra: dict = field(default_factory=dict)
    #: The route serves a file the record may not have (a signed PDF): 404 inside the scope is fine.
    file: bool = False


E, P, D, F = "enterprises.Enterprise", "funding.Project", "diagnostics.Diagnosis", "funding.Disbursement"
SE = "selfevaluations.SelfEvaluation"
A = "diagnostics.Assessment"
N = "notifications.Notification"
EV = "events.Event"
UR, RR = "unitreports.UnitReport", "unitreports.ReportRound"

ROUTES = {
    # accounts
    "accounts:user_detail": Route(own_user, "accounts.User"),
    "accounts:user_action": Route(own_user, "accounts.User", extra={"action": "deactivate"}),
    "accounts:user_edit": Route(own_user, "accounts.User"),
    "api:user-detail": Route(own_user, "accounts.User"),
    # enterprises
    "enterprises:detail": Route(scoped(E), E),
    "enterprises:action": Route(scoped(E), E, extra={"action": "withdraw"}),
    "enterprises:edit": Route(scoped(E), E),
    "api:enterprise-detail": Route(scoped(E), E),
    "api:enterprise-confirm": Route(scoped(E), E),
    "api:enterprise-decline": Route(scoped(E), E),
    "api:enterprise-move": Route(scoped(E), E),
    "api:enterprise-reinstate": Route(scoped(E), E),
    "api:enterprise-withdraw": Route(scoped(E), E),
    "enterprises:import_batch": Route(scoped("enterprises.ImportBatch"), "enterprises.ImportBatch"),
    "enterprises:import_commit": Route(scoped("enterprises.ImportBatch"), "enterprises.ImportBatch"),
    "enterprises:import_errors": Route(scoped("enterprises.ImportBatch"), "enterprises.ImportBatch"),
    "api:enterprise-import-batch": Route(scoped("enterprises.ImportBatch"), "enterprises.ImportBatch", "batch"),
    "api:enterprise-import-errors": Route(scoped("enterprises.ImportBatch"), "enterprises.ImportBatch", "batch"),
    "providers:enterprise_assign": Route(scoped(E), E, extra={"kind": "provider"}),
    "diagnostics:assessments:create": Route(scoped(E), E, "enterprise_pk", extra={"method": "onsite"}),
    # providers
    "providers:detail": Route(scoped("providers.Provider"), "providers.Provider"),
    "providers:action": Route(scoped("providers.Provider"), "providers.Provider", extra={"action": "suspend"}),
    "providers:assign": Route(scoped("providers.Provider"), "providers.Provider"),
    "providers:edit": Route(scoped("providers.Provider"), "providers.Provider"),
    "api:provider-detail": Route(scoped("providers.Provider"), "providers.Provider"),
    "api:provider-events": Route(scoped("providers.Provider"), "providers.Provider"),
    "providers:body_detail": Route(scoped("providers.EvaluationBody"), "providers.EvaluationBody"),
    "providers:body_assign": Route(scoped("providers.EvaluationBody"), "providers.EvaluationBody"),
    "providers:body_edit": Route(scoped("providers.EvaluationBody"), "providers.EvaluationBody"),
    "api:evaluator-detail": Route(scoped("providers.EvaluationBody"), "providers.EvaluationBody"),
    "providers:product_detail": Route(scoped("providers.Product"), "providers.Product"),
    "providers:product_action": Route(scoped("providers.Product"), "providers.Product", extra={"action": "recognise"}),
    "providers:product_edit": Route(scoped("providers.Product"), "providers.Product"),
    "api:product-detail": Route(scoped("providers.Product"), "providers.Product"),
    "api:product-recognise": Route(scoped("providers.Product"), "providers.Product"),
    "api:product-withdraw-recognition": Route(scoped("providers.Product"), "providers.Product"),
    "providers:scorecard_detail": Route(scoped("providers.ProviderScorecard"), "providers.ProviderScorecard"),
    "api:scorecard-detail": Route(scoped("providers.ProviderScorecard"), "providers.ProviderScorecard"),
    "api:scorecard-reply": Route(scoped("providers.ProviderScorecard"), "providers.ProviderScorecard"),
    "providers:assignment_end": Route(
        scoped("providers.ProviderAssignment"), "providers.ProviderAssignment", extra={"kind": "provider"}
    ),
    "api:provider-assignment-detail": Route(scoped("providers.ProviderAssignment"), "providers.ProviderAssignment"),
    "api:provider-assignment-end": Route(scoped("providers.ProviderAssignment"), "providers.ProviderAssignment"),
    "api:evaluator-assignment-detail": Route(scoped("providers.EvaluatorAssignment"), "providers.EvaluatorAssignment"),
    "api:evaluator-assignment-end": Route(scoped("providers.EvaluatorAssignment"), "providers.EvaluatorAssignment"),
    "api:provider-rating-detail": Route(scoped("providers.ProviderRating"), "providers.ProviderRating"),
    # diagnostics
    "diagnostics:assessments:detail": Route(scoped(A), A),
    "diagnostics:assessments:delete": Route(scoped(A), A),
    "diagnostics:assessments:edit": Route(scoped(A), A),
    "api:assessment-detail": Route(scoped(A), A),
    "api:assessment-evidence": Route(scoped(A), A),
    "api:assessment-submit": Route(scoped(A), A),
    "api:assessment-sync": Route(scoped(A), A),
    "diagnostics:index:option": Route(everyone("diagnostics.Option"), "diagnostics.Option"),
    "diagnostics:diagnoses:detail": Route(scoped(D), D),
    "diagnostics:diagnoses:action": Route(scoped(D), D, extra={"action": "submit"}),
    "diagnostics:diagnoses:edit": Route(scoped(D), D),
    "diagnostics:diagnoses:signed_pdf": Route(scoped(D), D, file=True),
    "diagnostics:diagnoses:version": Route(scoped(D), D, extra={"version": "1"}),
    "api:diagnosis-detail": Route(scoped(D), D),
    "api:diagnosis-accept": Route(scoped(D), D),
    "api:diagnosis-return": Route(scoped(D), D),
    "api:diagnosis-signed-pdf": Route(scoped(D), D, file=True),
    "api:diagnosis-submit": Route(scoped(D), D),
    "api:diagnosis-transitions": Route(scoped(D), D),
    "api:deadline-detail": Route(scoped("diagnostics.Deadline"), "diagnostics.Deadline"),
    # funding
    "funding:project_detail": Route(scoped(P), P),
    "funding:project_action": Route(scoped(P), P, extra={"action": "approve"}),
    "funding:acceptance_create": Route(scoped(P), P),
    "funding:project_commit": Route(scoped(P), P),
    "funding:project_edit": Route(scoped(P), P),
    "api:project-detail": Route(scoped(P), P),
    "api:project-acceptance": Route(scoped(P), P),
    "api:project-approve": Route(scoped(P), P),
    "api:project-cancel": Route(scoped(P), P),
    "api:project-progress": Route(scoped(P), P),
    "api:project-request-acceptance": Route(scoped(P), P),
    "api:project-transitions": Route(scoped(P), P),
    "funding:acceptance_correct": Route(scoped("funding.Acceptance"), "funding.Acceptance"),
    "api:acceptance-detail": Route(scoped("funding.Acceptance"), "funding.Acceptance"),
    "api:acceptance-correct": Route(scoped("funding.Acceptance"), "funding.Acceptance"),
    "funding:recognition_detail": Route(scoped("funding.Recognition"), "funding.Recognition"),
    "funding:recognition_edit": Route(scoped("funding.Recognition"), "funding.Recognition"),
    "api:recognition-detail": Route(scoped("funding.Recognition"), "funding.Recognition"),
    "funding:commitment_detail": Route(scoped("funding.Commitment"), "funding.Commitment"),
    "funding:commitment_action": Route(scoped("funding.Commitment"), "funding.Commitment", extra={"action": "cancel"}),
    "api:commitment-detail": Route(scoped("funding.Commitment"), "funding.Commitment"),
    "api:commitment-cancel": Route(scoped("funding.Commitment"), "funding.Commitment"),
    "funding:disbursement_detail": Route(scoped(F), F),
    "funding:disbursement_action": Route(scoped(F), F, extra={"action": "approve"}),
    "api:disbursement-detail": Route(scoped(F), F),
    "api:disbursement-approve": Route(scoped(F), F),
    "api:disbursement-pay": Route(scoped(F), F),
    "api:disbursement-reject": Route(scoped(F), F),
    "api:disbursement-reverse": Route(scoped(F), F),
    "funding:budget_line": Route(readers_only("funding.BudgetLine"), "funding.BudgetLine"),
    "funding:budget_line_edit": Route(readers_only("funding.BudgetLine"), "funding.BudgetLine"),
    "api:budget-line-detail": Route(readers_only("funding.BudgetLine"), "funding.BudgetLine"),
    "funding:policy_edit": Route(readers_only("funding.SubsidyPolicy"), "funding.SubsidyPolicy"),
    "funding:product_edit": Route(everyone("funding.FinancialProduct"), "funding.FinancialProduct"),
    "api:financial-product-detail": Route(everyone("funding.FinancialProduct"), "funding.FinancialProduct"),
    "api:interest-subsidy-detail": Route(money_scoped("funding.InterestSubsidy"), "funding.InterestSubsidy"),
    "backfill:batch": Route(scoped("funding.BackfillBatch"), "funding.BackfillBatch"),
    "backfill:commit": Route(scoped("funding.BackfillBatch"), "funding.BackfillBatch"),
    "backfill:errors": Route(scoped("funding.BackfillBatch"), "funding.BackfillBatch"),
    "api:backfill-batch": Route(scoped("funding.BackfillBatch"), "funding.BackfillBatch", "batch"),
    "api:backfill-errors": Route(scoped("funding.BackfillBatch"), "funding.BackfillBatch", "batch"),
    # core
    "core:attachment_download": Route(attachments, "core.Attachment"),
    # reports
    "reports:snapshot_detail": Route(snapshots, "reports.ReportSnapshot"),
    "reports:snapshot_pdf": Route(snapshots, "reports.ReportSnapshot"),
    "reports:snapshot_xlsx": Route(snapshots, "reports.ReportSnapshot"),
    "api:report-snapshot": Route(snapshots, "reports.ReportSnapshot"),
    "api:report-snapshot-pdf": Route(snapshots, "reports.ReportSnapshot"),
    "reports:document_enterprise_file": Route(scoped(E), E),
    "reports:document_project_dossier": Route(scoped(P), P),
    "accounts:token_revoke": Route(own_tokens, "accounts.ApiToken"),
    # events (unit staff: their unit's and the district-wide ones; providers: those naming them)
    "events:detail": Route(scoped(EV), EV),
    "events:edit": Route(scoped(EV), EV),
    "events:invite": Route(scoped(EV), EV),
    "events:attendance": Route(scoped(EV), EV),
    "events:attendance_export": Route(scoped(EV), EV),
    "events:action": Route(scoped(EV), EV, extra={"action": "held"}),
    "events:invitation_remove": Route(scoped("events.Invitation"), "events.Invitation"),
    "events:attendance_remove": Route(scoped("events.Attendance"), "events.Attendance"),
    "events:sign_in_batch": Route(scoped("events.SignInBatch"), "events.SignInBatch"),
    "events:sign_in_commit": Route(scoped("events.SignInBatch"), "events.SignInBatch"),
    "events:sign_in_errors": Route(scoped("events.SignInBatch"), "events.SignInBatch"),
    "api:event-detail": Route(scoped(EV), EV),
    "api:event-attendance": Route(scoped(EV), EV),
    # dossiers (the requester's own; every dossier for the global readers)
    "dossiers:detail": Route(scoped("dossiers.Dossier"), "dossiers.Dossier"),
    "dossiers:zip": Route(scoped("dossiers.Dossier"), "dossiers.Dossier", file=True),
    "api:dossier": Route(scoped("dossiers.Dossier"), "dossiers.Dossier"),
    "api:dossier-zip": Route(scoped("dossiers.Dossier"), "dossiers.Dossier", file=True),
    # self-evaluations (district officials, auditors and admins read; the district writes)
    **{
        name: Route(scoped(SE), SE, file=name.endswith(("docx", "pdf")))
        for name in (
            "selfevaluations:detail",
            "selfevaluations:regenerate",
            "selfevaluations:narrative",
            "selfevaluations:compare",
            "selfevaluations:docx",
            "selfevaluations:pdf",
            "api:selfevaluation",
            "api:selfevaluation-docx",
            "api:selfevaluation-pdf",
            "api:selfevaluation-compare",
        )
    },
    # period close
    "books:reopen": Route(readers_only("books.Closure"), "books.Closure"),
    "books:approve_reopen": Route(readers_only("books.Closure"), "books.Closure"),
    "books:exception_approve": Route(readers_only("books.ClosureException"), "books.ClosureException"),
    "books:exception_reject": Route(readers_only("books.ClosureException"), "books.ClosureException"),
    "api:closure-detail": Route(readers_only("books.Closure"), "books.Closure"),
    "api:closure-reopen": Route(readers_only("books.Closure"), "books.Closure"),
    "api:closure-approve-reopen": Route(readers_only("books.Closure"), "books.Closure"),
    "api:closure-exception-detail": Route(readers_only("books.ClosureException"), "books.ClosureException"),
    "api:closure-exception-approve": Route(readers_only("books.ClosureException"), "books.ClosureException"),
    "api:closure-exception-reject": Route(readers_only("books.ClosureException"), "books.ClosureException"),
    # work lists
    "worklists:task_detail": Route(scoped("worklists.WorkTask"), "worklists.WorkTask"),
    "worklists:task_edit": Route(scoped("worklists.WorkTask"), "worklists.WorkTask"),
    "worklists:task_progress": Route(scoped("worklists.WorkTask"), "worklists.WorkTask"),
    "worklists:policy_edit": Route(scoped("worklists.PolicyDocument"), "worklists.PolicyDocument"),
    # notifications: each person's own, whatever the role
    "notifications:open": Route(own_notifications, N),
    "notifications:read": Route(own_notifications, N),
    "api:notification-detail": Route(own_notifications, N),
    "api:notification-read": Route(own_notifications, N),
    # unit reports: a unit's staff their own unit's; the district, auditors and admins every one
    "unitreports:detail": Route(scoped(UR), UR),
    "unitreports:edit": Route(scoped(UR), UR),
    "unitreports:review": Route(scoped(UR), UR),
    "api:unit-report-detail": Route(scoped(UR), UR),
    "unitreports:round_detail": Route(scoped(RR), RR),
    "unitreports:round_edit": Route(scoped(RR), RR),
    "unitreports:fill": Route(scoped(RR), RR),
}

#: Routes with a parameter that is not one record, and why they are outside this matrix.
NOT_RECORD_ROUTES = {
    "core:pick": "a picker's kind (suggestions scoped by each kind's visible_to: tests/providers/test_pickers.py)",
    "enterprises:unit_detail": "a unit (reference data every role reads; unit pages are scoped by their lists)",
    "diagnostics:index:detail": "an indicator of the published index (reference data)",
    "funding:ledger_source": "a fund source by code (the ledger page of readers; covered by funding tests)",
    "reports:indicator_records": "an indicator number (scoped by the report's unit: tests/reports)",
    "reports:document_download": "a rendered document, downloadable by its requester only (tests/reports)",
    "unitassessments:unit": "a unit's assessment by unit code (own unit for unit staff, else 404: tests/unitassessments)",
}

USERNAMES = [
    "admin",
    "district",
    "finance",
    "auditor",
    "unit_310117001",
    "unit_310117102",
    "provider1",
    "provider2",
    "evaluator1",
]


def _record_routes():
    seen = {}
    for pattern, name in walk_routes(get_resolver()):
        if pattern.startswith("django-admin/") or ("<" not in pattern and "(?P<" not in pattern):
            continue
        if "format>" in pattern:  # the router's format suffixes (.json): the same views
            continue
        seen.setdefault(name, pattern)
    return seen


def test_every_route_naming_a_record_is_in_the_matrix():
    unclassified = sorted(set(_record_routes()) - set(ROUTES) - set(NOT_RECORD_ROUTES))
    assert not unclassified, f"classify these routes in ROUTES or NOT_RECORD_ROUTES: {unclassified}"
    stale = sorted(set(ROUTES) - set(_record_routes()))
    assert not stale, f"routes that no longer exist: {stale}"


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    """The demo programme, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # an earlier transactional test may have flushed the units
        call_command("seed_demo", verbosity=0)
        yield {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        transaction.set_rollback(True)


def _path(name, route, pk):
    from django.urls import reverse

    kwargs = {route.kwarg: pk, **route.extra}
    return reverse(name, kwargs=kwargs)


def _client(user, api):
    if api:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
        return client
    client = Client()
    client.force_login(user)
    return client


#: Outside the scope, and for a record that does not exist: refused or not found, never the record.
OUTSIDE_OK = {403, 404, 405}
INSIDE_OK = {200, 201, 202, 204, 302, 400, 403, 405, 409}


@dataclass
class Findings:
    """The cells of the matrix counted by kind, and the answers that were not allowed."""

    cells: Counter = field(default_factory=Counter)
    wrong: list = field(default_factory=list)

    def check(self, cell, client, method, path, allowed, *where):
        """Request ``path`` with ``method``; count the cell, note the answer when it is not ``allowed``."""
        self.cells[cell] += 1
        status = getattr(client, method)(path).status_code
        if status not in allowed:
            self.wrong.append((cell, *where, method, path, status))


@pytest.mark.django_db
def test_the_matrix(programme, capsys):
    found = Findings()
    names = sorted(set(ROUTES) & set(_record_routes()))
    for username in USERNAMES:
        user = programme[username]
        for name in names:
            route = ROUTES[name]
            client = _client(user, api=name.startswith("api:"))
            model = apps.get_model(route.model)
            visible = route.visible(user)
            inside = visible.order_by("pk").values_list("pk", flat=True).first()
            outside = (
                model.objects.exclude(pk__in=visible.values("pk")).order_by("pk").values_list("pk", flat=True).first()
            )
            if inside is not None:
                allowed = (INSIDE_OK | {404}) if route.file else INSIDE_OK  # a file the record may not have
                found.check("inside", client, "get", _path(name, route, inside), allowed, username, name)
            if outside is not None:
                path = _path(name, route, outside)
                for method in ("get", "post"):
                    found.check(f"outside {method}", client, method, path, OUTSIDE_OK, username, name)
            else:
                found.cells["no record outside the scope (global reader)"] += 1
            missing = uuid.uuid4() if model._meta.pk.get_internal_type() == "UUIDField" else 987654321
            found.check("missing record", client, "get", _path(name, route, missing), OUTSIDE_OK, username, name)
    with capsys.disabled():
        print(f"\naccess matrix: {len(names)} routes × {len(USERNAMES)} users; cells: {dict(found.cells)}")
    assert not found.wrong, "\n".join(map(str, found.wrong))
    assert found.cells["outside get"] > 300 and found.cells["inside"] > 500
