"""Background jobs with leases: the status row every long task runs under.

A service creates the job and enqueues its task on commit (``job_enqueue``); the task calls
``run_job`` which claims the row under a row lock, runs the work, and records the outcome.

* a finished job (done or failed) is never run again: a repeated delivery does nothing;
* a running job whose lease is still valid belongs to another worker: skipped;
* a running job whose lease has expired lost its worker: the new delivery takes it over;
* a job whose message could not be sent (broker down) stays pending: ``requeue_lost_work`` (beat)
  sends it again, as it does for running jobs whose lease expired.
"""

import logging
import socket
import time
from datetime import timedelta

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from . import registry
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
    """Send the job's task now (in-process when no broker is configured).

    Returns whether the broker took the message. When it cannot be reached (Redis down) this does
    not raise, so the request that created the job still answers: the job stays pending, and
    ``requeue_expired_jobs_task`` sends it again once it is stale (``PORTAL_JOB_STALE_PENDING_SECONDS``).
    """
    return send_task(job.task_name, job.task_args)


#: After a failed publish this process leaves the broker alone for this long: the work stays pending for
#: the requeue task, and a Redis that hangs (rather than refusing connections) costs one request its
#: socket timeouts instead of costing every request them.
BROKER_RETRY_AFTER_SECONDS = 10
_broker = {"retry_at": 0.0}


def send_task(task_name, args):
    """Publish ``task_name(*args)``; ``False`` (logged) when the broker cannot be reached.

    Celery's result store is not used: the job row (or the snapshot row) is the result, and the
    sender must not wait on Redis for a result subscription. Publishing retries once
    (``CELERY_TASK_PUBLISH_RETRY_POLICY``: a pooled connection may be stale after a Redis restart)
    and then gives up.
    """
    args = list(args)
    if time.monotonic() < _broker["retry_at"]:
        logger.warning("Broker unreachable a moment ago, %s%s left pending for the requeue task", task_name, args)
        return False
    try:
        current_app.tasks[task_name].apply_async(args=args, ignore_result=True)
    except KombuOperationalError as exc:
        _broker["retry_at"] = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        logger.warning("Broker unreachable, %s%s left pending for the requeue task: %s", task_name, args, exc)
        return False
    return True


def claim_leased(model, pk, *, label, lease_seconds=None, **fields):
    """Take the row ``pk`` of a leased model for this worker, or return ``None`` if it must not run now.

    ``model`` has ``status`` (its ``Status`` with ``RUNNING``), ``is_finished``, ``attempts``,
    ``started_at`` and ``lease_expires_at``. A finished row, or one running under another worker's
    valid lease, is left alone; an expired lease is taken over (and logged, naming the ``label``).
    ``fields`` are set on the claimed row as well."""
    lease = timedelta(seconds=lease_seconds or settings.PORTAL_JOB_LEASE_SECONDS)
    now = timezone.now()
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.is_finished:
            return None
        if row.status == model.Status.RUNNING:
            if row.lease_expires_at and row.lease_expires_at > now:
                return None
            logger.warning("Taking over %s %s whose lease expired at %s", label, row.pk, row.lease_expires_at)
        row.status = model.Status.RUNNING
        row.attempts += 1
        row.started_at = row.started_at or now
        row.lease_expires_at = now + lease
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=["status", "attempts", "started_at", "lease_expires_at", *fields])
        return row


def job_claim(job_id, *, lease_seconds=None):
    """Take the job for this worker, or return ``None`` if it must not run now."""
    return claim_leased(
        BackgroundJob, job_id, label="job", lease_seconds=lease_seconds, worker=socket.gethostname()[:200]
    )


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


def _lost(model, created_field, stale_pending_after):
    """Rows of a leased model whose task message may have been lost: running with an expired lease, or
    pending for longer than ``stale_pending_after`` (default ``PORTAL_JOB_STALE_PENDING_SECONDS``)."""
    if stale_pending_after is None:
        stale_pending_after = timedelta(seconds=settings.PORTAL_JOB_STALE_PENDING_SECONDS)
    now = timezone.now()
    running = model.objects.filter(status="running", lease_expires_at__lt=now)
    pending = model.objects.filter(status="pending", **{f"{created_field}__lt": now - stale_pending_after})
    return running.union(pending)


def jobs_to_requeue(*, stale_pending_after=None):
    """Jobs whose task message may have been lost: running with an expired lease, or pending for long."""
    return _lost(BackgroundJob, "created_at", stale_pending_after)


def requeue_lost_work(*, stale_pending_after=None):
    """Re-send the task of every job, and of every row of a registered leased model, that lost its worker
    or its message. A repeated delivery is harmless: the claim skips finished work and work under a
    valid lease. Returns ``{"sent": n, "unsent": n}`` (unsent: the broker is still unreachable)."""
    counts = {"sent": 0, "unsent": 0}

    def tally(sent):
        counts["sent" if sent else "unsent"] += 1

    for job in jobs_to_requeue(stale_pending_after=stale_pending_after):
        tally(job_send(job))
    for label, leased in registry.leased_models.items():
        task_name, created_field = leased.task_name, leased.created_field
        model = apps.get_model(label)
        for pk in _lost(model, created_field, stale_pending_after).values_list("pk", flat=True):
            tally(send_task(task_name, [str(pk)]))
    if counts["sent"] or counts["unsent"]:
        logger.info("Requeued lost work: %s", counts)
    return counts
