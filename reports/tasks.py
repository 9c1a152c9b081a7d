"""Report tasks: thin, ids in, a service does the work (docs/style.md habit 5). Services send them by name."""

from celery import shared_task

from .services import documents, snapshots


@shared_task(name="reports.tasks.compute_snapshot_task", ignore_result=True)
def compute_snapshot_task(snapshot_id):
    """Compute report snapshot ``snapshot_id`` and its PDF.

    Safe to run twice: a finished snapshot is skipped, a running one under a valid lease belongs to
    another worker, and one whose lease expired (its worker died) is taken over.
    """
    return snapshots.snapshot_compute(snapshot_id)


@shared_task(name="reports.tasks.render_document_task", ignore_result=True)
def render_document_task(job_id):
    """Render the document of background job ``job_id`` (an enterprise file, a project dossier, the
    ledger statement or an evidence pack) and store its file.

    Safe to run twice: the job's lease decides (a finished job is skipped, a running one under a
    valid lease belongs to another worker, an expired lease is taken over); a file already stored
    by an earlier delivery is kept.
    """
    return documents.document_render(job_id)


@shared_task(name="reports.tasks.nightly_snapshots_task", ignore_result=True)
def nightly_snapshots_task():
    """Nightly (beat, 02:00 Asia/Shanghai): a district-wide snapshot of every period that has begun,
    as of today. Safe to run twice: a period with today's nightly snapshot gets no second one."""
    return [str(snapshot.pk) for snapshot in snapshots.nightly_snapshots()]
