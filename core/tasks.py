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


@shared_task(name="core.tasks.requeue_expired_jobs_task")
def requeue_expired_jobs_task():
    """Re-send the task of every job that lost its worker or its message (beat, every 5 minutes)."""
    count = 0
    for job in jobs.jobs_to_requeue():
        jobs.job_send(job)
        count += 1
    return count
