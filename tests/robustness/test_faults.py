"""Faults survived, on real services (issue 8): Redis stopped, Redis frozen, the Celery worker killed in
the middle of a report, PostgreSQL restarted under the running web, a disbursement interrupted in the
middle of its transaction (its database backend terminated; its web process SIGKILLed). Each test drives the portal over HTTP and checks the outcome in its database; the stack
(stack.py) is a throwaway PostgreSQL cluster, redis-server, gunicorn, worker and beat of its own.
"""

import os
import re
import signal
import threading
import time
from decimal import Decimal

import psycopg2
import pytest
import requests

from tests.factories import DEFAULT_PASSWORD

from .stack import LEASE_SECONDS, REQUEUE_EVERY_SECONDS, STALE_PENDING_SECONDS, wait_for

pytestmark = pytest.mark.faults

#: A request that takes longer than this while a service is down counts as a hang.
#: A guard against a hang, not a speed limit: a request that has not answered in this time never will.
#: How fast the portal answers is measured by bench/, not asserted here.
HANG_GUARD = 120
PDF = {"Accept": "application/pdf"}


def fetch(call, *args, **kwargs):
    """``call`` (a requests method) with the hang guard as its timeout."""
    return call(*args, timeout=HANG_GUARD, **kwargs)


def request_snapshot(stack, api, period, as_of):
    response = fetch(api.post, stack.url("/api/v1/reports/"), json={"period": period, "as_of": as_of})
    assert response.status_code == 202, response.text
    return response.json()


# --- 1. Redis stopped ------------------------------------------------------------------------------


def test_redis_stopped_pages_and_api_keep_serving_and_the_queued_report_is_produced_when_it_returns(stack, tokens):
    district = stack.api(tokens["district"])
    stack.redis.stop()
    try:
        # Log-in (its failure counters live in the Redis cache) and the pages a district official opens.
        session, answer = stack.log_in("district", DEFAULT_PASSWORD)
        assert answer.status_code == 302 and answer.headers["Location"] == "/", answer.status_code
        for path in ("/", "/enterprises/", "/reports/indicators/"):
            page = fetch(session.get, stack.url(path), allow_redirects=False)
            assert page.status_code == 200, (path, page.status_code)
        listing = fetch(district.get, stack.url("/api/v1/enterprises/"))
        assert listing.status_code == 200 and listing.json()["count"] >= 500

        # The token endpoint still exchanges a password, and still throttles guessing: failures are
        # counted in each web process's memory meanwhile (two processes: the 6th failure in one is refused).
        assert stack.token("finance", DEFAULT_PASSWORD)
        wrong = [
            requests.post(
                stack.url("/api/v1/auth/token/"), json={"username": "auditor", "password": "not-it"}, timeout=30
            )
            for _ in range(12)
        ]
        assert {r.status_code for r in wrong} <= {400, 429}
        assert wrong[0].json()["code"] == "login_failed"
        assert 429 in {r.status_code for r in wrong}

        # A report request answers at once: accepted, queued (pending), not a 500 and not a hang.
        snapshot = request_snapshot(stack, district, "2026", "2026-06-30")
        assert snapshot["status"] == "pending"
        # It stays queued while Redis is down, through several runs of beat's requeue schedule.
        time.sleep(STALE_PENDING_SECONDS + 2 * REQUEUE_EVERY_SECONDS)
        assert stack.snapshot(snapshot["id"])["status"] == "pending"
        detail = district.get(stack.url(f"/api/v1/reports/{snapshot['id']}/"), timeout=30)
        assert detail.status_code == 200 and detail.json()["status"] == "pending"
        early = district.get(stack.url(f"/api/v1/reports/{snapshot['id']}/pdf/"), headers=PDF, timeout=30)
        assert early.status_code == 409 and early.json()["code"] == "snapshot_not_done"
    finally:
        stack.redis.start()

    # Redis is back (empty: the message was never sent): beat's requeue task sends it, the worker runs it.
    done = stack.wait_snapshot(snapshot["id"], "done", timeout=90)
    assert done["attempts"] == 1 and done["pdf"]
    pdf = district.get(stack.url(f"/api/v1/reports/{snapshot['id']}/pdf/"), headers=PDF, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "left pending for the requeue task" in stack.web.log_text()
    assert "Requeued lost work" in stack.worker.log_text()
    # The cache is Redis again: a failure counted now lands in Redis.
    requests.post(stack.url("/api/v1/auth/token/"), json={"username": "evaluator1", "password": "x"}, timeout=30)
    assert any(key.startswith(b"sjp:") for key in stack.redis.client().keys("*login:fail*"))


def test_redis_frozen_requests_answer_within_seconds_and_the_report_is_produced_when_it_thaws(stack, tokens):
    """A Redis that hangs instead of refusing connections: every call waits for a socket timeout, so
    the web gives up on Redis for a few seconds after one has failed (cache and publishing)."""
    district = stack.api(tokens["district"])
    session, answer = stack.log_in("district", DEFAULT_PASSWORD)
    assert answer.status_code == 302
    stack.redis.freeze()
    try:
        # The first request in each web process pays the socket timeouts; the next ones no longer wait.
        asked = []
        for period, as_of in (("2026", "2026-06-30"), ("2025", "2025-12-31"), ("total", "2026-06-30")):
            response = fetch(district.post, stack.url("/api/v1/reports/"), json={"period": period, "as_of": as_of})
            assert response.status_code == 202 and response.json()["status"] == "pending", response.text
            asked.append(response.json()["id"])
        token_answer = fetch(
            requests.post, stack.url("/api/v1/auth/token/"), json={"username": "finance", "password": DEFAULT_PASSWORD}
        )
        assert token_answer.status_code == 200
        for path in ("/", "/enterprises/", "/reports/indicators/"):
            page = fetch(session.get, stack.url(path), allow_redirects=False)
            assert page.status_code == 200, (path, page.status_code)
        listing = fetch(district.get, stack.url("/api/v1/enterprises/"))
        assert listing.status_code == 200
    finally:
        stack.redis.thaw()
    for snapshot_id in asked:
        assert stack.wait_snapshot(snapshot_id, "done", timeout=90)["attempts"] == 1


# --- 2. the worker killed in the middle of a report ------------------------------------------------


def test_worker_killed_in_the_middle_of_a_report_it_is_produced_exactly_once_after_restart(stack, tokens):
    district = stack.api(tokens["district"])
    files_before = set(stack.snapshot_files())
    count_before = stack.pg.sql("SELECT count(*) FROM reports_reportsnapshot")[0][0]
    stack.worker.stop()  # a fresh worker: its first report loads WeasyPrint and the CJK fonts (seconds)
    killed = stack.start_worker()

    snapshot = request_snapshot(stack, district, "2025", "2025-12-31")
    stack.wait_snapshot(snapshot["id"], "running", timeout=30)
    killed.kill()  # SIGKILL while the report is being computed: no clean-up, message unacknowledged

    row = stack.snapshot(snapshot["id"])
    assert row["status"] == "running" and row["attempts"] == 1 and not row["pdf"], row
    assert "compute_snapshot_task" in killed.log_text()
    # The killed worker may also have run a late delivery left by an earlier test; the one it was killed in
    # was received and never finished.
    log = killed.log_text()
    received = re.findall(r"compute_snapshot_task\[([^]]+)\] received", log)
    finished = set(re.findall(r"compute_snapshot_task\[([^]]+)\] succeeded", log))
    assert set(received) - finished, log[-2000:]
    assert set(stack.snapshot_files()) == files_before  # nothing half-written

    # A new worker: once the dead worker's lease expires, beat's requeue task sends the task again
    # and the new delivery takes the snapshot over.
    stack.start_worker()
    done = stack.wait_snapshot(snapshot["id"], "done", timeout=LEASE_SECONDS + 60)
    assert done["attempts"] == 2 and not done["error"]

    # The broker's own redelivery of the unacknowledged message comes later (visibility timeout):
    # it, and further requeue runs, change nothing.
    task = "reports.tasks.compute_snapshot_task"
    runs = stack.succeeded(task)
    stack.publish(task, [snapshot["id"]])
    wait_for(lambda: stack.succeeded(task) > runs, timeout=30, what="the late delivery ran")
    time.sleep(2 * REQUEUE_EVERY_SECONDS)
    assert stack.snapshot(snapshot["id"]) == done
    assert set(stack.snapshot_files()) - files_before == {done["pdf"]}  # one PDF, no orphan
    assert stack.pg.sql("SELECT count(*) FROM reports_reportsnapshot")[0][0] == count_before + 1
    created = stack.pg.sql(
        "SELECT count(*) FROM reports_historicalreportsnapshot WHERE id = %s AND history_type = '+'",
        (snapshot["id"],),
    )[0][0]
    assert created == 1
    pdf = district.get(stack.url(f"/api/v1/reports/{snapshot['id']}/pdf/"), headers=PDF, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- 3. PostgreSQL restarted under the running web --------------------------------------------------


def test_postgres_restarted_the_web_and_worker_recover_without_a_restart(stack, tokens):
    district = stack.api(tokens["district"])
    session, answer = stack.log_in("district", DEFAULT_PASSWORD)
    assert answer.status_code == 302
    web_pids, worker_pid = stack.web_worker_pids(), stack.worker.pid
    errors_before = stack.web.log_text().count("Traceback")
    for _ in range(6):  # every web worker now holds a persistent connection (CONN_MAX_AGE=60)
        assert district.get(stack.url("/api/v1/enterprises/"), timeout=30).status_code == 200
    backends = {pid for (pid,) in stack.pg.sql(CLIENT_BACKENDS)}
    assert len(backends) >= 3  # the web workers, the worker, beat

    stack.pg.restart()  # pg_ctl restart -m fast: every connection is cut

    for path in ("/api/v1/enterprises/", "/api/v1/budget-lines/", "/api/v1/enterprises/?page=2") * 3:
        response = fetch(district.get, stack.url(path))
        assert response.status_code == 200, (path, response.status_code)
    for path in ("/", "/enterprises/", "/reports/indicators/"):
        assert session.get(stack.url(path), timeout=30, allow_redirects=False).status_code == 200, path
    assert not backends & {pid for (pid,) in stack.pg.sql(CLIENT_BACKENDS)}  # all reconnected

    # The worker and beat reconnect too: a report requested now is produced.
    snapshot = request_snapshot(stack, district, "total", "2026-06-30")
    assert stack.wait_snapshot(snapshot["id"], "done", timeout=60)["attempts"] == 1
    assert stack.web_worker_pids() == web_pids and stack.worker.pid == worker_pid  # nothing was restarted
    assert stack.web.log_text().count("Traceback") == errors_before  # not one request failed


CLIENT_BACKENDS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = 'portal' AND backend_type = 'client backend' "
    "AND pid <> pg_backend_pid()"
)


# --- 4. a disbursement interrupted in the middle of its transaction -----------------------------------


def ledger(stack, line_id):
    """The commitment line's and its budget line's figures, straight from the tables."""
    (row,) = stack.pg.sql(
        """
        SELECT cl.amount, cl.budget_line_id, bl.amount,
          (SELECT coalesce(sum(amount), 0) FROM funding_disbursement
            WHERE commitment_line_id = cl.id AND status IN ('requested', 'approved', 'paid')),
          (SELECT coalesce(sum(amount), 0) FROM funding_disbursement WHERE commitment_line_id = cl.id AND status = 'paid'),
          (SELECT count(*) FROM funding_disbursement WHERE commitment_line_id = cl.id),
          (SELECT count(*) FROM funding_historicaldisbursement WHERE commitment_line_id = cl.id),
          (SELECT coalesce(sum(d.amount), 0) FROM funding_disbursement d JOIN funding_commitmentline c2
             ON c2.id = d.commitment_line_id
            WHERE c2.budget_line_id = cl.budget_line_id AND d.status IN ('requested', 'approved', 'paid'))
        FROM funding_commitmentline cl JOIN funding_budgetline bl ON bl.id = cl.budget_line_id WHERE cl.id = %s
        """,
        (line_id,),
    )
    keys = ("amount", "budget_line", "budget", "claimed", "paid", "rows", "history_rows", "line_claimed")
    return dict(zip(keys, row, strict=True))


def a_commitment_line_with_room(stack, amount):
    """An active commitment line outside the central subsidy gate with room for ``amount`` on it and its budget line."""
    for (line_id,) in stack.pg.sql(
        """SELECT cl.id FROM funding_commitmentline cl JOIN funding_commitment c ON c.id = cl.commitment_id
           WHERE c.status = 'active' AND c.project_id IS NULL ORDER BY cl.id"""
    ):
        figures = ledger(stack, line_id)
        if figures["amount"] - figures["claimed"] >= amount and figures["budget"] - figures["line_claimed"] >= amount:
            return line_id, figures
    pytest.fail("the seeded ledger has no commitment line with room")


def budget_lines(stack, api):
    """The ledger's budget lines as the API shows them (budget, committed, claimed, paid, available)."""
    response = api.get(stack.url("/api/v1/budget-lines/"), timeout=30)
    assert response.status_code == 200, response.text
    data = response.json()
    return {row["id"]: row for row in (data["results"] if isinstance(data, dict) else data)}


class Blocker:
    """A second connection holding ``LOCK TABLE funding_historicaldisbursement IN SHARE MODE``: a disbursement
    write then stops at its history row, after its own row is written, holding its row locks."""

    def __init__(self, stack):
        self.conn = stack.pg.connect(autocommit=False)
        with self.conn.cursor() as cursor:
            cursor.execute("LOCK TABLE funding_historicaldisbursement IN SHARE MODE")

    def release(self):
        self.conn.rollback()
        self.conn.close()


def in_background(call, *args, **kwargs):
    """Run an HTTP call in a thread; ``outcome`` holds its response or its exception."""
    outcome = {}

    def run():
        try:
            outcome["response"] = call(*args, timeout=60, **kwargs)
        except requests.RequestException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def blocked_backend(stack, statement_start):
    """The PostgreSQL backend (pid, client port) waiting for a lock in a statement starting so."""
    rows = stack.pg.sql(
        "SELECT pid, client_port FROM pg_stat_activity WHERE datname = 'portal' AND wait_event_type = 'Lock' "
        "AND query LIKE %s",
        (statement_start + "%",),
    )
    return rows[0] if rows else None


def assert_holds_row_locks(stack, figures, line_id):
    """The interrupted transaction is really in the middle: it holds the budget and commitment line rows."""
    conn = stack.pg.connect(autocommit=False)
    try:
        for table, pk in (("funding_budgetline", figures["budget_line"]), ("funding_commitmentline", line_id)):
            with pytest.raises(psycopg2.errors.LockNotAvailable), conn.cursor() as cursor:
                cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", (pk,))  # noqa: S608
            conn.rollback()
    finally:
        conn.close()


def test_disbursement_interrupted_mid_transaction_moves_no_money_and_a_retry_succeeds(stack, tokens):
    finance = stack.api(tokens["finance"])
    amount = Decimal("1000.00")
    line_id, before = a_commitment_line_with_room(stack, amount)
    budget_before = budget_lines(stack, finance)[before["budget_line"]]

    # (a) The request's database backend is terminated while it holds its locks, its row already inserted.
    blocker = Blocker(stack)
    try:
        thread, outcome = in_background(
            finance.post, stack.url("/api/v1/disbursements/"), json={"commitment_line": line_id, "amount": "1000.00"}
        )
        pid, _port = wait_for(
            lambda: blocked_backend(stack, 'INSERT INTO "funding_historicaldisbursement"'),
            timeout=20,
            what="the disbursement request waits at its history row",
        )
        assert_holds_row_locks(stack, before, line_id)
        assert stack.pg.sql("SELECT pg_terminate_backend(%s)", (pid,)) == [(True,)]
        thread.join(30)
    finally:
        blocker.release()
    assert "response" in outcome and outcome["response"].status_code == 503, outcome  # said plainly, not a bare 500
    assert outcome["response"].json()["code"] == "database_unavailable"
    assert ledger(stack, line_id) == before  # no row, no history, nothing claimed
    assert budget_lines(stack, finance)[before["budget_line"]] == budget_before

    # The retry succeeds and claims exactly the amount.
    retry = finance.post(
        stack.url("/api/v1/disbursements/"), json={"commitment_line": line_id, "amount": "1000.00"}, timeout=30
    )
    assert retry.status_code == 201, retry.text
    disbursement = retry.json()["id"]
    claimed = ledger(stack, line_id)
    assert claimed["claimed"] == before["claimed"] + amount and claimed["rows"] == before["rows"] + 1
    # Four eyes: a second finance officer approves; the requester then records the payment.
    approver = stack.api(tokens["finance2"])
    approve = approver.post(stack.url(f"/api/v1/disbursements/{disbursement}/approve/"), json={}, timeout=30)
    assert approve.status_code == 200, approve.text
    approved = ledger(stack, line_id)

    # (b) The web process itself is SIGKILLed while its payment transaction holds the locks.
    web_pids = stack.web_worker_pids()
    blocker = Blocker(stack)
    try:
        thread, outcome = in_background(
            finance.post, stack.url(f"/api/v1/disbursements/{disbursement}/pay/"), json={"voucher_no": "FAULT-1"}
        )
        pid, port = wait_for(
            lambda: blocked_backend(stack, 'INSERT INTO "funding_historicaldisbursement"'),
            timeout=20,
            what="the payment waits at its history row",
        )
        assert_holds_row_locks(stack, before, line_id)
        web_worker = stack.pid_of_connection(port)
        assert web_worker in web_pids
        os.kill(web_worker, signal.SIGKILL)
        thread.join(30)
    finally:
        blocker.release()
    assert "error" in outcome, outcome  # the client saw its connection drop
    # PostgreSQL rolls the orphaned transaction back once it finds its client gone.
    wait_for(
        lambda: not stack.pg.sql("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)), timeout=20, what="rollback"
    )
    assert ledger(stack, line_id) == approved  # still approved, nothing paid
    (status, voucher, paid_on) = stack.pg.sql(
        "SELECT status, voucher_no, paid_on FROM funding_disbursement WHERE id = %s", (disbursement,)
    )[0]
    assert (status, voucher, paid_on) == ("approved", "", None)

    # gunicorn replaced its worker; the retry pays exactly once.
    wait_for(lambda: len(stack.web_worker_pids()) == 2, timeout=30, what="gunicorn respawned its worker")
    assert stack.web_worker_pids() != web_pids
    pay = finance.post(
        stack.url(f"/api/v1/disbursements/{disbursement}/pay/"), json={"voucher_no": "FAULT-1"}, timeout=30
    )
    assert pay.status_code == 200 and pay.json()["status"] == "paid", pay.text
    paid = ledger(stack, line_id)
    assert paid["paid"] == before["paid"] + amount and paid["claimed"] == before["claimed"] + amount
    assert paid["claimed"] <= paid["amount"] and paid["line_claimed"] <= paid["budget"]
    row = budget_lines(stack, finance)[before["budget_line"]]
    assert Decimal(row["paid"]) == Decimal(budget_before["paid"]) + amount
    assert Decimal(row["claimed"]) == Decimal(budget_before["claimed"]) + amount == paid["line_claimed"]
