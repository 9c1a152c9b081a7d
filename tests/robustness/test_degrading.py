"""The pieces the fault tests rely on, each on its own: the cache that outlives Redis and the requeue that
covers report snapshots (fast tests, no throwaway stack; publishing to a stopped Redis is proven by
test_faults.py against real processes)."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from core import jobs
from core.models import BackgroundJob
from reports.models import ReportingPeriod, ReportSnapshot
from songjiang_pilot.cache import ResilientRedisCache

from .stack import free_port


@pytest.fixture
def dead_redis_cache():
    """The portal's cache backend pointed at a port nothing listens on."""
    return ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"KEY_PREFIX": "sjp-test", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def counting_failures(cache, monkeypatch):
    """How many times the cache found Redis unreachable (each is one attempt that waited on Redis)."""
    failures = []
    unreachable = cache._unreachable
    monkeypatch.setattr(cache, "_unreachable", lambda exc: (failures.append(exc), unreachable(exc)))
    return failures


def test_the_cache_serves_from_process_memory_while_redis_is_unreachable(dead_redis_cache, monkeypatch):
    cache = dead_redis_cache
    failures = counting_failures(cache, monkeypatch)
    assert cache.get("missing", "default") == "default"
    assert cache.add("login:fail:x", 1, 60) is True
    assert cache.add("login:fail:x", 1, 60) is False
    assert cache.incr("login:fail:x") == 2
    cache.set("login:locked:x", True, 60)
    assert cache.get_many(["login:fail:x", "login:locked:x"]) == {"login:fail:x": 2, "login:locked:x": True}
    cache.delete("login:fail:x")
    assert cache.get("login:fail:x") is None
    with pytest.raises(ValueError):
        cache.incr("never-set")  # the same contract as Redis: the throttle relies on it
    # Redis was asked once; every call after the refusal was answered from memory, never waited on Redis.
    assert len(failures) == 1, failures


def test_a_hung_redis_costs_one_socket_timeout_then_the_cache_stops_asking_it_for_a_while(monkeypatch):
    with socket.socket() as black_hole:  # accepts connections (the backlog) and never answers, like a frozen Redis
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(16)
        cache = ResilientRedisCache(
            f"redis://127.0.0.1:{black_hole.getsockname()[1]}/0",
            {"KEY_PREFIX": "sjp-test", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
        )
        failures = counting_failures(cache, monkeypatch)
        assert cache.get("login:fail:y", 0) == 0
        assert len(failures) == 1  # the first call waited for the socket timeout
        for _ in range(20):
            cache.add("login:fail:y", 0, 60)
            cache.incr("login:fail:y")
        assert cache.get("login:fail:y") == 20
    # The 41 calls after it did not ask the hung Redis again (each would have waited and failed).
    assert len(failures) == 1, failures


def test_log_in_throttling_still_locks_out_a_guesser_while_redis_is_down(dead_redis_cache, monkeypatch, settings):
    from accounts import throttle

    monkeypatch.setattr(throttle, "cache", dead_redis_cache)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert not throttle.is_locked("someone", "10.0.0.1")
        throttle.record_failure("someone", "10.0.0.1")
    assert throttle.is_locked("someone", "10.0.0.1")
    assert not throttle.is_locked("someone", "10.0.0.2")
    throttle.unlock("someone")
    assert not throttle.is_locked("someone", "10.0.0.1")


def test_the_requeue_covers_lost_snapshots_and_jobs_but_not_fresh_or_finished_ones(db, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "send_task", lambda name, args: sent.append((name, list(args))) or True)
    period = ReportingPeriod.objects.get(code="2026")
    old = timezone.now() - timedelta(hours=1)

    def snapshot(**fields):
        created = ReportSnapshot.objects.create(period=period, as_of="2026-06-30", **fields)
        ReportSnapshot.objects.filter(pk=created.pk).update(requested_at=old)
        return created

    stale = snapshot()  # its message never reached the broker
    dead = snapshot(status="running", lease_expires_at=timezone.now() - timedelta(seconds=1))
    snapshot(status="running", lease_expires_at=timezone.now() + timedelta(minutes=5))  # alive
    snapshot(status="done")
    ReportSnapshot.objects.create(period=period, as_of="2026-06-30")  # just requested
    job = jobs.job_create(kind="test", task_name="core.tasks.health_check_task", task_args=["x"])
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=old)

    assert jobs.requeue_lost_work() == {"sent": 3, "unsent": 0}
    assert sorted(sent) == sorted(
        [
            ("core.tasks.health_check_task", ["x"]),
            ("reports.tasks.compute_snapshot_task", [str(stale.pk)]),
            ("reports.tasks.compute_snapshot_task", [str(dead.pk)]),
        ]
    )
