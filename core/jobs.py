"""Background jobs with leases: the status row every long task runs under.

A service creates the job and enqueues its task on commit (``job_enqueue``); the task calls
``run_job`` which claims the row under a row lock, runs the work, and records the outcome.

* a finished job (done or failed) is never run again: a repeated delivery does nothing;
* a running job whose lease is still valid belongs to another worker: skipped;
* a running job whose lease has expired lost its worker: the new delivery takes it over.
"""

import logging
import socket
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import BackgroundJob

logger = logging.getLogger(__name__)


def job_create(*, kind, task_name, task_args=(), actor=None, message=""):
    """Create a pending job row. Call inside the transaction that creates its subject."""
    return BackgroundJob.objects.create(
        kind=kind, task_name=task_name, task_args=list(task_args), created_by=actor, message=message
    )


def job_enqueue(job):
    """Send the job's task once the surrounding transaction commits (a worker sees committed rows only)."""
    transaction.on_commit(lambda: job_send(job))


def job_send(job):
    """Send the job's task now (in-process when no broker is configured)."""
    current_app.tasks[job.task_name].apply_async(args=job.task_args)


def job_claim(job_id, *, lease_seconds=None):
    """Take the job for this worker, or return ``None`` if it must not run now."""
    lease = timedelta(seconds=lease_seconds or settings.PORTAL_JOB_LEASE_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == BackgroundJob.Status.RUNNING and job.lease_expires_at and job.lease_expires_at > now:
            return None
        if job.status == BackgroundJob.Status.RUNNING:
            logger.warning("Taking over job %s whose lease expired at %s", job.pk, job.lease_expires_at)
        job.status = BackgroundJob.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.lease_expires_at = now + lease
        job.worker = socket.gethostname()[:200]
        job.save(update_fields=["status", "attempts", "started_at", "lease_expires_at", "worker"])
        return job


def job_progress(job_id, *, progress, message=""):
    """Record progress (0–100) and extend the lease: a job that reports progress is alive."""
    BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.RUNNING).update(
        progress=max(0, min(100, int(progress))),
        message=str(message)[:255],
        lease_expires_at=timezone.now() + timedelta(seconds=settings.PORTAL_JOB_LEASE_SECONDS),
    )


def job_finish(job_id, *, result=None, message=""):
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE,
        progress=100,
        result=result,
        message=str(message)[:255],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )


def job_fail(job_id, *, error):
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.FAILED,
        error=str(error)[:5000],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )


def run_job(job_id, work):
    """Claim the job and run ``work(job)``; its return value becomes the job's result.

    Returns the job's final status, or ``None`` when the job was not claimed. An exception
    from ``work`` marks the job failed and is re-raised for Celery's log.
    """
    job = job_claim(job_id)
    if job is None:
        return None
    try:
        result = work(job)
    except Exception as exc:
        job_fail(job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    job_finish(job_id, result=result)
    return BackgroundJob.Status.DONE


def jobs_to_requeue(*, stale_pending_after=timedelta(minutes=10)):
    """Jobs whose task message may have been lost: running with an expired lease, or pending for long."""
    now = timezone.now()
    running = BackgroundJob.objects.filter(status=BackgroundJob.Status.RUNNING, lease_expires_at__lt=now)
    pending = BackgroundJob.objects.filter(
        status=BackgroundJob.Status.PENDING, created_at__lt=now - stale_pending_after
    )
    return running.union(pending)
