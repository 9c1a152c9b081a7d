"""Writes of the work lists. Every function takes the acting user, checks the role, validates with
``full_clean`` and records the change in the field-level history with that user as its author, all
in one transaction.

Dates are checked for sense: the programme runs 2024-10 → 2026-10, so a task's deadline before
2024-01-01 or after 2030-12-31 is a typing error, not a plan; a document's date of issue cannot be in
the future, nor before 1949.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.files import attachment_create
from core.history import save_with_history
from core.permissions import require
from core.services import whole_percent

from . import permissions
from .choices import TaskCategory, TaskStatus
from .models import PolicyDocument, WorkTask
from .selectors import POLICY_FILE_PURPOSE

#: The earliest and latest deadline a task of this programme can sensibly have.
EARLIEST_DEADLINE = datetime.date(2024, 1, 1)
LATEST_DEADLINE = datetime.date(2030, 12, 31)
EARLIEST_ISSUE = datetime.date(1949, 10, 1)

TASK_FIELDS = (
    "title",
    "target",
    "category",
    "source",
    "position",
    "responsible_departments",
    "unit",
    "starts_on",
    "deadline",
)
POLICY_FIELDS = (
    "number",
    "title",
    "issuer",
    "issued_on",
    "support",
    "window_opens",
    "window_closes",
    "effective_from",
    "effective_to",
    "repealed",
    "url",
    "note",
)
DATE_FIELDS = {"starts_on", "deadline", "issued_on", "window_opens", "window_closes", "effective_from", "effective_to"}
TEXT_FIELDS = {
    "title",
    "target",
    "source",
    "responsible_departments",
    "progress_note",
    "number",
    "issuer",
    "support",
    "url",
    "note",
}


def _date(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field=field) from exc


def _apply(record, facts, allowed):
    unknown = set(facts) - set(allowed)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    for field, value in facts.items():
        if field in TEXT_FIELDS:
            value = (value or "").strip()
        elif field in DATE_FIELDS:
            value = _date(value, field)
        setattr(record, field, value)


def _clean_save(record, actor):
    """Stamp who last changed the record, then validate and save it with its history."""
    record.updated_by = actor
    record.updated_at = timezone.now()
    return save_with_history(record, actor=actor)


# --- tasks ------------------------------------------------------------------------------------


def _check_task(task):
    if not task.title:
        raise DomainError("title_required", _("Enter the task."), field="title")
    if not task.target:
        raise DomainError("target_required", _("Say what the task is to achieve."), field="target")
    if task.deadline is None:
        raise DomainError("deadline_required", _("Enter the deadline."), field="deadline")
    if not (EARLIEST_DEADLINE <= task.deadline <= LATEST_DEADLINE):
        raise DomainError(
            "deadline_out_of_range",
            _("A deadline runs from {first} to {last}; {day} cannot be meant.").format(
                first=EARLIEST_DEADLINE.isoformat(), last=LATEST_DEADLINE.isoformat(), day=task.deadline.isoformat()
            ),
            field="deadline",
        )
    if task.starts_on and task.starts_on > task.deadline:
        raise DomainError("starts_after_deadline", _("The task cannot start after its deadline."), field="starts_on")
    if task.category == TaskCategory.KEY_TASK and not task.responsible_departments and task.unit_id is None:
        raise DomainError(
            "responsible_required",
            _("Name the responsible departments or the unit the task is assigned to."),
            field="responsible_departments",
        )


@transaction.atomic
def task_create(*, actor, title, target, deadline, **facts):
    """Add a task to the 任务清单 (district officials). It starts not started, at 0%."""
    require(permissions.can_manage_tasks(actor))
    task = WorkTask()
    _apply(task, {"title": title, "target": target, "deadline": deadline, **facts}, TASK_FIELDS)
    if "position" not in facts:
        last = WorkTask.objects.order_by("-position").values_list("position", flat=True).first()
        task.position = (last or 0) + 1
    _check_task(task)
    return _clean_save(task, actor)


@transaction.atomic
def task_update(*, actor, task, **facts):
    """Change what a task is: its title, target, responsibility, dates (district officials)."""
    require(permissions.can_manage_tasks(actor))
    task = WorkTask.objects.select_for_update().get(pk=task.pk)
    _apply(task, facts, TASK_FIELDS)
    _check_task(task)
    return _clean_save(task, actor)


@transaction.atomic
def task_progress_update(*, actor, task, status, percent=None, note=""):
    """Record how far a task has come (the district, or the staff of the unit it is assigned to).

    ``done`` means 100%; a task not started has 0%; one in progress lies in between (0–99), since
    100% of a task is the task done. The note says what was achieved or what blocks it.
    """
    task = WorkTask.objects.select_for_update().get(pk=task.pk)
    require(permissions.can_update_progress(actor, task))
    if status not in TaskStatus.values:
        raise DomainError("invalid_status", _("Choose not started, in progress or done."), field="status")
    if percent in (None, ""):
        percent = {TaskStatus.NOT_STARTED: 0, TaskStatus.DONE: 100}.get(status, task.percent)
    percent = whole_percent(
        percent, field="percent", code="invalid_percent", message=_("Completion is a whole number from 0 to 100.")
    )
    if status == TaskStatus.DONE and percent != 100:
        raise DomainError("done_not_complete", _("A task that is done is complete: set 100."), field="percent")
    if status == TaskStatus.NOT_STARTED and percent != 0:
        raise DomainError(
            "not_started_with_progress",
            _("A task that has not started has no progress yet: choose in progress."),
            field="status",
        )
    if status == TaskStatus.IN_PROGRESS and percent == 100:
        raise DomainError("in_progress_complete", _("At 100 the task is done: choose done."), field="status")
    note = (note or "").strip()
    if status != TaskStatus.NOT_STARTED and not note and not task.progress_note:
        raise DomainError("note_required", _("Say in a few words what has been done."), field="note")
    task.status = status
    task.percent = percent
    if note:
        task.progress_note = note
    return _clean_save(task, actor)


# --- policy documents -------------------------------------------------------------------------


def _check_policy(policy):
    if not policy.title:
        raise DomainError("title_required", _("Enter the document's title."), field="title")
    today = timezone.localdate()
    if policy.issued_on and policy.issued_on > today:
        raise DomainError("issued_in_future", _("A document cannot be issued in the future."), field="issued_on")
    if policy.issued_on and policy.issued_on < EARLIEST_ISSUE:
        raise DomainError(
            "issued_too_early",
            _("{day} is too early for a policy document of this programme.").format(day=policy.issued_on.isoformat()),
            field="issued_on",
        )
    if policy.window_closes and not policy.window_opens:
        raise DomainError(
            "window_opens_required", _("Enter the day the application window opens."), field="window_opens"
        )
    if policy.window_opens and policy.window_closes and policy.window_closes < policy.window_opens:
        raise DomainError(
            "window_closes_before_opening",
            _("The application window cannot close ({closes}) before it opens ({opens}).").format(
                closes=policy.window_closes.isoformat(), opens=policy.window_opens.isoformat()
            ),
            field="window_closes",
        )
    if policy.effective_from and policy.effective_to and policy.effective_to < policy.effective_from:
        raise DomainError("period_order", _("A document cannot stop applying before it starts."), field="effective_to")
    if policy.number:
        clash = PolicyDocument.objects.filter(number=policy.number).exclude(pk=policy.pk).first()
        if clash:
            raise DomainError(
                "number_taken",
                _("Document number {number} is already listed: {title}.").format(
                    number=policy.number, title=clash.title
                ),
                field="number",
            )


def _attach(actor, policy, upload):
    if upload:
        attachment_create(actor=actor, owner=policy, upload=upload, purpose=POLICY_FILE_PURPOSE)


@transaction.atomic
def policy_create(*, actor, title, file=None, **facts):
    """Add a document to the 政策清单 (district officials), with its file if one is given."""
    require(permissions.can_manage_policies(actor))
    policy = PolicyDocument()
    _apply(policy, {"title": title, **facts}, POLICY_FIELDS)
    _check_policy(policy)
    policy = _clean_save(policy, actor)
    _attach(actor, policy, file)
    return policy


@transaction.atomic
def policy_update(*, actor, policy, file=None, **facts):
    """Correct a document, mark it repealed, or attach a (new) copy of its file (district officials)."""
    require(permissions.can_manage_policies(actor))
    policy = PolicyDocument.objects.select_for_update().get(pk=policy.pk)
    _apply(policy, facts, POLICY_FIELDS)
    _check_policy(policy)
    policy = _clean_save(policy, actor)
    _attach(actor, policy, file)
    return policy
