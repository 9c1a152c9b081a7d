"""Pages of the work lists: the 六张工作清单 hub, the 任务清单 (list, form, progress, history) and the
政策清单 (list, form), with their xlsx downloads.

Every signed-in role reads; district officials and admins edit; a unit's staff record the progress of
the tasks assigned to their unit. A refused role gets a 403 page that says why. Views only translate
HTTP: the services decide.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError

from . import permissions, selectors, services
from .exports import export_policies, export_tasks
from .forms import PolicyForm, ProgressForm, TaskForm
from .hub import work_lists
from .models import PolicyDocument, WorkTask

PAGE_SIZE = 50


class Refused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _allow(result):
    allowed, reason = result
    if not allowed:
        raise Refused(reason)


def refusing(view):
    """Answer a refused action with a 403 page that gives the reason (the portal's 403 page gives none)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused as exc:
            return render(request, "worklists/forbidden.html", {"reason": exc.reason}, status=403)

    return login_required(wrapped)


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the hub ----------------------------------------------------------------------------------


@refusing
def hub(request):
    """The six work lists of the plan: what each holds, how many rows the viewer sees, its download."""
    _allow(permissions.can_read(request.user))
    return render(request, "worklists/hub.html", {"lists": work_lists(viewer=request.user)})


# --- tasks ------------------------------------------------------------------------------------


def _task(request, pk):
    try:
        return selectors.task_get(viewer=request.user, pk=pk)
    except WorkTask.DoesNotExist as exc:
        raise Http404 from exc


@refusing
def task_list_page(request):
    _allow(permissions.can_read(request.user))
    filterset, queryset = selectors.task_filtered(viewer=request.user, params=request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "worklists/task_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": _query(request),
            "counts": selectors.task_counts(queryset=selectors.task_list(viewer=user)),
            "can_manage": permissions.can_manage_tasks(user)[0],
            "progress_ids": {t.pk for t in page if permissions.can_update_progress(user, t)[0]},
        },
    )


@refusing
def task_export(request):
    _allow(permissions.can_read(request.user))
    _filterset, queryset = selectors.task_filtered(viewer=request.user, params=request.GET)
    return export_tasks(request, queryset)


@refusing
def task_detail(request, pk):
    """One task: what it is, where it stands, and every change made to it (who, when, what)."""
    task = _task(request, pk)
    return render(
        request,
        "worklists/task_detail.html",
        {
            "task": task,
            "history": selectors.task_history(task=task),
            "can_manage": permissions.can_manage_tasks(request.user)[0],
            "can_progress": permissions.can_update_progress(request.user, task)[0],
        },
    )


def _task_initial(task):
    return {name: getattr(task, name) for name in TaskForm.base_fields}


@refusing
def task_form(request, pk=None):
    """Add a task, or change what a task is (district officials)."""
    _allow(permissions.can_manage_tasks(request.user))
    task = _task(request, pk) if pk else None
    form = TaskForm(request.POST or None, initial=_task_initial(task) if task else None)
    if request.method == "POST" and form.is_valid():
        facts = dict(form.cleaned_data)
        try:
            if task:
                saved = services.task_update(actor=request.user, task=task, **facts)
            else:
                saved = services.task_create(actor=request.user, **facts)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect("worklists:task_detail", pk=saved.pk)
    return render(request, "worklists/task_form.html", {"form": form, "task": task})


@refusing
def task_progress(request, pk):
    """Record how far a task has come (the district; a unit's staff on the tasks assigned to their unit)."""
    task = _task(request, pk)
    _allow(permissions.can_update_progress(request.user, task))
    initial = {"status": task.status, "percent": task.percent}
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_progress_update(
                actor=request.user,
                task=task,
                status=form.cleaned_data["status"],
                percent=form.cleaned_data["percent"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The progress has been recorded."))
            return redirect("worklists:task_detail", pk=task.pk)
    return render(request, "worklists/task_progress.html", {"form": form, "task": task})


# --- policy documents -------------------------------------------------------------------------


def _policy(request, pk):
    try:
        return selectors.policy_get(viewer=request.user, pk=pk)
    except PolicyDocument.DoesNotExist as exc:
        raise Http404 from exc


@refusing
def policy_list_page(request):
    _allow(permissions.can_read(request.user))
    filterset, queryset = selectors.policy_filtered(viewer=request.user, params=request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    files = selectors.policy_files(policies=list(page))
    for policy in page:
        policy.attached = files.get(policy.pk, [])
    return render(
        request,
        "worklists/policy_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": _query(request),
            "counts": selectors.policy_counts(queryset=selectors.policy_list(viewer=request.user)),
            "can_manage": permissions.can_manage_policies(request.user)[0],
        },
    )


@refusing
def policy_export(request):
    _allow(permissions.can_read(request.user))
    _filterset, queryset = selectors.policy_filtered(viewer=request.user, params=request.GET)
    return export_policies(request, queryset)


@refusing
def policy_form(request, pk=None):
    """Add a policy document or correct one, with its file (district officials)."""
    _allow(permissions.can_manage_policies(request.user))
    policy = _policy(request, pk) if pk else None
    initial = {name: getattr(policy, name) for name in PolicyForm.FACT_FIELDS} if policy else None
    form = PolicyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if policy:
                services.policy_update(
                    actor=request.user, policy=policy, file=form.cleaned_data.get("file"), **form.facts()
                )
            else:
                services.policy_create(actor=request.user, file=form.cleaned_data.get("file"), **form.facts())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The policy document has been saved."))
            return redirect(reverse("worklists:policy_list"))
    files = selectors.policy_files(policies=[policy]).get(policy.pk, []) if policy else []
    return render(request, "worklists/policy_form.html", {"form": form, "policy": policy, "files": files})
