"""Registry tasks: thin, ids in, services do the work (docs/style.md habit 5)."""

from celery import shared_task

from . import imports


@shared_task(name="enterprises.tasks.roster_import_task")
def roster_import_task(job_id):
    """Process the roster import batch of background job ``job_id``.

    Safe to run twice: ``run_job`` skips a finished job, and the batch run returns a finished batch
    unchanged; a run taken over from a dead worker starts again (its transaction was rolled back).
    A batch that ends failed fails its job too (``RosterImportFailed``).
    """
    return imports.ROSTER_IMPORT.run_job(job_id)
