"""Reads of the field-level audit history kept by django-simple-history for every domain model."""

import datetime
import heapq
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import registered_models

TYPE_LABELS = {"+": "created", "~": "changed", "-": "deleted"}


def audited_models():
    """``{"app_label.modelname": model}`` for every model with history, excluding m2m through tables."""
    table = {}
    for model in registered_models.values():
        if hasattr(model, "history") and not model._meta.auto_created:
            table[model._meta.label_lower] = model
    return dict(sorted(table.items(), key=lambda item: str(item[1]._meta.verbose_name)))


@dataclass
class HistoryEntry:
    """One historical version of one record, with what changed against the version before it."""

    at: datetime.datetime
    model_label: str
    model_name: str
    object_id: str
    object_repr: str
    change_type: str
    user: object
    reason: str
    changes: list = field(default_factory=list)

    @property
    def change_label(self):
        return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[self.change_type]


def _changes(record, model):
    previous = record.prev_record
    if previous is None or record.history_type != "~":
        return []
    delta = record.diff_against(previous)
    rows = []
    for change in delta.changes:
        try:
            label = model._meta.get_field(change.field).verbose_name
        except Exception:  # a field dropped since the version was written
            label = change.field
        rows.append((str(label), change.old, change.new))
    return rows


def history_entries(
    *, model_label=None, object_id=None, user_id=None, date_from=None, date_to=None, limit=100, offset=0
):
    """Historical versions across audited models, newest first, filtered; returns ``(entries, has_more)``.

    ``date_from``/``date_to`` are dates in the portal's time zone, inclusive.
    """
    models = audited_models()
    if model_label:
        models = {model_label: models[model_label]} if model_label in models else {}
    tz = timezone.get_current_timezone()
    wanted = offset + limit + 1
    streams = []
    for label, model in models.items():
        qs = model.history.select_related("history_user").order_by("-history_date", "-history_id")
        if object_id not in (None, ""):
            qs = qs.filter(**{model._meta.pk.attname: object_id})
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if date_from:
            qs = qs.filter(history_date__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz))
        if date_to:
            qs = qs.filter(
                history_date__lt=datetime.datetime.combine(
                    date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
                )
            )
        streams.append((record.history_date, label, record) for record in qs[:wanted])
    merged = heapq.merge(*streams, key=lambda item: item[0], reverse=True)
    page = []
    for index, (_at, label, record) in enumerate(merged):
        if index < offset:
            continue
        if len(page) == limit + 1:
            break
        page.append((label, record))
    has_more = len(page) > limit
    entries = []
    for label, record in page[:limit]:
        model = models[label]
        entries.append(
            HistoryEntry(
                at=record.history_date,
                model_label=label,
                model_name=str(model._meta.verbose_name),
                object_id=str(getattr(record, model._meta.pk.attname)),
                object_repr=str(record.instance),
                change_type=record.history_type,
                user=record.history_user,
                reason=record.history_change_reason or "",
                changes=_changes(record, model),
            )
        )
    return entries, has_more
