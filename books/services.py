"""Writes of the period close, and the guard every dated-event write calls (docs/architecture.md
"Period close").

The books are closed through the greatest ``through`` among the closures not reopened. A service that records,
changes or removes an event calls ``guard(old_date, new_date, record=obj)`` before it writes: a date on or before
that day is refused with ``Conflict("period_closed")`` unless an approved, unexpired exception covers the record.
An exception used is recorded on the exception, and the record's next history row says which exception let the
correction through (``mark_correction``).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.history import fit_reason, save_with_history
from core.permissions import require
from core.services import iso_date, not_in_future

from .models import Closure, ClosureException
from .permissions import can_close_books
from .selectors import closure_in_force

#: The attribute ``guard`` sets on a record corrected under an exception, read by ``mark_correction``.
CORRECTION_MARK = "_closure_exception"


def _reason(reason, field="reason"):
    text = str(reason or "").strip()
    if not text:
        raise DomainError("reason_required", _("Give the reason."), field=field)
    return text


def _four_eyes(actor, other):
    if other is not None and actor.pk == other.pk:
        raise Conflict("four_eyes", _("Another person must approve what you asked for."))


def lock_closures():
    """Hold the closures still while this transaction writes (PostgreSQL ``SHARE`` lock until commit).

    Writers share the lock; a close or reopening (which must insert or update a closure) waits for the writers
    in flight, and writers that come later wait for it and then read it. A close racing a write therefore cannot
    let the write through. SQLite runs one writer at a time and needs nothing."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Closure._meta.db_table} IN SHARE MODE")


def record_label(record):
    """``(model label, id)`` of ``record``, as exceptions name it: ``("funding.disbursement", "12")``."""
    return record._meta.label_lower, str(record.pk)


def record_from_label(record_model, record_id):
    """The record named by its model label and id; ``DomainError`` when there is none."""
    try:
        model = apps.get_model(str(record_model))
        record = model._default_manager.filter(pk=record_id).first()
    except (LookupError, ValueError, TypeError, ValidationError):
        record = None
    if record is None:
        raise DomainError("unknown_record", _("There is no such record."), field="record_id")
    return record


def _as_day(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return iso_date(value)


def covering_exception(record, *, lock=False):
    """The approved, unexpired exception that covers ``record``, or None."""
    if record is None or record.pk is None:
        return None
    model, pk = record_label(record)
    exceptions = ClosureException.objects.filter(
        record_model=model,
        record_id=pk,
        approved_at__isnull=False,
        rejected_at__isnull=True,
        valid_until__gte=timezone.now(),
    ).order_by("-approved_at", "-pk")
    if lock:
        exceptions = exceptions.select_for_update()
    return exceptions.first()


def guard(*dates, record=None, actor=None, field=None):
    """Refuse a write whose event dates (old or new values; None is ignored) lie in the closed period.

    Raises ``Conflict("period_closed")`` naming the closure unless an approved, unexpired exception covers
    ``record``; then the use is recorded on the exception, the record is marked so that its next history row
    says "Correction under exception #N", and the exception is returned. None when no date is closed. ``field``
    names the input at fault in the refusal, where the caller knows it."""
    days = [_as_day(d) for d in dates if d is not None]
    if not days:
        return None
    lock_closures()
    closure = closure_in_force()
    if closure is None or min(days) > closure.through:
        return None
    exception = covering_exception(record, lock=True)
    if exception is None:
        raise Conflict(
            "period_closed",
            _(
                "The books are closed through {day} (closure #{number}: {reason}). A record dated in a closed "
                "period changes only under an approved exception."
            ).format(day=closure.through.isoformat(), number=closure.pk, reason=closure.reason),
            field=field,
        )
    marked = getattr(record, CORRECTION_MARK, None)
    if marked is not None and marked.pk == exception.pk:
        return exception  # the same correction, checked a second time: one use
    exception.used_at = timezone.now()
    exception.used_by = actor if getattr(actor, "is_authenticated", False) else None
    exception.uses += 1
    save_with_history(
        exception, actor=actor, reason=_("Used to correct {record}").format(record=exception.description), clean=False
    )
    setattr(record, CORRECTION_MARK, exception)
    # The mark belongs to this write only: a later save of the same object is not a correction.
    transaction.on_commit(lambda: record.__dict__.pop(CORRECTION_MARK, None))
    return exception


def correction_note(exception):
    """The words a corrected record's history row starts with."""
    return _("Correction under exception #{number}").format(number=exception.pk)


def mark_correction(sender, instance, history_instance, **kwargs):
    """``pre_create_historical_record``: a record written under an exception says so in its history row."""
    exception = getattr(instance, CORRECTION_MARK, None)
    if exception is None:
        return
    note = correction_note(exception)
    given = history_instance.history_change_reason or ""
    text = f"{note}: {given}" if given and not given.startswith(note) else note
    history_instance.history_change_reason = fit_reason(sender, text)


@transaction.atomic
def close_books(*, actor, through, reason):
    """Close the books through ``through`` (a day not after today) for ``reason``. Returns the closure."""
    require(can_close_books(actor))
    through = iso_date(through, "through")
    if through is None:
        raise DomainError("required", _("Give the day the books are closed through."), field="through")
    not_in_future(through, "through")
    closure = Closure(through=through, reason=_reason(reason), closed_by=actor, closed_at=timezone.now())
    return save_with_history(closure, actor=actor, reason=closure.reason)


def _closure_for_update(closure):
    return Closure.objects.select_for_update().get(pk=closure.pk)


@transaction.atomic
def request_reopen(*, actor, closure, reason):
    """Ask to reopen ``closure`` for ``reason``; another person approves (``approve_reopen``)."""
    require(can_close_books(actor))
    closure = _closure_for_update(closure)
    if not closure.is_in_force:
        raise Conflict("already_reopened", _("This closure has been reopened already."))
    if closure.reopen_requested_at is not None:
        raise Conflict("reopen_pending", _("Reopening this closure has been asked for already."))
    closure.reopen_reason = _reason(reason)
    closure.reopen_requested_by = actor
    closure.reopen_requested_at = timezone.now()
    return save_with_history(closure, actor=actor, reason=closure.reopen_reason)


@transaction.atomic
def approve_reopen(*, actor, closure):
    """Reopen ``closure``: someone other than the person who asked approves. Its period opens again unless
    another closure in force covers it."""
    require(can_close_books(actor))
    closure = _closure_for_update(closure)
    if not closure.is_in_force:
        raise Conflict("already_reopened", _("This closure has been reopened already."))
    if closure.reopen_requested_at is None:
        raise Conflict("reopen_not_requested", _("Nobody has asked to reopen this closure."))
    _four_eyes(actor, closure.reopen_requested_by)
    closure.reopened_by = actor
    closure.reopened_at = timezone.now()
    return save_with_history(closure, actor=actor, reason=_("Reopened"))


@transaction.atomic
def request_exception(*, actor, record, reason):
    """Ask for leave to correct ``record`` in the closed period, for ``reason``. Returns the exception."""
    require(can_close_books(actor))
    closure = closure_in_force()
    if closure is None:
        raise Conflict("books_open", _("The books are not closed: no exception is needed."))
    model, pk = record_label(record)
    exception = ClosureException(
        closure=closure,
        record_model=model,
        record_id=pk,
        description=str(f"{record._meta.verbose_name} {record}")[:255],
        reason=_reason(reason),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    return save_with_history(exception, actor=actor, reason=exception.reason)


def _exception_for_update(exception):
    exception = ClosureException.objects.select_for_update().get(pk=exception.pk)
    if exception.approved_at is not None or exception.rejected_at is not None:
        raise Conflict("exception_decided", _("This exception has been decided already."))
    return exception


@transaction.atomic
def approve_exception(*, actor, exception):
    """Approve ``exception`` (someone other than the person who asked): it lets corrections of its record through
    for ``PORTAL_CLOSURE_EXCEPTION_DAYS`` days."""
    require(can_close_books(actor))
    exception = _exception_for_update(exception)
    _four_eyes(actor, exception.requested_by)
    now = timezone.now()
    exception.approved_by = actor
    exception.approved_at = now
    exception.valid_until = now + datetime.timedelta(days=settings.PORTAL_CLOSURE_EXCEPTION_DAYS)
    return save_with_history(exception, actor=actor, reason=_("Approved"))


@transaction.atomic
def reject_exception(*, actor, exception):
    """Refuse ``exception`` (someone other than the person who asked)."""
    require(can_close_books(actor))
    exception = _exception_for_update(exception)
    _four_eyes(actor, exception.requested_by)
    exception.rejected_by = actor
    exception.rejected_at = timezone.now()
    return save_with_history(exception, actor=actor, reason=_("Rejected"))
