"""Registry tasks: thin, ids in, services do the work (HOUSE_STYLE.md habit 5)."""

from celery import shared_task

from core import jobs

from . import imports
from .models import ImportBatch


@shared_task(name="enterprises.tasks.roster_import_task")
def roster_import_task(job_id):
    """Process the roster import batch of background job ``job_id``.

    Safe to run twice: ``run_job`` skips a finished job, and ``roster_import_run`` returns a finished
    batch unchanged; a run taken over from a dead worker starts again (its transaction was rolled back).
    A batch that ends failed fails its job too.
    """

    def work(job):
        batch_id = ImportBatch.objects.filter(job_id=job.pk).values_list("pk", flat=True).first()
        if batch_id is None:
            raise imports.RosterImportFailed(f"no import batch for job {job.pk}")
        batch = imports.roster_import_run(batch_id, job_id=job.pk)
        if batch.status == ImportBatch.Status.FAILED:
            raise imports.RosterImportFailed(batch.error)
        return {"batch": str(batch.pk), "status": batch.status, "totals": batch.totals}

    return jobs.run_job(job_id, work)
