"""Thin Celery tasks of the data-quality centre."""

from celery import shared_task

from core import jobs

from . import services


@shared_task(name="dataquality.tasks.refresh_findings_task")
def refresh_findings_task(job_id=None):
    """Refresh the heavier findings (near-duplicate names, outliers) and keep each unit's score. From beat
    (nightly, no job) or from the centre's button (under the job's lease; a repeated delivery of a finished
    job does nothing). A second refresh replaces the stored findings with the same ones."""
    if job_id is None:
        run = services.findings_refresh()
        return {"run": run.pk}

    def work(job):
        run = services.findings_refresh()
        return {"run": run.pk, "timings": run.timings, "found": run.found}

    return jobs.run_job(job_id, work)
