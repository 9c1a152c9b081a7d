"""Core writes: download log, worker health checks."""

from django.conf import settings
from django.db import transaction

from . import jobs
from .models import DownloadLog


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
