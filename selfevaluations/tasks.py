"""Self-evaluation tasks: thin, ids in, a service does the work. The service sends them by name."""

from celery import shared_task

from . import services


@shared_task(name="selfevaluations.tasks.build_selfevaluation_task", ignore_result=True)
def build_selfevaluation_task(evaluation_id):
    """Build version ``evaluation_id`` (its snapshot, figures, Word document and PDF). Safe to run twice."""
    return services.selfevaluation_build(evaluation_id)
