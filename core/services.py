"""Core writes (download log, worker health checks) and the checks every app's services share
(the dates of events)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import jobs
from .errors import DomainError
from .models import DownloadLog


def iso_date(value, field="date"):
    """``value`` as a date: ISO text (YYYY-MM-DD) is read, anything else is returned as it is."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError("invalid_date", _("Dates are written YYYY-MM-DD."), field=field) from exc


def not_in_future(value, field="date"):
    """``value`` (a date or nothing) as it is; ``DomainError`` when it lies after today."""
    if value and value > timezone.localdate():
        raise DomainError("date_in_future", _("The date cannot be in the future."), field=field)
    return value


def event_day(value, field="date"):
    """The day an event happened: today when not given; never in the future."""
    if value is None:
        return timezone.localdate()
    return not_in_future(value, field)


def client_address(request):
    """The client's address, for logs and log-in throttling.

    Behind ``PORTAL_TRUSTED_PROXY_COUNT`` trusted proxies, it is that many entries from the
    right of X-Forwarded-For (entries further left are whatever the client claimed); with no
    trusted proxy it is REMOTE_ADDR, and X-Forwarded-For is ignored.
    """
    trusted = settings.PORTAL_TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR") or None


def whole_percent(value, *, field, code, message):
    """``value`` as a whole number from 0 to 100; anything else is ``DomainError(code, message)``."""
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(code, message, field=field) from exc
    if not 0 <= number <= 100:
        raise DomainError(code, message, field=field)
    return number


def download_log(*, actor, kind, description, path="", ip_address=None, row_count=None):
    """Record that ``actor`` downloaded or exported something. Every download and export calls this."""
    return DownloadLog.objects.create(
        user=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        description=str(description)[:255],
        path=path[:500],
        ip_address=ip_address,
        row_count=row_count,
    )


@transaction.atomic
def health_check_request(*, actor=None):
    """Create a health-check job and enqueue its task on commit. Returns the job."""
    job = jobs.job_create(kind="health_check", task_name="core.tasks.health_check_task", actor=actor)
    job.task_args = [str(job.pk)]
    job.save(update_fields=["task_args"])
    jobs.job_enqueue(job)
    return job
