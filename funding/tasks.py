"""Funding tasks: thin, ids in, services do the work (docs/style.md habit 5)."""

from celery import shared_task

from .backfill import services as backfill


@shared_task(name="funding.tasks.backfill_task")
def backfill_task(job_id):
    """Process the history back-fill batch of background job ``job_id``.

    Safe to run twice: ``run_job`` skips a finished job and the batch run returns a finished batch
    unchanged. A batch that ends failed fails its job too (``BackfillFailed``).
    """
    return backfill.BACKFILL.run_job(job_id)
