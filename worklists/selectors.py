"""Reads of the work lists, and the counts of the six lists for the hub page."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from core.models import Attachment, OrgUnit

from .choices import TaskStatus
from .filters import PolicyFilter, TaskFilter
from .models import PolicyDocument, WorkTask

POLICY_FILE_PURPOSE = "policy_document"


def task_list(*, viewer):
    """Tasks the viewer may read (every signed-in role), with their unit and last editor loaded."""
    return WorkTask.objects.visible_to(viewer).select_related("unit", "updated_by")


def task_filtered(*, viewer, params):
    """The task list narrowed by the page's filters (shared by page, export and API)."""
    filterset = TaskFilter(params or None, queryset=task_list(viewer=viewer).order_by("position", "deadline", "pk"))
    return filterset, filterset.qs


def task_get(*, viewer, pk):
    """One task (``WorkTask.DoesNotExist`` when missing or not visible)."""
    return task_list(viewer=viewer).get(pk=pk)


def task_counts(*, queryset):
    """``{"total", "not_started", "in_progress", "done", "overdue"}`` over ``queryset``, in one query."""
    today = timezone.localdate()
    return queryset.order_by().aggregate(
        total=Count("pk"),
        not_started=Count("pk", filter=Q(status=TaskStatus.NOT_STARTED)),
        in_progress=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)),
    )


@dataclass
class TaskChange:
    """One version of a task: when, who, created or changed, and ``[(field label, old, new)]`` as people
    read them (choice labels, unit names, dates), leaving out the bookkeeping fields."""

    at: object
    user: object
    created: bool
    reason: str = ""
    changes: list = field(default_factory=list)


#: Fields whose change the version's author and time already say.
HISTORY_SKIP = {"updated_by", "updated_at"}


def _readable(task_field, value, units):
    if value in (None, ""):
        return "—"
    if task_field.choices:
        return str(dict(task_field.flatchoices).get(value, value))
    if task_field.name == "unit":
        return units.get(value, value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def task_history(*, task):
    """Every recorded version of the task, newest first, with who changed what (two queries)."""
    versions = list(task.history.select_related("history_user").order_by("history_date", "history_id"))
    unit_ids = {v.unit_id for v in versions if v.unit_id}
    units = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    entries = []
    previous = None
    for version in versions:
        entry = TaskChange(
            at=version.history_date,
            user=version.history_user,
            created=version.history_type == "+",
            reason=version.history_change_reason or "",
        )
        if previous is not None:
            for change in version.diff_against(previous, excluded_fields=HISTORY_SKIP).changes:
                name = "unit" if change.field in ("unit", "unit_id") else change.field
                task_field = WorkTask._meta.get_field(name)
                entry.changes.append(
                    (
                        str(task_field.verbose_name),
                        _readable(task_field, change.old, units),
                        _readable(task_field, change.new, units),
                    )
                )
        entries.append(entry)
        previous = version
    return entries[::-1]


def policy_list(*, viewer):
    return PolicyDocument.objects.visible_to(viewer).select_related("updated_by")


def policy_filtered(*, viewer, params):
    filterset = PolicyFilter(
        params or None,
        queryset=policy_list(viewer=viewer).order_by(F("issued_on").desc(nulls_last=True), "title", "pk"),
    )
    return filterset, filterset.qs


def policy_get(*, viewer, pk):
    return policy_list(viewer=viewer).get(pk=pk)


def policy_files(*, policies):
    """``{policy id: [attachments]}`` for the given documents, newest first (one query)."""
    from django.contrib.contenttypes.models import ContentType

    ids = [str(p.pk) for p in policies]
    files = {}
    attachments = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(PolicyDocument),
        object_id__in=ids,
        purpose=POLICY_FILE_PURPOSE,
    ).order_by("-uploaded_at")
    for attachment in attachments:
        files.setdefault(int(attachment.object_id), []).append(attachment)
    return files


def policy_counts(*, queryset):
    today = timezone.localdate()
    in_force = Q(repealed=False) & (Q(effective_from__isnull=True) | Q(effective_from__lte=today))
    in_force &= Q(effective_to__isnull=True) | Q(effective_to__gte=today)
    window = Q(window_opens__lte=today) & (Q(window_closes__isnull=True) | Q(window_closes__gte=today))
    return queryset.order_by().aggregate(
        total=Count("pk"), in_force=Count("pk", filter=in_force), window_open=Count("pk", filter=window)
    )
