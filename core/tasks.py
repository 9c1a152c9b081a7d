"""Core tasks: the worker health check and the re-queueing of jobs that lost their worker."""

import socket

from celery import shared_task
from django.db import connection

from . import jobs


@shared_task(name="core.tasks.health_check_task")
def health_check_task(job_id):
    """Prove a round trip: broker -> worker -> database. Records the worker and database in the job."""

    def work(job):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            (one,) = cursor.fetchone()
        return {"worker": socket.gethostname(), "database": connection.vendor, "select": one}

    return jobs.run_job(job_id, work)


# ignore_result: beat must not wait on the result store when Redis is down (the count is only logged).
@shared_task(name="core.tasks.requeue_expired_jobs_task", ignore_result=True)
def requeue_expired_jobs_task():
    """Re-send the task of every job, and of every registered leased row (report snapshots), that lost
    its worker or its message (beat, every ``PORTAL_REQUEUE_EVERY_SECONDS``). Returns how many were sent."""
    return jobs.requeue_lost_work()["sent"]
