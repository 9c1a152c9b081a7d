"""Dossier tasks: thin, ids in, a service does the work (docs/style.md habit 5). The service sends them by name."""

from celery import shared_task

from . import services


@shared_task(name="dossiers.tasks.build_dossier_task", ignore_result=True)
def build_dossier_task(dossier_id):
    """Build the zip of dossier ``dossier_id``.

    Safe to run twice: a finished dossier is skipped, a running one under a valid lease belongs to another
    worker, and one whose lease expired (its worker died) is taken over.
    """
    return services.dossier_build(dossier_id)
