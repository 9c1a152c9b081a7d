"""Funding tasks: thin, ids in, services do the work (HOUSE_STYLE.md habit 5)."""

from celery import shared_task

from core import jobs

from . import backfill
from .backfill_models import BackfillBatch


@shared_task(name="funding.tasks.backfill_task")
def backfill_task(job_id):
    """Process the history back-fill batch of background job ``job_id``.

    Safe to run twice: ``run_job`` skips a finished job and ``backfill_run`` returns a finished batch
    unchanged. A batch that ends failed fails its job too.
    """

    def work(job):
        batch_id = BackfillBatch.objects.filter(job_id=job.pk).values_list("pk", flat=True).first()
        if batch_id is None:
            raise backfill.BackfillFailed(f"no back-fill batch for job {job.pk}")
        batch = backfill.backfill_run(batch_id, job_id=job.pk)
        if batch.status == BackfillBatch.Status.FAILED:
            raise backfill.BackfillFailed(batch.error)
        return {"batch": str(batch.pk), "status": batch.status, "totals": batch.totals}

    return jobs.run_job(job_id, work)
