"""Indicator benchmark: the full indicator table, the dashboard and the snapshot PDF at 520, 10,000 and
100,000 enterprises, against hand-written SQL aggregates and WeasyPrint alone.

    .venv/bin/python bench/indicators.py                         # 520, 10,000 and 100,000
    .venv/bin/python bench/indicators.py --sizes 520,10000 --requests 20
    .venv/bin/python bench/indicators.py --sizes 100000 --prepare-only   # generate (or restore) only

Each size gets its own PostgreSQL database ``songjiang_bench_<N>`` (psql on 127.0.0.1 as postgres),
filled by ``manage.py generate_scale --enterprises N --as-of 2026-11-25`` (``reports.scale``) the
first time and dumped to ``var/bench/scale-<N>.dump`` (``pg_dump -Fc``); later runs restore the dump
(and migrate, in case the schema moved on) instead of regenerating. ``--drop`` drops the databases
at the end (the dumps stay). The measurements of one size run in a fresh child process with
``DEBUG`` off (as in production), on the settings of ``songjiang_pilot.settings.base``.

Measured per size (median of ``--repeat`` runs after one warm-up; queries counted with
``CaptureQueriesContext``):

* ``compute``: ``reports.indicators.compute`` for the running total, district-wide and for one unit;
  ``compute_by_unit``; ``reports.selectors.indicator_report_for_scope`` district-wide for each of the
  three periods (2025, 2026, total);
* the baseline: one hand-written SQL aggregate per indicator for 1+2 (with 1 and 2), 5, 8 and R1,
  each checked against ``compute``'s value; the ratio is compute's time for all 17 numbers over the
  sum of those four aggregates;
* ``dashboard``: ``GET /reports/indicators/`` through Django's test ``Client`` logged in as the
  district official: queries of one request, median and p95 of ``--requests`` requests, first with
  no snapshot (everything computed live), then with a finished district snapshot of each period
  (made by calling ``reports.snapshots.snapshot_compute`` synchronously, whose time is reported);
* ``pdf``: ``reports.snapshots.render_snapshot_pdf`` of the total snapshot, and WeasyPrint alone
  rendering the very HTML it produced (the floor).

Beside the code as it stands, the fixes proposed in ``bench/README.md`` are measured by swapping a
function in the child process (every value they give is compared with the current code's):
``proposed_enterprise_base`` (the indicator facts as grouped aggregates), the same computations with
PostgreSQL's JIT off, and ``proposed_lines_with_figures`` (the budget-line figures without GROUP BY).
Dashboard cases whose requests would run past ``--timeout`` (the statement timeout) are reported, not
waited for. The measurements run in two children per size: ``compute`` and ``dashboard``.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMPS = ROOT / "var" / "bench"
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres", "password": "postgres"}
AS_OF = "2026-11-25"
SEED = "songjiang-scale"


def database(size):
    return f"songjiang_bench_{size}"


def database_url(size):
    return f"postgres://{PG['user']}:{PG['password']}@{PG['host']}:{PG['port']}/{database(size)}"


def child_env(size, media):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_"))}
    env.update(
        DATABASE_URL=database_url(size),
        DJANGO_SETTINGS_MODULE="songjiang_pilot.settings.base",
        PORTAL_VAR_DIR=str(media),
        DJANGO_LOG_LEVEL="WARNING",
        # As in production: with DEBUG on, Django keeps every query's SQL and serves static files itself.
        DJANGO_DEBUG="false",
        PGPASSWORD=PG["password"],
    )
    env.pop("REDIS_URL", None)
    return env


def psql(sql, database_name="postgres"):
    binary = shutil.which("psql")
    if binary is None:
        raise SystemExit("psql is needed to create the benchmark databases")
    command = [binary, "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", database_name, "-qtAc", sql]
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        command, env={**os.environ, "PGPASSWORD": PG["password"]}, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def manage(size, media, *args):
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
        command, cwd=ROOT, env=child_env(size, media), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result.stdout


def prepare(size, media):
    """The size's database, from its cached dump when there is one (then migrated), else generated
    and dumped. Returns a line saying which, with the time it took."""
    dump = DUMPS / f"scale-{size}.dump"
    psql(f"DROP DATABASE IF EXISTS {database(size)}")
    psql(f"CREATE DATABASE {database(size)}")
    started = time.perf_counter()
    if dump.is_file():
        manage(size, media, "generate_scale", "--restore", str(dump))
        manage(size, media, "migrate", "--noinput", "-v", "0")
        psql("ANALYZE", database(size))
        return f"restored {dump.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s"
    manage(size, media, "migrate", "--noinput", "-v", "0")
    out = manage(
        size, media, "generate_scale", "--enterprises", str(size), "--seed", SEED, "--as-of", AS_OF, "--dump", str(dump)
    )
    lines = [line for line in out.splitlines() if not line.strip().endswith("enterprises") or "Generated" in line]
    return "generated and dumped in {:.1f} s:\n{}".format(time.perf_counter() - started, "\n".join(lines))


def measure(size, media, args):
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps({"size": size, **args})]
    result = subprocess.run(  # noqa: S603 - this script, fixed arguments
        command, cwd=ROOT, env=child_env(size, media), capture_output=True, text=True, timeout=7200
    )
    if result.returncode != 0:
        raise SystemExit(f"measurement at {size} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine():
    cpu = "unknown CPU"
    memory_gb = 0
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
        memory = next(t for t in Path("/proc/meminfo").read_text().splitlines() if t.startswith("MemTotal"))
        memory_gb = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {psql('SHOW server_version')} (local TCP)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="520,10000,100000")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each computation (median)")
    parser.add_argument("--requests", type=int, default=20, help="dashboard requests per case (median, p95)")
    parser.add_argument(
        "--timeout", type=int, default=120, help="statement timeout (s) of the dashboard and snapshot phase"
    )
    parser.add_argument("--prepare-only", action="store_true", help="generate or restore the databases only")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark databases at the end")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    media = Path(tempfile.mkdtemp(prefix="indicator-bench-"))
    print(f"Machine: {machine()}")
    try:
        for size in sizes:
            print(f"\n== {size:,} enterprises: {prepare(size, media)}")
            if args.prepare_only:
                continue
            spec = {"repeat": args.repeat, "requests": args.requests, "timeout": args.timeout}
            report_compute(measure(size, media, {**spec, "phase": "compute"}))
            report_dashboard(measure(size, media, {**spec, "phase": "dashboard"}))
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if args.drop:
            for size in sizes:
                psql(f"DROP DATABASE IF EXISTS {database(size)}")


def report_compute(r):
    print(f"   rows: {r['rows']}")
    print(f"   {'what':<48} {'queries':>7} {'median':>10}")
    for name, m in r["timings"].items():
        runs = "   (1 run: too slow to repeat)" if m["single"] else ""
        print(f"   {name:<48} {m['queries']:>7} {m['median'] * 1000:>8.0f} ms{runs}")
    print(f"   [proposed] gives the same values (district, unit, three periods, by unit): {r['proposed_agrees']}")
    base = r["baseline"]
    for name, m in base["aggregates"].items():
        agrees = "agrees" if m["agrees"] else f"DIFFERS from compute ({m['compute']})"
        print(f"   baseline SQL {name:<35} {1:>7} {m['median'] * 1000:>8.1f} ms   {m['value']} ({agrees})")
    print(
        f"   baseline: 4 aggregates {base['sum'] * 1000:.0f} ms; compute (17 numbers) {base['compute'] * 1000:.0f} ms;"
        f" ratio compute ÷ aggregates = {base['compute'] / base['sum']:.1f}"
    )


def report_dashboard(r):
    for name, m in r["money"].items():
        shown = f"{m['seconds'] * 1000:>8.0f} ms" if m["seconds"] is not None else "timed out"
        print(f"   {name:<56} {shown}")
    for case, d in r["dashboard"].items():
        if d.get("skipped"):
            print(f"   dashboard {case:<38} not measured: {d['skipped']}")
            continue
        print(
            f"   dashboard {case:<38} {d['queries']:>7} {d['median'] * 1000:>8.0f} ms   p95 {d['p95'] * 1000:.0f} ms"
            f" ({d['requests']} requests, {d['bytes'] / 1000:.0f} kB)"
        )
    for name, m in r["snapshots"].items():
        print(f"   snapshot_compute {name:<31} {m['queries']:>7} {m['seconds'] * 1000:>8.0f} ms   {m['status']}")
    pdf = r["pdf"]
    if pdf is None:
        print("   PDF: no finished snapshot to render")
        return
    print(
        f"   PDF render_snapshot_pdf {pdf['portal'] * 1000:.0f} ms, WeasyPrint alone on the same HTML"
        f" {pdf['weasyprint'] * 1000:.0f} ms (ratio {pdf['portal'] / pdf['weasyprint']:.2f}; {pdf['pages']} pages,"
        f" {pdf['bytes'] / 1000:.0f} kB)"
    )


# --- The child: the measurements of one size ---------------------------------------------------------------


#: A computation whose warm-up run takes longer than this is not repeated: its one run is the figure.
SLOW = 10.0


def timed(function, repeat):
    """(median seconds, queries of one run, last result, runs): one warm-up run (counted), then
    ``repeat`` timed runs; a warm-up slower than :data:`SLOW` seconds is the only run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        result = function()
        warm = time.perf_counter() - started
    if warm > SLOW:
        return warm, len(context.captured_queries), result, 1
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(context.captured_queries), result, repeat


def child(spec):
    sys.path.insert(0, str(ROOT))
    import datetime

    import django

    django.setup()
    from diagnostics.models import Assessment
    from enterprises.models import Enterprise
    from funding.models import Disbursement, Project
    from reports import indicators
    from reports.models import ReportingPeriod
    from reports.selectors import indicator_report_for_scope

    repeat = spec["repeat"]
    as_of = datetime.date.fromisoformat(AS_OF)
    periods = {p.code: p for p in ReportingPeriod.objects.order_by("order")}
    if spec["phase"] == "dashboard":
        return dashboard_and_pdf(spec, periods, as_of)
    total = {"start": indicators.PILOT_START, "end": as_of, "as_of": as_of}
    from core.selectors import unit_list

    unit = list(unit_list())[0]
    out = {
        "rows": ", ".join(
            f"{label} {model.objects.count():,}"
            for label, model in (
                ("enterprises", Enterprise),
                ("assessments", Assessment),
                ("projects", Project),
                ("disbursements", Disbursement),
            )
        ),
        "timings": {},
    }

    def record(name, function):
        median, queries, result, runs = timed(function, repeat)
        out["timings"][name] = {"median": median, "queries": queries, "single": runs == 1 and repeat > 1}
        return median, result

    compute_time, actuals = record("compute, total, district", lambda: indicators.compute(**total))
    record(f"compute, total, unit {unit.code}", lambda: indicators.compute(**total, unit=unit))
    record("compute_by_unit, total", lambda: indicators.compute_by_unit(**total))
    for code, period in periods.items():
        record(
            f"indicator_report_for_scope, {code}, district",
            lambda period=period: indicator_report_for_scope(period=period, unit=None, as_of=as_of),
        )
    # The fix proposed for the slow query (see README): the same rules over a base queryset whose facts
    # are grouped aggregates of joins (computed once per enterprise) instead of correlated subqueries,
    # which PostgreSQL repeats for every reference once it flattens the subquery of the aggregate.
    # Measured beside the current code; every value compared.
    current_base = indicators.enterprise_base
    indicators.enterprise_base = proposed_enterprise_base
    try:
        _t, proposed = record("compute, total, district [proposed]", lambda: indicators.compute(**total))
        _t, proposed_unit = record(
            f"compute, total, unit {unit.code} [proposed]", lambda: indicators.compute(**total, unit=unit)
        )
        # The other two periods are compared too where the current code is quick enough to run them again.
        compared = periods if spec["size"] <= 10_000 else {}
        by_period = {
            code: indicators.compute(start=p.start, end=p.end or as_of, as_of=as_of) for code, p in compared.items()
        }
    finally:
        indicators.enterprise_base = current_base
    current_by_period = {
        code: indicators.compute(start=p.start, end=p.end or as_of, as_of=as_of) for code, p in compared.items()
    }
    out["proposed_agrees"] = (
        proposed == actuals
        and proposed_unit == indicators.compute(**total, unit=unit)
        and by_period == current_by_period
    )
    # PostgreSQL's JIT compiles these wide aggregate queries (their estimated cost is above
    # jit_above_cost) for longer than they run: the same computations with it off.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    record("compute, total, district [jit off]", lambda: indicators.compute(**total))
    record("compute_by_unit, total [jit off]", lambda: indicators.compute_by_unit(**total))
    by_unit = indicators.compute_by_unit(**total)
    indicators.enterprise_base = proposed_enterprise_base
    try:
        record("compute, total, district [proposed, jit off]", lambda: indicators.compute(**total))
        _t, proposed_by_unit = record(
            "compute_by_unit, enterprise part [proposed, jit off]", lambda: proposed_unit_counts(**total)
        )
    finally:
        indicators.enterprise_base = current_base
    out["proposed_agrees"] = out["proposed_agrees"] and all(
        by_unit[u][n] == proposed_by_unit[u][f"n{n}"] for u in by_unit for n in indicators.ENTERPRISE_COUNTS
    )
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    out["baseline"] = baseline(actuals, compute_time, as_of, repeat)
    return out


#: Conditions every enterprise count shares: a pilot enterprise, still in the list at the as-of date.
LISTED = "e.size <> 'large' AND (e.status = 'active' OR (e.status = 'withdrawn' AND e.withdrawn_on > %(as_of)s))"
SQL_TEMPLATES = {
    "1+2 (1, 2)": """
        WITH fp AS (
            SELECT p.enterprise_id, MIN(a.accepted_on) AS first_pass
            FROM funding_acceptance a JOIN funding_project p ON p.id = a.project_id
            WHERE a.passed AND a.accepted_on >= %(pilot)s
            GROUP BY p.enterprise_id)
        SELECT COUNT(*), COUNT(*) FILTER (WHERE e.scale = 'above'), COUNT(*) FILTER (WHERE e.scale = 'below')
        FROM enterprises_enterprise e JOIN fp ON fp.enterprise_id = e.id
        WHERE @LISTED AND fp.first_pass BETWEEN %(first)s AND %(last)s
          AND EXISTS (SELECT 1 FROM diagnostics_diagnosis d
                      WHERE d.enterprise_id = e.id AND d.status = 'accepted' AND d.is_current)""",
    "5": """
        SELECT COUNT(*) FROM enterprises_enterprise e
        WHERE @LISTED AND e.cloud_verified_on BETWEEN %(first)s AND %(last)s""",
    "8": """
        WITH f4 AS (
            SELECT enterprise_id, MIN(evaluated_on) AS first4 FROM diagnostics_assessment
            WHERE method = 'onsite' AND status = 'submitted' AND stage = 'post' AND level = 4
            GROUP BY enterprise_id)
        SELECT COUNT(*) FROM enterprises_enterprise e JOIN f4 ON f4.enterprise_id = e.id
        WHERE @LISTED AND f4.first4 BETWEEN %(first)s AND %(last)s""",
    "R1": """
        WITH latest AS (
            SELECT DISTINCT ON (a.enterprise_id) a.enterprise_id, a.level
            FROM diagnostics_assessment a
            WHERE a.method = 'onsite' AND a.status = 'submitted' AND a.evaluated_on <= %(last)s
            ORDER BY a.enterprise_id, a.evaluated_on DESC, (a.stage = 'post') DESC, a.created_at DESC, a.id DESC)
        SELECT COUNT(*), COUNT(*) FILTER (WHERE l.level >= 2)
        FROM enterprises_enterprise e LEFT JOIN latest l ON l.enterprise_id = e.id
        WHERE @LISTED AND e.scale = 'above' AND e.sector IN ('high_end_equipment', 'auto_parts', 'electronics')""",
}
SQL = {name: sql.replace("@LISTED", LISTED) for name, sql in SQL_TEMPLATES.items()}


def baseline(actuals, compute_time, as_of, repeat):
    """One hand-written aggregate per indicator (1+2 with 1 and 2, 5, 8, R1), checked against compute."""
    from decimal import Decimal

    from django.db import connection

    from reports import indicators

    params = {"as_of": as_of, "pilot": indicators.PILOT_START, "first": indicators.PILOT_START, "last": as_of}
    expected = {
        "1+2 (1, 2)": (actuals["1+2"], actuals["1"], actuals["2"]),
        "5": (actuals["5"],),
        "8": (actuals["8"],),
        "R1": (actuals["R1"],),
    }
    aggregates = {}
    for name, sql in SQL.items():

        def run(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()

        median, _queries, row, _runs = timed(run, repeat)
        if name == "R1":
            value = indicators.ratio(row[1], row[0])
            got = (value,)
            shown = f"{row[1]:,} / {row[0]:,} = {value}"
        else:
            got = tuple(row)
            shown = " / ".join(f"{v:,}" for v in row)
        aggregates[name] = {
            "median": median,
            "value": shown,
            "agrees": tuple(Decimal(str(v)) if v is not None else None for v in got)
            == tuple(Decimal(str(v)) if v is not None else None for v in expected[name]),
            "compute": expected[name],
        }
    return {"aggregates": aggregates, "sum": sum(a["median"] for a in aggregates.values()), "compute": compute_time}


class QueryCounter:
    """Counts the queries run on the connection (``CaptureQueriesContext`` reads ``connection.queries``,
    which Django empties when a request starts, so it sees none of a test client's request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _request_stats(client, url, requests):
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        first, response = _with_timeout(lambda: client.get(url))
    if first is None:
        return {"skipped": "a statement ran past the statement timeout"}
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    times = []
    if first > SLOW:
        requests, times = 1, [first]  # too slow to repeat: the one request is the figure
    for _ in range(requests if not times else 0):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return {
        "queries": counter.count,
        "median": statistics.median(times),
        "p95": p95,
        "requests": requests,
        "bytes": len(response.content),
    }


def proposed_unit_counts(*, start, end, as_of):
    """The enterprise part of a proposed ``compute_by_unit`` over :func:`proposed_enterprise_base` (whose
    aggregates the ORM cannot group again): one aggregate with a count per unit and number,
    ``{unit_id: {"n1": …, "dR1": …}}`` (the recognitions part stays as it is)."""
    from django.db.models import Count, Q

    from core.models import OrgUnit
    from reports import indicators

    w = indicators.Window(start=start, end=end, as_of=as_of)
    listed = indicators.in_pilot_list(w)
    units = list(OrgUnit.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    aggregates = {}
    for unit_id in units:
        mine = Q(unit_id=unit_id) & listed
        for number, rule in indicators.ENTERPRISE_COUNTS.items():
            aggregates[f"u{unit_id}_n{number}"] = Count("pk", filter=mine & rule(w))
        for number, rule in indicators.ENTERPRISE_RATIOS.items():
            denominator, numerator = rule(w)
            aggregates[f"u{unit_id}_d{number}"] = Count("pk", filter=mine & denominator)
            aggregates[f"u{unit_id}_n{number}"] = Count("pk", filter=mine & numerator)
    row = indicators.enterprise_base(w).aggregate(**aggregates)
    return {u: {key[len(f"u{u}_") :]: value for key, value in row.items() if key.startswith(f"u{u}_")} for u in units}


def proposed_lines_with_figures(queryset=None):
    """The proposed ``funding.balances.lines_with_figures``: ``committed`` as a subquery like ``claimed``
    and ``paid``, so the query has no GROUP BY and each subquery runs once per budget line (as it
    stands, Django groups by the two subqueries, which PostgreSQL then runs once per commitment line)."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from funding import balances
    from funding.choices import CommitmentStatus, DisbursementStatus
    from funding.models import BudgetLine, CommitmentLine

    queryset = BudgetLine.objects.all() if queryset is None else queryset
    money = DecimalField(max_digits=16, decimal_places=2)
    committed = Subquery(
        CommitmentLine.objects.filter(budget_line=OuterRef("pk"), commitment__status=CommitmentStatus.ACTIVE)
        .order_by()
        .values("budget_line")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return queryset.select_related("source").annotate(
        committed=Coalesce(committed, Value(balances.ZERO), output_field=money),
        claimed=Coalesce(balances._disbursement_subquery(balances.CLAIMING), Value(balances.ZERO), output_field=money),
        paid=Coalesce(
            balances._disbursement_subquery((DisbursementStatus.PAID,)), Value(balances.ZERO), output_field=money
        ),
    )


def _with_timeout(function):
    """``(seconds, result)``, or ``(None, None)`` when a statement ran past the statement timeout."""
    from django.db.utils import OperationalError

    started = time.perf_counter()
    try:
        result = function()
    except OperationalError as exc:
        if "statement timeout" not in str(exc):
            raise
        return None, None
    return time.perf_counter() - started, result


def dashboard_and_pdf(spec, periods, as_of):
    """The dashboard as the code stands and with the budget-line fix, the snapshots, the PDF."""
    import weasyprint
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from funding import balances
    from reports.models import ReportSnapshot
    from reports.snapshots import render_snapshot_pdf, snapshot_compute

    requests, repeat, big = spec["requests"], spec["repeat"], spec["size"] > 10_000
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [spec["timeout"] * 1000])
    district = User.objects.get(username="district")
    ReportSnapshot.objects.all().delete()
    client = Client()
    client.force_login(district)
    url = "/reports/indicators/"
    current_lines = balances.lines_with_figures
    money = {}
    seconds, _rows = _with_timeout(lambda: list(current_lines()))
    money["funding.balances.lines_with_figures (as it stands)"] = {"seconds": seconds}
    seconds, _rows = _with_timeout(lambda: list(proposed_lines_with_figures()))
    money["funding.balances.lines_with_figures [proposed]"] = {"seconds": seconds}
    as_is_skipped = f"the budget-line query alone runs past {spec['timeout']} s" if big else None

    def both(label):
        if as_is_skipped:
            dashboard[label] = {"skipped": as_is_skipped}
        else:
            dashboard[label] = _request_stats(client, url, requests)
        balances.lines_with_figures = proposed_lines_with_figures
        try:
            dashboard[label + " [budget-line fix]"] = _request_stats(client, url, requests)
        finally:
            balances.lines_with_figures = current_lines

    dashboard = {}
    both("no snapshot (computed live)")
    snapshots = {}
    made = {}
    for code, period in periods.items():
        snapshot = ReportSnapshot.objects.create(period=period, unit=None, as_of=as_of, requested_by=district)
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            status = snapshot_compute(str(snapshot.pk))
            seconds = time.perf_counter() - started
        snapshot.refresh_from_db()
        snapshots[f"{code}, district (with its PDF)"] = {
            "seconds": seconds,
            "queries": len(context.captured_queries),
            "status": status if status == ReportSnapshot.Status.DONE else f"{status}: {snapshot.error[:200]}",
        }
        if status == ReportSnapshot.Status.DONE:
            made[code] = snapshot
    both("from snapshots (one per period)")
    if "total" not in made:
        return {"money": money, "dashboard": dashboard, "snapshots": snapshots, "pdf": None}

    # The PDF: the portal's rendering, then WeasyPrint alone on the very HTML the portal produced.
    snapshot = made["total"]
    captured = {}
    real = weasyprint.HTML

    class Spy(real):
        def __init__(self, *args, **kwargs):
            captured["init"] = (args, kwargs)
            super().__init__(*args, **kwargs)

        def write_pdf(self, *args, **kwargs):
            captured["write"] = (args, kwargs)
            return super().write_pdf(*args, **kwargs)

    weasyprint.HTML = Spy
    try:
        portal, _queries, pdf, _runs = timed(lambda: render_snapshot_pdf(snapshot), repeat)
    finally:
        weasyprint.HTML = real
    init_args, init_kwargs = captured["init"]
    write_args, write_kwargs = captured["write"]
    alone, _queries, _pdf, _runs = timed(
        lambda: real(*init_args, **init_kwargs).write_pdf(*write_args, **write_kwargs), repeat
    )
    pdf_figures = {"portal": portal, "weasyprint": alone, "bytes": len(pdf), "pages": pdf_pages(pdf)}
    return {"money": money, "dashboard": dashboard, "snapshots": snapshots, "pdf": pdf_figures}


def pdf_pages(pdf):
    binary = shutil.which("pdfinfo")
    if binary is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run([binary, handle.name], capture_output=True, text=True, check=False).stdout  # noqa: S603
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def proposed_enterprise_base(w):
    """The proposed ``reports.indicators.enterprise_base``: the same facts, as aggregates over joins
    grouped by enterprise (one hash join and one sort per table, whatever the number of
    enterprises) instead of correlated subqueries run for every enterprise and every reference."""
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Case, Exists, F, Func, IntegerField, Min, OuterRef, Q, Value, When

    from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
    from diagnostics.models import Diagnosis
    from enterprises.models import Enterprise
    from reports.indicators import PILOT_START, pilot_enterprise

    class First(Func):
        template = "(%(expressions)s)[1]"  # the first element of a PostgreSQL array
        output_field = IntegerField()

    qs = Enterprise.objects.filter(pilot_enterprise())
    if w.unit is not None:
        qs = qs.filter(unit=w.unit)
    onsite = Q(assessments__method=Method.ONSITE, assessments__status=AssessmentStatus.SUBMITTED)
    up_to_cut = onsite & Q(assessments__evaluated_on__lte=w.cut)
    latest_first = [
        F("assessments__evaluated_on").desc(),
        Case(When(assessments__stage=Stage.POST, then=Value(1)), default=Value(0)).desc(),
        F("assessments__created_at").desc(),
        F("assessments__id").desc(),
    ]
    passed = Q(projects__acceptances__passed=True, projects__acceptances__accepted_on__gte=PILOT_START)
    return qs.annotate(
        first_pass=Min("projects__acceptances__accepted_on", filter=passed),
        has_accepted_diagnosis=Exists(
            Diagnosis.objects.filter(enterprise=OuterRef("pk"), status=DiagnosisStatus.ACCEPTED, is_current=True)
        ),
        first_level4_post=Min(
            "assessments__evaluated_on", filter=onsite & Q(assessments__stage=Stage.POST, assessments__level=4)
        ),
        latest_level=First(ArrayAgg("assessments__level", filter=up_to_cut, ordering=latest_first)),
        latest_post_level=First(
            ArrayAgg("assessments__level", filter=up_to_cut & Q(assessments__stage=Stage.POST), ordering=latest_first)
        ),
    )


if __name__ == "__main__":
    main()
