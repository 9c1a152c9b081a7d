"""Report tasks: thin, ids in, the snapshot service does the work (HOUSE_STYLE.md habit 5)."""

from celery import shared_task

from . import snapshots


@shared_task(name="reports.tasks.compute_snapshot_task")
def compute_snapshot_task(snapshot_id):
    """Compute report snapshot ``snapshot_id`` and its PDF.

    Safe to run twice: a finished snapshot is skipped, a running one under a valid lease belongs to
    another worker, and one whose lease expired (its worker died) is taken over.
    """
    return snapshots.snapshot_compute(snapshot_id)
