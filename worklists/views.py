"""Pages of the work lists: the 六张工作清单 hub, the 任务清单 (list, form, progress, history) and the
政策清单 (list, form), with their xlsx downloads.

Every signed-in role reads; district officials and admins edit; a unit's staff record the progress of
the tasks assigned to their unit. A refused role gets a 403 page that says why. Views only translate
HTTP: the services decide.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.pages import found_or_404, list_context, saved_redirect

from . import permissions, selectors, services
from .exports import export_policies, export_tasks
from .forms import PolicyForm, ProgressForm, TaskForm
from .hub import work_lists


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


# --- the hub ----------------------------------------------------------------------------------


@refusing
def hub(request):
    """The six work lists of the plan: what each holds, how many rows the viewer sees, its download."""
    _allow(permissions.can_read(request.user))
    return render(request, "worklists/hub.html", {"lists": work_lists(viewer=request.user)})


# --- tasks ------------------------------------------------------------------------------------


def _task(request, pk):
    return found_or_404(selectors.task_get, viewer=request.user, pk=pk)


@refusing
def task_list_page(request):
    _allow(permissions.can_read(request.user))
    filterset, queryset = selectors.task_filtered(viewer=request.user, params=request.GET)
    context = list_context(request, filterset, queryset)
    user = request.user
    return render(
        request,
        "worklists/task_list.html",
        {
            **context,
            "counts": selectors.task_counts(queryset=selectors.task_list(viewer=user)),
            "can_manage": permissions.can_manage_tasks(user)[0],
            "progress_ids": {t.pk for t in context["page_obj"] if permissions.can_update_progress(user, t)[0]},
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

    def save():
        if task:
            return services.task_update(actor=request.user, task=task, **form.cleaned_data)
        return services.task_create(actor=request.user, **form.cleaned_data)

    if done := saved_redirect(
        request,
        form,
        save,
        message=_("The task has been saved."),
        then=lambda saved: reverse("worklists:task_detail", args=[saved.pk]),
    ):
        return done
    return render(request, "worklists/task_form.html", {"form": form, "task": task})


@refusing
def task_progress(request, pk):
    """Record how far a task has come (the district; a unit's staff on the tasks assigned to their unit)."""
    task = _task(request, pk)
    _allow(permissions.can_update_progress(request.user, task))
    initial = {"status": task.status, "percent": task.percent}
    form = ProgressForm(request.POST or None, initial=initial)
    if done := saved_redirect(
        request,
        form,
        lambda: services.task_progress_update(
            actor=request.user,
            task=task,
            status=form.cleaned_data["status"],
            percent=form.cleaned_data["percent"],
            note=form.cleaned_data["note"],
        ),
        message=_("The progress has been recorded."),
        then=reverse("worklists:task_detail", args=[task.pk]),
    ):
        return done
    return render(request, "worklists/task_progress.html", {"form": form, "task": task})


# --- policy documents -------------------------------------------------------------------------


def _policy(request, pk):
    return found_or_404(selectors.policy_get, viewer=request.user, pk=pk)


@refusing
def policy_list_page(request):
    _allow(permissions.can_read(request.user))
    filterset, queryset = selectors.policy_filtered(viewer=request.user, params=request.GET)
    context = list_context(request, filterset, queryset)
    files = selectors.policy_files(policies=list(context["page_obj"]))
    for policy in context["page_obj"]:
        policy.attached = files.get(policy.pk, [])
    return render(
        request,
        "worklists/policy_list.html",
        {
            **context,
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

    def save():
        if policy:
            return services.policy_update(
                actor=request.user, policy=policy, file=form.cleaned_data.get("file"), **form.facts()
            )
        return services.policy_create(actor=request.user, file=form.cleaned_data.get("file"), **form.facts())

    if done := saved_redirect(
        request, form, save, message=_("The policy document has been saved."), then="worklists:policy_list"
    ):
        return done
    files = selectors.policy_files(policies=[policy]).get(policy.pk, []) if policy else []
    return render(request, "worklists/policy_form.html", {"form": form, "policy": policy, "files": files})
