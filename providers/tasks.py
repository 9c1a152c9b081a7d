"""Thin Celery tasks of the providers app: ids in, a service call, idempotent."""

from celery import shared_task

from core import jobs

from . import services


@shared_task(name="providers.tasks.compute_scorecards_task")
def compute_scorecards_task(job_id, period):
    """Recompute every provider's scorecard for ``period`` under the job's lease (the district's
    "recompute" button). A repeated delivery of a finished job does nothing; recomputing twice
    gives the same cards."""

    def work(job):
        cards = services.scorecard_compute(actor=job.created_by, period=period)
        return {"period": period, "cards": len(cards)}

    return jobs.run_job(job_id, work)
