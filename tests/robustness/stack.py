"""A throwaway portal for the fault tests, made of real processes on free ports.

Its own PostgreSQL 15 cluster (``initdb`` in a temporary directory, trust authentication), its own
``redis-server`` (no persistence), the portal migrated and seeded (``seed_demo``) into that cluster,
gunicorn serving the web, a Celery worker (``--pool solo``) and Celery beat, all with the production
settings (``tests/robustness/fault_settings.py``). The machine's own PostgreSQL and Redis, which the
rest of the suite uses, are never touched. ``PortalStack.close`` stops everything and copies the
process logs to ``test-artifacts/robustness/``.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
ARTIFACTS = ROOT / "test-artifacts" / "robustness"

#: Timings the processes run with. The lease is short so that a killed worker's report is taken over
#: within the test; beat's requeue task runs every two seconds and treats work pending for two seconds as
#: lost (production: 10 minutes, every 5 minutes); a task unacknowledged for 5 s is redelivered.
LEASE_SECONDS = 8
STALE_PENDING_SECONDS = 2
REQUEUE_EVERY_SECONDS = 2
VISIBILITY_TIMEOUT = 5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout, what, interval=0.1):
    """Poll ``predicate`` until it returns something truthy (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout} s")
        time.sleep(interval)


class Process:
    """A child process in its own process group (so its children die with it), output to a log file."""

    def __init__(self, name, argv, *, env, log_dir):
        self.name, self.argv, self.env = name, [str(a) for a in argv], env
        self.log_path = Path(log_dir) / f"{name}.log"
        self.popen = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open by the child; closed in stop()
        log.write(f"\n=== start {time.strftime('%H:%M:%S')}: {' '.join(self.argv)}\n".encode())
        log.flush()
        self._log = log
        self.popen = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    @property
    def pid(self):
        return self.popen.pid

    @property
    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def kill(self):
        """SIGKILL the whole process group, as the OOM killer or a power cut would."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._log.close()

    def stop(self, timeout=15):
        if self.popen is None:
            return
        if self.alive:
            self.signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        else:  # the group leader is gone; make sure no child of it is left
            self.signal_group(signal.SIGKILL)
        self._log.close()

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])


def _as_postgres(argv):
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    argv = [str(a) for a in argv]
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class PostgresCluster:
    """A PostgreSQL 15 cluster of its own in ``base``, listening on 127.0.0.1:``port``, trust auth."""

    def __init__(self, base):
        self.base = Path(base)
        self.data = self.base / "data"
        self.log = self.base / "postgresql.log"
        self.port = free_port()

    def _run(self, *argv, timeout=60):
        result = subprocess.run(_as_postgres(argv), capture_output=True, text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({result.returncode}): {result.stdout}\n{result.stderr}")
        return result

    def _options(self):
        # fsync off: a throwaway cluster; a fast restart still loses no committed row.
        return f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"

    def init(self):
        self.base.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self._run(
            PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o", self._options(), "start")

    def restart(self):
        """``pg_ctl restart -m fast``: every connection is cut, the server comes back on the same port."""
        self._run(
            PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-m", "fast", "-o", self._options(),
            "restart",
        )  # fmt: skip

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", timeout=30)

    def url(self, database="portal"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database="portal", *, autocommit=True):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5)
        conn.autocommit = autocommit
        return conn

    def sql(self, query, params=(), database="portal"):
        """Rows of one statement, on a connection of its own (autocommit)."""
        conn = self.connect(database)
        try:
            with conn.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            conn.close()


class RedisServer:
    """A redis-server of its own on 127.0.0.1:``port``, without persistence: a stop loses every key."""

    def __init__(self, base, env):
        self.port = free_port()
        self.base = Path(base)
        argv = ["redis-server", "--port", self.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = Process("redis", [*argv, "--dir", self.base], env=env, log_dir=self.base)

    def ping(self):
        try:
            return redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1).ping()
        except redis.RedisError:
            return False

    def client(self, db=0):
        return redis.Redis(port=self.port, db=db, socket_timeout=2)

    def start(self):
        self.process.start()
        wait_for(self.ping, timeout=15, what="redis-server answers PING")

    def freeze(self):
        """SIGSTOP: the port still accepts connections (the kernel's backlog) but nothing ever answers."""
        self.process.signal_group(signal.SIGSTOP)

    def thaw(self):
        self.process.signal_group(signal.SIGCONT)
        wait_for(self.ping, timeout=15, what="redis-server answers PING again")

    def stop(self):
        """Stop the server (SIGTERM, as ``systemctl stop`` does) and wait until the port is closed."""
        self.process.stop()
        wait_for(lambda: not self.ping(), timeout=10, what="redis-server stopped")


class PortalStack:
    """The throwaway portal: PostgreSQL, Redis, gunicorn, a Celery worker and beat."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="sjp-faults-"))
        os.chmod(self.base, 0o755)  # noqa: S103 - the postgres user must reach its cluster inside
        self.logs = self.base / "logs"
        self.logs.mkdir()
        self.media = self.base / "var" / "media"
        self.pg = PostgresCluster(self.base / "pg")
        self.web_port = free_port()
        self.timings = {}
        self.env = self._environment()
        (self.base / "redis").mkdir()
        self.redis = RedisServer(self.base / "redis", self.env)
        self.web = self.worker = self.beat = None
        self._workers_started = 0

    def _environment(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "PORTAL_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="tests.robustness.fault_settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DATABASE_URL=self.pg.url(),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_ALLOW_PLAIN_HTTP="true",
            # Persistent connections, health-checked before reuse (.env.example suggests 60 s).
            DJANGO_CONN_MAX_AGE="60",
            PORTAL_VAR_DIR=str(self.base / "var"),
            DJANGO_MEDIA_ROOT=str(self.media),
            DJANGO_STATIC_ROOT=str(self.base / "static"),
            PORTAL_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
            PORTAL_JOB_STALE_PENDING_SECONDS=str(STALE_PENDING_SECONDS),
            PORTAL_REQUEUE_EVERY_SECONDS=str(REQUEUE_EVERY_SECONDS),
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            DJANGO_LOG_LEVEL="INFO",
            # The demo on (production leaves it off): seed_demo fills this throwaway database.
            PORTAL_DEMO="1",
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
        )
        return env

    # --- life cycle -------------------------------------------------------------------------------

    def start(self):
        started = time.monotonic()
        self.pg.init()
        self.pg.start()
        self.pg.sql("CREATE DATABASE portal", database="postgres")
        self.redis.start()
        self.env.update(
            REDIS_URL=f"redis://127.0.0.1:{self.redis.port}/0",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis.port}/1",
            CELERY_RESULT_BACKEND=f"redis://127.0.0.1:{self.redis.port}/1",
        )
        self.timings["services"] = time.monotonic() - started
        mark = time.monotonic()
        self.manage("migrate", "--noinput", "-v", "0", timeout=180)
        self.timings["migrate"] = time.monotonic() - mark
        mark = time.monotonic()
        self.manage("seed_demo", settings="tests.robustness.seed_settings", timeout=300)
        self.timings["seed_demo"] = time.monotonic() - mark
        mark = time.monotonic()
        self.start_web()
        self.start_worker()
        self.start_beat()
        self.timings["processes"] = time.monotonic() - mark
        self.timings["total"] = time.monotonic() - started
        return self

    def close(self):
        processes = [p for p in (self.web, self.worker, self.beat, self.redis.process) if p and p.popen]
        for process in processes:  # all at once, then wait for each
            if process.alive:
                process.signal_group(signal.SIGTERM)
        for process in processes:
            with contextlib.suppress(Exception):
                process.stop(timeout=10)
        self.pg.stop()
        with contextlib.suppress(Exception):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for log in self.logs.glob("*.log"):
                shutil.copy(log, ARTIFACTS / log.name)
            shutil.copy(self.base / "redis" / "redis.log", ARTIFACTS / "redis.log")
            shutil.copy(self.pg.log, ARTIFACTS / "postgresql.log")
        shutil.rmtree(self.base, ignore_errors=True)

    def manage(self, *args, settings=None, timeout=120):
        env = {**self.env, "DJANGO_SETTINGS_MODULE": settings} if settings else self.env
        result = subprocess.run(
            [VENV_BIN / "python", "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
        return result.stdout

    # --- the processes -----------------------------------------------------------------------------

    def start_web(self):
        """gunicorn, two sync workers, as the image runs it (the master respawns a killed worker)."""
        argv = [
            VENV_BIN / "gunicorn", "songjiang_pilot.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}",
            "--workers", "2", "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket",
            "--access-logfile", "-",
        ]  # fmt: skip
        self.web = Process("web", argv, env=self.env, log_dir=self.logs).start()
        wait_for(self._web_answers, timeout=60, what="gunicorn serves the log-in page")

    def _web_answers(self):
        try:
            return requests.get(self.url("/accounts/login/"), timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def start_worker(self):
        """A Celery worker (solo pool: the task runs in the main process, which SIGKILL ends at once)."""
        self._workers_started += 1
        name = f"worker{self._workers_started}"
        argv = [
            VENV_BIN / "celery", "-A", "songjiang_pilot", "worker", "--pool", "solo", "-n", f"{name}@faults",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
        ]  # fmt: skip
        self.worker = Process(name, argv, env=self.env, log_dir=self.logs).start()
        wait_for(lambda: " ready." in self.worker.log_text(), timeout=60, what=f"{name} ready")
        return self.worker

    def start_beat(self):
        argv = [VENV_BIN / "celery", "-A", "songjiang_pilot", "beat", "-l", "INFO", "--pidfile="]
        self.beat = Process("beat", argv, env=self.env, log_dir=self.logs).start()
        wait_for(lambda: "beat: Starting" in self.beat.log_text(), timeout=60, what="beat started")

    def web_worker_pids(self):
        """The pids of gunicorn's worker processes (children of the master)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    stat = (entry / "stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == self.web.pid:
                        pids.append(int(entry.name))
        return sorted(pids)

    def pid_of_connection(self, client_port):
        """The gunicorn worker that owns the TCP connection from local port ``client_port`` (read from /proc)."""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == client_port:
                        inodes.add(f"socket:[{fields[9]}]")
        for pid in self.web_worker_pids():
            with contextlib.suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(fd) in inodes:
                            return pid
        return None

    def publish(self, task_name, args):
        """Publish a task message on the stack's broker, as a late redelivery of a lost message would."""
        from celery import Celery

        app = Celery("faults-publisher")
        # The URL given explicitly: Celery prefers the CELERY_BROKER_URL of this (the suite's) environment.
        with app.connection_for_write(self.env["CELERY_BROKER_URL"]) as connection:
            app.send_task(task_name, args=list(args), ignore_result=True, connection=connection)

    def succeeded(self, task_name):
        """How many runs of ``task_name`` the current worker finished."""
        return len(re.findall(re.escape(task_name) + r"\[[^]]+\] succeeded", self.worker.log_text()))

    # --- HTTP ---------------------------------------------------------------------------------------

    def url(self, path):
        return f"http://127.0.0.1:{self.web_port}{path}"

    def api(self, token):
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        session.headers["Accept-Language"] = "en"
        return session

    def token(self, username, password):
        response = requests.post(
            self.url("/api/v1/auth/token/"), json={"username": username, "password": password}, timeout=15
        )
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def log_in(self, username, password):
        """A browser-like session signed in through the log-in page (CSRF token, session cookie)."""
        session = requests.Session()
        page = session.get(self.url("/accounts/login/"), timeout=15)
        assert page.status_code == 200, page.status_code
        csrf = session.cookies.get("sjp_csrftoken")
        answer = session.post(
            self.url("/accounts/login/"),
            data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
            timeout=15,
            allow_redirects=False,
        )
        return session, answer

    # --- reading the database ----------------------------------------------------------------------

    def snapshot(self, snapshot_id):
        rows = self.pg.sql(
            "SELECT status, attempts, pdf, error, finished_at FROM reports_reportsnapshot WHERE id = %s",
            (snapshot_id,),
        )
        if not rows:
            return None
        status, attempts, pdf, error, finished_at = rows[0]
        return {"status": status, "attempts": attempts, "pdf": pdf, "error": error, "finished_at": finished_at}

    def wait_snapshot(self, snapshot_id, status, *, timeout):
        def reached():
            row = self.snapshot(snapshot_id)
            return row if row and row["status"] == status else None

        try:
            return wait_for(reached, timeout=timeout, what=f"snapshot {snapshot_id} {status}", interval=0.02)
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}; now {self.snapshot(snapshot_id)}\n--- worker log\n{self.worker.tail()}\n"
                f"--- beat log\n{self.beat.tail(15)}"
            ) from None

    def snapshot_files(self):
        """Every PDF file stored under the media root, relative to it."""
        folder = self.media / "reports" / "snapshots"
        return sorted(str(p.relative_to(self.media)) for p in folder.rglob("*.pdf")) if folder.exists() else []
