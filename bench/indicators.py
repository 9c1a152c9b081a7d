"""Indicator benchmark: the full indicator table, the dashboard and the snapshot PDF at 520, 10,000 and
100,000 enterprises, against hand-written SQL aggregates and WeasyPrint alone.

    .venv/bin/python bench/indicators.py                         # 520, 10,000 and 100,000
    .venv/bin/python bench/indicators.py --sizes 520,10000 --requests 20
    .venv/bin/python bench/indicators.py --sizes 100000 --prepare-only   # generate (or restore) only

Each size gets its own PostgreSQL database ``songjiang_bench_<N>`` (psql on 127.0.0.1 as postgres),
filled by ``manage.py generate_scale --enterprises N --as-of 2026-11-25`` (``demo.scale``) the
first time and dumped to ``var/bench/scale-<N>.dump`` (``pg_dump -Fc``); later runs restore the dump
(and migrate, in case the schema moved on) instead of regenerating. ``--drop`` drops the databases
at the end (the dumps stay). The measurements of one size run in a fresh child process with
``DEBUG`` off (as in production), on the settings of ``songjiang_pilot.settings.base``.

Measured per size (median of ``--repeat`` runs after one warm-up; queries counted with
``CaptureQueriesContext``):

* ``compute``: ``reports.selectors.indicators.compute`` for the running total, district-wide and for one unit;
  ``compute_by_unit``; ``reports.selectors.indicators.indicator_report_for_scope`` district-wide for each of the
  three periods (2025, 2026, total);
* the baseline: one hand-written SQL aggregate per indicator for 1+2 (with 1 and 2), 5, 8 and R1,
  each checked against ``compute``'s value; the ratio is compute's time for all 17 numbers over the
  sum of those four aggregates;
* ``dashboard``: ``GET /reports/indicators/`` through Django's test ``Client`` logged in as the
  district official: queries of one request, median and p95 of ``--requests`` requests, first with
  no snapshot (everything computed live), then with a finished district snapshot of each period
  (made by calling ``reports.services.snapshots.snapshot_compute`` synchronously, whose time is reported);
* ``pdf``: ``reports.rendering.snapshots.render_snapshot_pdf`` of the total snapshot, and WeasyPrint alone
  rendering the very HTML it produced (the floor).

``compute`` and ``compute_by_unit`` are also measured with PostgreSQL's JIT off for the session
(``[jit off]``; the portal's own connections run with ``jit=off`` since the fixes, so these rows now
read the same as the others). Dashboard cases whose requests would run past ``--timeout`` (the
statement timeout) are reported, not waited for. The measurements run in two children per size:
``compute`` and ``dashboard``.
"""

import argparse
import functools
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    DUMPS,
    ROOT,
    QueryCounter,
    machine,
    manage,
    pdf_facts,
    percentile,
    prepare,
    psql,
    run_child,
    timed,
    weasyprint_recorded,
)

AS_OF = "2026-11-25"
SEED = "songjiang-scale"


def database(size):
    """This script's own database of the size (not ``bench/lists.py``'s: it is dropped at every run)."""
    return f"songjiang_bench_{size}"


def prepare_generated(size, media):
    """The size's database, restored afresh from its cached dump when there is one (then migrated),
    else generated and dumped. Returns a line saying which, with the time it took."""
    if (DUMPS / f"scale-{size}.dump").is_file():
        return prepare(size, media, fresh=True, database_name=database(size))
    name = database(size)
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    started = time.perf_counter()
    manage(size, media, "migrate", "--noinput", "-v", "0", database_name=name)
    dump = DUMPS / f"scale-{size}.dump"
    command = ("generate_scale", "--enterprises", str(size), "--seed", SEED, "--as-of", AS_OF, "--dump", str(dump))
    out = manage(size, media, *command, database_name=name)
    lines = [line for line in out.splitlines() if not line.strip().endswith("enterprises") or "Generated" in line]
    return "generated and dumped in {:.1f} s:\n{}".format(time.perf_counter() - started, "\n".join(lines))


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
            print(f"\n== {size:,} enterprises: {prepare_generated(size, media)}")
            if args.prepare_only:
                continue
            spec = {"repeat": args.repeat, "requests": args.requests, "timeout": args.timeout}
            measure = functools.partial(run_child, Path(__file__).resolve(), size, media, database_name=database(size))
            report_compute(measure({**spec, "phase": "compute"}))
            report_dashboard(measure({**spec, "phase": "dashboard"}))
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
            f"   (first request: {d['queries_first']} queries)"
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


def child(spec):
    sys.path.insert(0, str(ROOT))
    import datetime

    import django

    django.setup()
    from diagnostics.models import Assessment
    from enterprises.models import Enterprise
    from funding.models import Disbursement, Project
    from reports.models import ReportingPeriod
    from reports.selectors import indicators
    from reports.selectors.indicators import indicator_report_for_scope

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
        median, queries, result, runs = timed(function, repeat, slow=SLOW)
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
    # PostgreSQL's JIT compiles these wide aggregate queries (their estimated cost is above
    # jit_above_cost) for longer than they run: the same computations with it off.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    record("compute, total, district [jit off]", lambda: indicators.compute(**total))
    record("compute_by_unit, total [jit off]", lambda: indicators.compute_by_unit(**total))
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

    from reports.selectors import indicators

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

        median, _queries, row, _runs = timed(run, repeat, slow=SLOW)
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
    warm = QueryCounter()
    for _ in range(requests if not times else 0):
        warm.count = 0
        started = time.perf_counter()
        with connection.execute_wrapper(warm):
            response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return {
        # The first request reads the snapshots' JSON and fills the cache; the next ones read metadata only.
        "queries": counter.count if len(times) == 1 and first > SLOW else warm.count,
        "queries_first": counter.count,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "requests": requests,
        "bytes": len(response.content),
    }


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
    """The budget-line figures, the dashboard computed live and from snapshots, the snapshots, the PDF."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from funding import balances
    from reports.models import ReportSnapshot
    from reports.rendering.snapshots import render_snapshot_pdf
    from reports.services.snapshots import snapshot_compute

    requests, repeat = spec["requests"], spec["repeat"]
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = %s", [spec["timeout"] * 1000])
    district = User.objects.get(username="district")
    ReportSnapshot.objects.all().delete()
    client = Client()
    client.force_login(district)
    url = "/reports/indicators/"
    seconds, _rows = _with_timeout(lambda: list(balances.lines_with_figures()))
    money = {"funding.balances.lines_with_figures": {"seconds": seconds}}
    dashboard = {"no snapshot (computed live)": _request_stats(client, url, requests)}
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
    dashboard["from snapshots (one per period)"] = _request_stats(client, url, requests)
    if "total" not in made:
        return {"money": money, "dashboard": dashboard, "snapshots": snapshots, "pdf": None}

    # The PDF: the portal's rendering, then WeasyPrint alone on the very HTML the portal produced.
    snapshot = made["total"]
    with weasyprint_recorded() as weasyprint_alone:
        portal, _queries, pdf, _runs = timed(lambda: render_snapshot_pdf(snapshot), repeat, slow=SLOW)
    alone, _queries, _pdf, _runs = timed(weasyprint_alone, repeat, slow=SLOW)
    pdf_figures = {"portal": portal, "weasyprint": alone, "bytes": len(pdf), "pages": pdf_facts(pdf)["pages"]}
    return {"money": money, "dashboard": dashboard, "snapshots": snapshots, "pdf": pdf_figures}


if __name__ == "__main__":
    main()
