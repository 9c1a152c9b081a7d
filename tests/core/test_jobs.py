"""Background jobs: a real worker round trip over Redis, and the lease that lets a job be taken over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import jobs
from core.models import BackgroundJob
from core.services import health_check_request
from tests.helpers import wait_until_finished


@pytest.mark.worker
def test_health_check_round_trip_through_a_real_worker_on_redis(celery_worker, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    job = health_check_request()
    job = wait_until_finished(job)
    assert job.status == BackgroundJob.Status.DONE
    assert job.result["database"] == "postgresql"
    assert job.result["select"] == 1
    assert job.attempts == 1


def make_job(**fields):
    return BackgroundJob.objects.create(kind="test", task_name="core.tasks.health_check_task", **fields)


def test_a_finished_job_is_never_run_again(db):
    job = make_job(status=BackgroundJob.Status.DONE)
    assert jobs.job_claim(job.pk) is None
    assert jobs.run_job(job.pk, lambda j: pytest.fail("must not run")) is None


def test_a_running_job_with_a_valid_lease_is_left_to_its_worker(db):
    job = make_job(status=BackgroundJob.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5))
    assert jobs.job_claim(job.pk) is None


def test_a_running_job_whose_lease_expired_is_taken_over(db):
    job = make_job(
        status=BackgroundJob.Status.RUNNING, attempts=1, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert jobs.run_job(job.pk, lambda j: {"ok": True}) == BackgroundJob.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 2 and job.result == {"ok": True} and job.lease_expires_at is None


def test_a_failing_job_is_marked_failed_with_its_error(db):
    job = make_job()

    def boom(_job):
        raise ValueError("broken roster")

    with pytest.raises(ValueError):
        jobs.run_job(job.pk, boom)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and "broken roster" in job.error


def test_jobs_that_lost_their_worker_or_message_are_found_for_requeueing(db):
    lost = make_job(status=BackgroundJob.Status.RUNNING, lease_expires_at=timezone.now() - timedelta(minutes=1))
    stale = make_job()
    BackgroundJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=1))
    fresh = make_job()
    alive = make_job(status=BackgroundJob.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5))
    found = {j.pk for j in jobs.jobs_to_requeue()}
    assert lost.pk in found and stale.pk in found
    assert fresh.pk not in found and alive.pk not in found


def test_progress_extends_the_lease(db):
    job = make_job(status=BackgroundJob.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(seconds=5))
    jobs.job_progress(job.pk, progress=40, message="第 2000 行")
    job.refresh_from_db()
    assert job.progress == 40
    assert job.lease_expires_at > timezone.now() + timedelta(minutes=1)
