"""The home page of each role, composed at the top from every app's selectors.

It sits in the project package because it gathers from all apps (docs/architecture.md "Layers").
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse

from accounts import throttle
from core.models import BackgroundJob, DownloadLog
from core.roles import Role, role_of
from diagnostics.selectors.diagnoses import todo_lists
from enterprises.models import in_programme_q
from enterprises.selectors import enterprise_counts, enterprise_status_counts, unit_enterprise_counts
from funding.todos import funding_todos
from providers.selectors import evaluation_body_list, evaluator_assignments, provider_assignments, provider_list

#: How many assigned enterprises the home page lists before it says "showing N of M".
ASSIGNMENTS_SHOWN = 50


def home_context(user):
    """What the signed-in user's home page shows, by role, all from the user's own scope."""
    role = role_of(user)
    # One grouped count of the viewer's enterprises by unit and status gives both the figures at the
    # top and the per-unit table (at 100,000 enterprises each was a scan of its own).
    counts = enterprise_counts(viewer=user)
    context = {"role": role, "status_counts": enterprise_status_counts(viewer=user, counts=counts)}
    context["todo_lists"] = todo_lists(user)
    context["funding_todos"] = funding_todos(user)
    if role in (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR, Role.UNIT_STAFF):
        context["unit_rows"] = unit_enterprise_counts(viewer=user, counts=counts)
    if role in (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR):
        providers = provider_list(viewer=user).aggregate(
            n=Count("pk"), key=Count("pk", filter=Q(key_provider_since__isnull=False))
        )
        context["provider_count"] = providers["n"]
        context["key_provider_count"] = providers["key"]
        context["evaluation_body_count"] = evaluation_body_list(viewer=user).count()
    if role == Role.ADMIN:
        users = get_user_model().objects.all()
        context["role_counts"] = [
            (Role(row["role"]).label if row["role"] else Role.ADMIN.label, row["n"])
            for row in users.filter(is_active=True).order_by("role").values("role").annotate(n=Count("pk"))
        ]
        context["inactive_users"] = users.filter(is_active=False).count()
        context["locked_users"] = [
            u for u in users.filter(is_active=True).only("username") if throttle.has_lockout(u.username)
        ]
        context["recent_jobs"] = BackgroundJob.objects.order_by("-created_at")[:5]
    if role == Role.AUDITOR:
        context["recent_downloads"] = DownloadLog.objects.select_related("user")[:10]
    if role == Role.PROVIDER_USER:
        context["organisation"] = user.provider
        _assigned(
            context,
            provider_assignments(viewer=user, provider=user.provider),
            reverse("diagnostics:diagnoses:work_queue"),
        )
    if role == Role.EVALUATOR:
        context["organisation"] = user.evaluation_body
        _assigned(
            context,
            evaluator_assignments(viewer=user, evaluation_body=user.evaluation_body),
            reverse("diagnostics:assessments:mine"),
        )
    if role == Role.UNIT_STAFF:
        context["organisation"] = user.unit
    return context


def _assigned(context, assignments, full_list_url):
    """The first enterprises assigned to the organisation that are still in the programme (declined,
    withdrawn and merged ones leave it), with their total and the full list's link when they are cut off."""
    assignments = assignments.filter(in_programme_q("enterprise"))
    rows = list(assignments[:ASSIGNMENTS_SHOWN])
    context["assignments"] = rows
    context["assignments_total"] = len(rows) if len(rows) < ASSIGNMENTS_SHOWN else assignments.count()
    context["assignments_url"] = full_list_url


@login_required
def home(request):
    """Each role's home page: what it is responsible for, with live counts from its scope."""
    return render(request, "core/home.html", home_context(request.user))
