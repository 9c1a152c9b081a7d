"""Load test: 50 concurrent users for 5 minutes against gunicorn with the production settings (over
plain HTTP), a Celery worker and Redis, on the 100,000-enterprise database.

    .venv/bin/python bench/load_test.py                                  # 50 users, 300 s, 100,000
    .venv/bin/python bench/load_test.py --size 520 --users 10 --duration 20   # a quick try

The client is plain Python: one thread per user, each with its own ``requests.Session`` (its own
cookies), measuring the wall time of every request on the client side (``time.perf_counter``
around the call, the body read whole). Nothing is cached between requests except the session and
CSRF cookies, as in a browser without its static-file cache.

What runs:

* the database ``songjiang_h8_bench_<N>`` (``bench/lists.py``'s: restored from
  ``var/bench/scale-<N>.dump`` the first time, kept afterwards);
* a set-up child (Django, ``DEBUG`` off) that creates the bench users (``bench_district_<i>``,
  ``bench_unit_<i>`` spread over the 18 units, ``bench_finance_<i>``, ``bench_auditor_<i>``, one
  log-in each, so 50 users never share a throttling key; created once, their password reset each run), makes a finished district snapshot of
  each reporting period (``snapshot_compute``, as the nightly task would) so the dashboard is served
  from snapshots, and writes one 20-row roster (xlsx) per unit for the import previews;
* ``manage.py collectstatic`` into ``var/bench/staticfiles`` (the manifest storage of production);
* gunicorn as the image runs it (``songjiang_pilot.wsgi``, 3 sync workers, timeout 60 s) with
  ``songjiang_pilot.settings.production``, ``DJANGO_ALLOW_PLAIN_HTTP=true``,
  ``DJANGO_ALLOWED_HOSTS=127.0.0.1``, a random ``DJANGO_SECRET_KEY``, Redis db 2 (cache) and 3
  (broker); a Celery worker (``--concurrency 2``, as in docker-compose) on the same settings.
  Both are stopped (their process groups, by id) at the end.

The users (``--users`` split 40% district officials, 40% unit staff, 10% finance officers, 10%
auditors) log in once (``POST /accounts/login/``, measured as ``login``), then until the end pick an
action by their role's weights, with a think time drawn uniformly in [0.5, 1.5] × ``--think``
seconds between actions: the home page, the dashboard (``/reports/indicators/``), the snapshot list
and a snapshot's page, the enterprise list page and ``GET /api/v1/enterprises/`` with a random
filter (unit, status, sector, scale, tier, search, sort, a random page), an enterprise's page,
the project list, drill-downs (``/reports/indicators/<n>/?unit=<code>``: one unit's records; the
district-wide ones are measured apart by ``bench/pages.py``), for unit staff the preview of a 20-row
roster (``POST /enterprises/import/`` then the batch page it redirects to) and, for officials and
unit staff, report requests (``POST /api/v1/reports/``: a unit's snapshot of a period; the worker
computes it). An error is any status other than the expected one, or a failed/timed-out request.

``--wrk PATHS`` then runs wrk (Debian's, in C) against each path in a closed loop
(``--wrk-connections``, default 20, each sending its next request as soon as the last is answered,
logged in as a district official) for ``--wrk-duration`` seconds; ``--duration 0`` runs wrk only. The
Celery worker runs at ``nice --worker-nice`` (6: the quarter CPU weight docker-compose gives it).

Printed: per endpoint, requests, errors, median, p95 and p99 (ms), for the whole run and for the steady
state (the requests started after the last log-in); overall throughput; the client's
CPU time (it shares the 2 cores with the server); the snapshots requested and how many the worker
finished during the run; error samples.
"""

import argparse
import collections
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lists import child_env, database, machine, percentile, prepare, psql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-load-Songjiang-2026"  # noqa: S105 - throwaway benchmark users in a benchmark database
STATIC = ROOT / "var" / "bench" / "staticfiles"
ROLES = (("district", 0.4), ("unit", 0.4), ("finance", 0.1), ("auditor", 0.1))
ROSTER_ROWS = 20

#: Per role: (action, weight). Weights are relative.
MIX = {
    "district": [
        ("home", 12),
        ("dashboard", 18),
        ("snapshot list", 4),
        ("snapshot page", 4),
        ("enterprise list", 20),
        ("enterprise API", 10),
        ("enterprise page", 8),
        ("project list", 6),
        ("drill-down", 14),
        ("report request", 2),
    ],
    "unit": [
        ("home", 14),
        ("dashboard", 10),
        ("enterprise list", 24),
        ("enterprise API", 10),
        ("enterprise page", 10),
        ("project list", 6),
        ("drill-down", 12),
        ("import preview", 6),
        ("report request", 1),
    ],
    "finance": [("home", 20), ("dashboard", 20), ("project list", 20), ("enterprise list", 20), ("drill-down", 20)],
    "auditor": [
        ("home", 15),
        ("dashboard", 20),
        ("snapshot list", 10),
        ("snapshot page", 10),
        ("enterprise list", 20),
        ("enterprise API", 10),
        ("drill-down", 15),
    ],
}


# --- the set-up child (Django) ----------------------------------------------------------------------


def setup_child(spec):
    sys.path.insert(0, str(ROOT))
    import datetime

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from openpyxl import Workbook

    from accounts.models import User
    from core.roles import Role
    from core.selectors import unit_list
    from demo.factories import make_credit_code
    from enterprises.choices import Scale, Sector, Status, Tier
    from enterprises.models import Enterprise
    from enterprises.roster import HEADERS
    from reports.models import ReportingPeriod, ReportSnapshot
    from reports.selectors.indicators import NUMBERS
    from reports.services.snapshots import snapshot_compute

    units = list(unit_list())
    counts = spec["counts"]
    password = make_password(PASSWORD)
    wanted = []
    for role, n in counts.items():
        for i in range(n):
            fields = {
                "district": {"role": Role.DISTRICT_OFFICIAL},
                "unit": {"role": Role.UNIT_STAFF, "unit": units[i % len(units)]},
                "finance": {"role": Role.FINANCE_OFFICER},
                "auditor": {"role": Role.AUDITOR},
            }[role]
            wanted.append((f"bench_{role}_{i}", role, fields))
    for name, _role, fields in wanted:  # kept between runs (their imports and snapshots point at them)
        User.objects.update_or_create(
            username=name,
            defaults={
                "password": password,
                "is_active": True,
                "must_change_password": False,
                "display_name": f"压测 {name}",
                "unit": None,
                **fields,
            },
        )
    users = {u.username: u for u in User.objects.filter(username__in=[w[0] for w in wanted])}

    # District snapshots of every period, as the nightly task makes them: the dashboard reads them.
    district = User.objects.get(username="district")
    as_of = datetime.date.fromisoformat(spec["as_of"])
    snapshots, made = [], {}
    for period in ReportingPeriod.objects.order_by("order"):
        done = ReportSnapshot.objects.filter(
            period=period, unit__isnull=True, status=ReportSnapshot.Status.DONE, as_of=as_of
        ).first()
        if done is None:
            done = ReportSnapshot.objects.create(period=period, unit=None, as_of=as_of, requested_by=district)
            started = time.perf_counter()
            snapshot_compute(str(done.pk))
            made[period.code] = round(time.perf_counter() - started, 1)
        snapshots.append(str(done.pk))

    # One 20-row roster per unit: new enterprises of that unit (a preview writes nothing).
    media = Path(spec["media"])
    rosters = {}
    for k, unit in enumerate(units):
        book = Workbook()
        sheet = book.active
        sheet.append(list(HEADERS))
        for i in range(ROSTER_ROWS):
            seq = 3_000_000 + k * 1_000 + i
            sheet.append(
                [make_credit_code(seq), f"压测导入企业{k:02d}{i:03d}有限公司", unit.name, str(Sector.labels[i % 4]),
                 str(Scale.labels[i % 2]), "小型", "", "张三", "021-57000000", "上海市松江区", "精密零件", 30 + i, 800 + i]
            )  # fmt: skip
        path = media / f"roster-{unit.code}.xlsx"
        book.save(path)
        rosters[unit.code] = str(path)

    sample = list(Enterprise.objects.order_by("?").values_list("pk", flat=True)[:2000])
    by_unit = {}
    for pk, unit_id in Enterprise.objects.filter(pk__in=sample).values_list("pk", "unit_id"):
        by_unit.setdefault(unit_id, []).append(pk)
    return {
        "users": [
            {
                "username": name,
                "role": role,
                "unit": (users[name].unit.code if users[name].unit_id else None),
                "enterprises": by_unit.get(users[name].unit_id, []) if role == "unit" else sample[:500],
            }
            for name, role, _fields in wanted
        ],  # fmt: skip
        "units": [u.code for u in units],
        "snapshots": snapshots,
        "snapshots_made": made,
        "periods": list(ReportingPeriod.objects.order_by("order").values_list("code", flat=True)),
        "numbers": list(NUMBERS),
        "rosters": rosters,
        "filters": {
            "status": list(Status.values),
            "sector": list(Sector.values),
            "scale": list(Scale.values),
            "tier": [t for t in Tier.values if t],
            "search": sorted(
                {n[2:4] for n in Enterprise.objects.filter(pk__in=sample[:200]).values_list("name", flat=True)}
            ),
        },
        "enterprises": Enterprise.objects.count(),
    }


# --- the client -------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = collections.defaultdict(list)
        self.started = collections.defaultdict(list)  # when each request started (monotonic), by endpoint
        self.errors = collections.Counter()
        self.samples = []
        self.logged_in = []  # when each user's log-in finished (monotonic)

    def add(self, endpoint, seconds, error=None):
        with self.lock:
            self.times[endpoint].append(seconds * 1000)
            self.started[endpoint].append(time.monotonic() - seconds)
            if error:
                self.errors[endpoint] += 1
                if len(self.samples) < 20:
                    self.samples.append(f"{endpoint}: {error}")


class VirtualUser:
    def __init__(self, base, info, world, recorder, deadline, think, seed):
        import requests

        self.base, self.info, self.world, self.rec = base, info, world, recorder
        self.deadline, self.think = deadline, think
        self.rnd = random.Random(seed)
        self.session = requests.Session()
        self.timeout = 90

    def call(self, endpoint, method, path, expect=(200,), **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, timeout=self.timeout, allow_redirects=False, **kwargs
            )
            _body = response.content
        except Exception as exc:
            self.rec.add(endpoint, time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:200])
            return None
        seconds = time.perf_counter() - started
        error = None if response.status_code in expect else f"HTTP {response.status_code} on {method} {path}"
        self.rec.add(endpoint, seconds, error)
        return response

    def csrf(self):
        return self.session.cookies.get("sjp_csrftoken", "")  # settings.CSRF_COOKIE_NAME

    def login(self):
        self.call("login form", "GET", "/accounts/login/")
        response = self.call(
            "login",
            "POST",
            "/accounts/login/",
            expect=(302,),
            data={"username": self.info["username"], "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
        )
        self.rec.logged_in.append(time.monotonic())
        return response is not None and response.status_code == 302

    def filter_query(self):
        f, rnd = self.world["filters"], self.rnd
        choice = rnd.choice(["none", "unit", "status", "sector", "scale", "tier", "search", "sort", "page"])
        if choice == "unit":
            return f"unit={self.info['unit'] or rnd.choice(self.world['units'])}"
        if choice in ("status", "sector", "scale", "tier"):
            return f"{choice}={rnd.choice(f[choice])}"
        if choice == "search":
            return "search=" + rnd.choice(f["search"])
        if choice == "sort":
            return "sort=" + rnd.choice(["name", "-revenue", "-employees", "unit", "-updated", "level"])
        if choice == "page":
            pages = max(1, (self.world["enterprises"] // (18 if self.info["role"] == "unit" else 1)) // 50)
            return f"page={rnd.randint(1, pages)}"
        return ""

    def act(self, action):
        rnd, w = self.rnd, self.world
        if action == "home":
            self.call(action, "GET", "/")
        elif action == "dashboard":
            self.call(action, "GET", "/reports/indicators/")
        elif action == "snapshot list":
            self.call(action, "GET", "/reports/snapshots/")
        elif action == "snapshot page":
            self.call(action, "GET", f"/reports/snapshots/{rnd.choice(w['snapshots'])}/")
        elif action == "enterprise list":
            self.call(action, "GET", "/enterprises/?" + self.filter_query())
        elif action == "enterprise API":
            self.call(action, "GET", "/api/v1/enterprises/?" + self.filter_query())
        elif action == "enterprise page":
            if self.info["enterprises"]:
                self.call(action, "GET", f"/enterprises/{rnd.choice(self.info['enterprises'])}/")
        elif action == "project list":
            self.call(action, "GET", "/funding/projects/")
        elif action == "drill-down":
            # One unit's records (unit staff: their own, by scope); bench/pages.py measures the
            # district-wide ones apart.
            unit = self.info["unit"] or rnd.choice(w["units"])
            self.call(action, "GET", f"/reports/indicators/{rnd.choice(w['numbers'])}/?unit={unit}")
        elif action == "import preview":
            path = w["rosters"][self.info["unit"]]
            with open(path, "rb") as handle:
                response = self.call(
                    action,
                    "POST",
                    "/enterprises/import/",
                    expect=(302,),
                    data={"csrfmiddlewaretoken": self.csrf()},
                    files={
                        "file": (
                            "roster.xlsx",
                            handle,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        )
                    },
                )
            if response is not None and response.status_code == 302:
                self.call("import batch page", "GET", response.headers["Location"])
        elif action == "report request":
            unit = self.info["unit"] or rnd.choice(w["units"])
            self.call(
                action,
                "POST",
                "/api/v1/reports/",
                expect=(202, 201, 200),
                json={"period": rnd.choice(w["periods"]), "unit": unit},
                headers={"X-CSRFToken": self.csrf()},
            )

    def run(self):
        if not self.login():
            return
        only = self.world["only"]
        mix = [(a, w) for a, w in MIX[self.info["role"]] if a not in self.world["skip"] and (not only or a in only)]
        if not mix:
            return
        actions, weights = zip(*mix, strict=True)
        while time.monotonic() < self.deadline:
            self.act(self.rnd.choices(actions, weights)[0])
            pause = self.think * self.rnd.uniform(0.5, 1.5)
            if pause <= 0:
                continue
            if time.monotonic() + pause >= self.deadline:
                break
            time.sleep(pause)


# --- the servers ------------------------------------------------------------------------------------


def server_env(size, media):
    env = child_env(size, media, settings="songjiang_pilot.settings.production")
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ALLOW_PLAIN_HTTP="true",
        DJANGO_STATIC_ROOT=str(STATIC),
        REDIS_URL="redis://127.0.0.1:6379/2",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
        CELERY_RESULT_BACKEND="redis://127.0.0.1:6379/3",
    )
    return env


def start(command, env, log):
    handle = open(log, "w")  # noqa: SIM115 - closed when the process is stopped
    process = subprocess.Popen(  # noqa: S603 - this project's servers, fixed arguments
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log_handle = handle
    return process


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the group this script started (start_new_session)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log_handle.close()


def wait_ready(base, seconds=60):
    import requests

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if requests.get(base + "/accounts/login/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /accounts/login/ in time")


def collect_static(env):
    """``collectstatic`` into var/bench/staticfiles, unless its manifest is newer than every source file."""
    manifest = STATIC / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if manifest.is_file() and manifest.stat().st_mtime > newest:
        return
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if collect.returncode != 0:
        raise SystemExit(f"collectstatic failed:\n{collect.stderr[-3000:]}")


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the report -------------------------------------------------------------------------------------


def steady_times(rec, since):
    """Per endpoint, the times of the requests that started at or after ``since`` (monotonic)."""
    return {
        endpoint: [t for t, at in zip(times, rec.started[endpoint], strict=True) if at >= since]
        for endpoint, times in rec.times.items()
    }


def table(times_by_endpoint, errors):
    print("\n| endpoint | requests | errors | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = 0
    for endpoint in sorted(times_by_endpoint, key=lambda e: -len(times_by_endpoint[e])):
        times = times_by_endpoint[endpoint]
        if not times:
            continue
        total += len(times)
        print(
            f"| {endpoint} | {len(times):,} | {'' if errors is None else errors.get(endpoint, 0)} |"
            f" {statistics.median(times):.0f} |"
            f" {percentile(times, 0.95):.0f} | {percentile(times, 0.99):.0f} | {max(times):.0f} |"
        )
    every = [t for times in times_by_endpoint.values() for t in times]
    if every:
        print(
            f"| **all** | {total:,} | {'' if errors is None else sum(errors.values())} | {statistics.median(every):.0f} |"
            f" {percentile(every, 0.95):.0f} | {percentile(every, 0.99):.0f} | {max(every):.0f} |"
        )
    return total


def report(rec, elapsed, cpu, backlog, load_started):
    print("\nThe whole run (log-ins included):")
    total = table(rec.times, rec.errors)
    errors = sum(rec.errors.values())
    print(
        f"\nThroughput: {total / elapsed:.1f} requests/s over {elapsed:.0f} s; errors {errors} ({errors / total:.2%})."
    )
    if rec.logged_in:
        settled = max(rec.logged_in)
        window = settled - load_started
        steady = steady_times(rec, settled)
        print(
            f"\nSteady state: the requests started after the last user had logged in ({window:.0f} s into the "
            f"run); the start-up before it is {len(rec.logged_in)} log-ins (password hashing) at once:"
        )
        counted = table(steady, None)
        remaining = elapsed - window
        if remaining > 0:
            print(f"\nSteady-state throughput: {counted / remaining:.1f} requests/s over {remaining:.0f} s.")
    print(f"Client CPU time (all user threads): {cpu:.0f} s of the {elapsed * 2:.0f} core-seconds available.")
    print(f"Snapshots requested during the run, by status at its end: {backlog}")
    for sample in rec.samples:
        print(f"   error: {sample}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load after the log-ins")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between a user's actions (s)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (the image runs 3)")
    parser.add_argument("--as-of", default="2026-11-25")
    parser.add_argument("--skip", default="", help="actions left out of the mix, comma-separated (e.g. drill-down)")
    parser.add_argument("--only", default="", help="the only actions of the mix, comma-separated (e.g. dashboard)")
    parser.add_argument(
        "--wrk",
        default="",
        help="after the users' run, wrk against these paths (comma-separated, e.g. /reports/indicators/) with "
        "--wrk-connections connections, each path for --wrk-duration seconds, logged in as a district official",
    )
    parser.add_argument("--wrk-connections", type=int, default=20)
    parser.add_argument("--worker-nice", type=int, default=6, help="the Celery worker's niceness (compose: 1/4 share)")
    parser.add_argument("--wrk-duration", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="restore the database from its dump again")
    parser.add_argument("--setup-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_child:
        print(json.dumps(setup_child(json.loads(args.setup_child)), default=str))
        return
    size = args.size
    media = Path(tempfile.mkdtemp(prefix="load-test-"))
    counts = {role: 0 for role, _share in ROLES}
    for _i in range(args.users):  # 40/40/10/10 by largest remainder
        counts[min(ROLES, key=lambda r: counts[r[0]] / r[1])[0]] += 1
    print(f"Machine: {machine()}")
    print(f"== {size:,} enterprises: {prepare(size, media, fresh=args.fresh)}", flush=True)
    started = time.perf_counter()
    world = run_setup(size, media, counts, args.as_of)
    world["skip"] = {a.strip() for a in args.skip.split(",") if a.strip()}
    world["only"] = {a.strip() for a in args.only.split(",") if a.strip()}
    print(
        f"   set-up in {time.perf_counter() - started:.0f} s: users {counts}, district snapshots computed "
        f"{world['snapshots_made'] or 'none (kept)'}",
        flush=True,
    )
    env = server_env(size, media)
    collect_static(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = media / "logs"
    logs.mkdir()
    gunicorn = start(
        [str(VENV_BIN / "gunicorn"), "songjiang_pilot.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--timeout", "60"],
        env, logs / "gunicorn.log",
    )  # fmt: skip
    # The worker's CPU weight as docker-compose gives it (cpu_shares 256 against web's 1024): nice 6
    # is weight 272 against 1024 in the Linux scheduler; --worker-nice 0 runs it as web's equal.
    worker = start(
        ["nice", "-n", str(args.worker_nice), str(VENV_BIN / "celery"), "-A", "songjiang_pilot", "worker",
         "-l", "warning", "--concurrency", "2"],
        env, logs / "celery.log",
    )  # fmt: skip
    try:
        wait_ready(base)
        print(f"   gunicorn ({args.workers} workers) on {base}, Celery worker (2 processes, nice {args.worker_nice}); {args.users} users, "
              f"{args.duration} s, think time {args.think} s ± 50%; left out: {sorted(world['skip']) or 'nothing'}",
              flush=True)  # fmt: skip
        if args.duration > 0:
            users_run(args, world, base, size, logs)
        for path in [p.strip() for p in args.wrk.split(",") if p.strip()]:
            wrk_run(base, world, path, args.wrk_connections, args.wrk_duration, media)
    finally:
        stop(gunicorn)
        stop(worker)
        shutil.rmtree(media, ignore_errors=True)


#: wrk's report as JSON: latency percentiles (µs), requests, errors by kind (non-2xx/3xx statuses included).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "seconds": %f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, '
    .. '"max": %d, "mean": %f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_run(base, world, path, connections, duration, media):
    """``wrk`` (Debian's, in C: its own CPU is negligible) against one page, closed loop: each of
    ``connections`` connections sends its next request as soon as the last one is answered, all
    logged in as one district official (the session cookie of a real log-in)."""
    import requests

    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    user = next(u for u in world["users"] if u["role"] == "district")
    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=30)
    answer = session.post(
        base + "/accounts/login/",
        data={"username": user["username"], "password": PASSWORD,
              "csrfmiddlewaretoken": session.cookies.get("sjp_csrftoken", "")},
        allow_redirects=False, timeout=30,
    )  # fmt: skip
    if answer.status_code != 302:
        raise SystemExit(f"wrk: the log-in of {user['username']} answered {answer.status_code}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    if session.get(base + path, timeout=60).status_code != 200:  # warm, and checks the cookie works
        raise SystemExit(f"wrk: {path} does not answer 200 to the logged-in session")
    script = media / "report.lua"
    script.write_text(WRK_SCRIPT)
    command = [binary, "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s",
               "-s", str(script), "-H", f"Cookie: {cookie}", base + path]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)  # noqa: S603
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    w = json.loads(line[4:])
    errors = w["connect"] + w["read"] + w["write"] + w["status"] + w["timeout"]
    print(
        f"\nwrk, {connections} connections in a closed loop for {duration} s, GET {path} as {user['username']}:\n"
        f"| requests | errors | throughput | median ms | p90 ms | p95 ms | p99 ms | max ms |\n"
        f"|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        f"| {w['requests']:,} | {errors} | {w['requests'] / w['seconds']:.1f}/s | {w['p50'] / 1000:.0f} |"
        f" {w['p90'] / 1000:.0f} | {w['p95'] / 1000:.0f} | {w['p99'] / 1000:.0f} | {w['max'] / 1000:.0f} |",
        flush=True,
    )
    if errors:
        print(f"   wrk errors: {w}")


def users_run(args, world, base, size, logs):
    """The virtual users: ``args.users`` threads for ``args.duration`` seconds; prints the report."""
    rec = Recorder()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    deadline = time.monotonic() + args.duration
    load_started = time.perf_counter()
    load_started_monotonic = time.monotonic()
    threads = []
    for n, info in enumerate(world["users"]):
        user = VirtualUser(base, info, world, rec, deadline, args.think, seed=n)
        thread = threading.Thread(target=user.run, daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # log-ins spread over the first seconds, not one burst
    for thread in threads:
        thread.join(timeout=args.duration + 200)
    elapsed = time.perf_counter() - load_started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    window = int(time.perf_counter() - load_started) + 60
    sql = f"SELECT coalesce(string_agg(status || ' ' || n, ', '), 'none') FROM (SELECT status, count(*) n FROM reports_reportsnapshot WHERE trigger = 'request' AND requested_at > now() - interval '{window} seconds' GROUP BY status) s"  # noqa: S608 - an int
    backlog = psql(sql, database(size))
    report(rec, elapsed, cpu, backlog, load_started_monotonic)
    server_errors = [
        ln for ln in (logs / "gunicorn.log").read_text().splitlines() if re.search(r"Traceback|ERROR|CRITICAL", ln)
    ]
    print(
        f"gunicorn log: {len(server_errors)} error lines"
        + (f"; first: {server_errors[0][:300]}" if server_errors else ""),
        flush=True,
    )


def run_setup(size, media, counts, as_of):
    """The set-up child's answer: users, snapshots, rosters, filter values (JSON)."""
    spec = {"counts": counts, "media": str(media), "as_of": as_of}
    command = [sys.executable, str(Path(__file__).resolve()), "--setup-child", json.dumps(spec)]
    result = subprocess.run(  # noqa: S603 - this script, fixed arguments
        command, cwd=ROOT, env=child_env(size, media), capture_output=True, text=True, timeout=1800
    )
    if result.returncode != 0:
        raise SystemExit(f"set-up failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
