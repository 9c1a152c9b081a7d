"""List benchmark: the enterprise list page and ``GET /api/v1/enterprises/`` with every filter, as a
district official and as unit staff, at 520, 10,000 and 100,000 enterprises (plus the project and
diagnosis list pages).

    .venv/bin/python bench/lists.py                                # 520, 10,000 and 100,000
    .venv/bin/python bench/lists.py --sizes 520 --requests 5       # a quick try
    .venv/bin/python bench/lists.py --sizes 100000 --fresh         # restore the dump again first

Each size gets its own PostgreSQL database ``songjiang_h8_bench_<N>`` (psql on 127.0.0.1 as postgres),
restored from ``var/bench/scale-<N>.dump`` (made by ``bench/indicators.py`` / ``manage.py
generate_scale --dump``) and migrated; it is kept between runs (``--fresh`` restores it again,
``--drop`` drops it at the end). It is not ``bench/indicators.py``'s database, which that script
drops and restores whenever it runs.

Measured per size in a fresh child process with ``DEBUG`` off (``songjiang_pilot.settings.base``, so
the portal's ``jit=off`` connection option applies): for each case, one warm-up request, then
``--requests`` sequential requests through Django's test ``Client`` logged in as the viewer; the SQL
queries of one request (counted with an ``execute_wrapper``: Django empties ``connection.queries``
when a request starts), the median and the p95 (nearest rank) of the wall times, the response status.
Cases: no filter, each filter of ``EnterpriseFilter`` (unit, status, sector, scale, size, tier, level,
cloud, search by name and by partial credit code, sort), page 2 and the last page, as the district
official and as the staff of one unit; the same on the API (``?page=``; the API orders by unit, name);
the project list and the diagnosis list pages (first and last page); the drill-downs
(``/reports/indicators/<n>/``, ``--drilldowns``) district-wide and for one unit, with
``--drilldown-requests`` timed requests (they take seconds district-wide at 100,000).

The figure to read: the query count of a case must be the same at every size and on every page
(no N+1), and the p95 should stay within 300 ms at 100,000 (issue 7).
"""

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    ROOT,
    QueryCounter,
    child_env,  # noqa: F401 - bench/load_test.py and bench/pages.py import it from here
    database,
    machine,
    percentile,
    prepare,
    psql,
    run_child,
)

PAGE = 50


# --- the child --------------------------------------------------------------------------------------


def request_stats(client, url, requests):
    """Queries of one request, median and p95 (ms) of ``requests`` timed requests after a warm-up."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    if response.status_code != 200:
        return {"status": response.status_code, "queries": counter.count, "median": None, "p95": None}
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return {"status": response.status_code, "queries": counter.count, "median": None, "p95": None}
    return {
        "status": 200,
        "queries": counter.count,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "bytes": len(response.content),
    }


def cases(viewer):
    """(case name, query string) for the viewer: every filter, page 2 and the last page."""
    from core.selectors import unit_list
    from enterprises.choices import Scale, Sector, Size, Status, Tier
    from enterprises.selectors import enterprise_list

    scope = enterprise_list(viewer=viewer)
    total = scope.count()
    sample = scope.order_by("pk")[total // 2]
    unit = viewer.unit or list(unit_list())[3]
    last = max(1, math.ceil(total / PAGE))
    return total, [
        ("no filter, page 1", ""),
        ("unit", f"unit={unit.code}"),
        ("status=proposed", f"status={Status.PROPOSED}"),
        ("sector", f"sector={Sector.values[0]}"),
        ("scale", f"scale={Scale.values[0]}"),
        ("size", f"size={Size.values[-1]}"),
        ("tier", f"tier={Tier.values[-1]}"),
        ("level=2", "level=2"),
        ("cloud=yes", "cloud=yes"),
        ("search, name", "search=" + sample.name[2:5]),
        ("search, credit code", "search=" + sample.credit_code[4:12]),
        ("sort=-revenue", "sort=-revenue"),
        ("page 2", f"page={min(2, last)}"),
        (f"last page ({last})", f"page={last}"),
        ("sector + status + sort", f"sector={Sector.values[0]}&status={Status.ACTIVE}&sort=name"),
    ]


def child(spec):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from core.selectors import unit_list
    from diagnostics.selectors.diagnoses import diagnosis_filtered
    from funding.selectors import project_filtered

    requests = spec["requests"]
    unit = list(unit_list())[0]
    viewers = {"district official": User.objects.get(username="district"), "unit staff": None}
    viewers["unit staff"] = User.objects.get(username=f"unit_{unit.code}")
    out = {"rows": {}, "cases": []}
    for label, user in viewers.items():
        client = Client()
        client.force_login(user)
        total, viewer_cases = cases(user)
        out["rows"][label] = total
        for name, query in viewer_cases:
            for endpoint, base in (("page", "/enterprises/"), ("API", "/api/v1/enterprises/")):
                stats = request_stats(client, f"{base}?{query}" if query else base, requests)
                out["cases"].append({"viewer": label, "endpoint": endpoint, "case": name, **stats})
        for number in spec["drilldowns"]:
            for scope, query in (("district-wide", ""), ("one unit", f"?unit={unit.code}")):
                if label == "unit staff" and scope == "district-wide":
                    continue
                stats = request_stats(client, f"/reports/indicators/{number}/{query}", spec["drilldown_requests"])
                out["cases"].append({"viewer": label, "endpoint": "drill-down", "case": f"{number}, {scope}", **stats})
        for endpoint, base, filtered in (
            ("projects page", "/funding/projects/", project_filtered),
            ("diagnoses page", "/diagnoses/", diagnosis_filtered),
        ):
            count = filtered(viewer=user, params={})[1].count()
            last = max(1, math.ceil(count / PAGE))
            for name, query in (("page 1", ""), (f"last page ({last})", f"?page={last}")):
                stats = request_stats(client, base + query, requests)
                out["cases"].append({"viewer": label, "endpoint": endpoint, "case": name, **stats})
    return out


# --- the parent -------------------------------------------------------------------------------------


def cell(stats):
    if stats["median"] is None:
        return f"HTTP {stats['status']}"
    return f"{stats['queries']} q · {stats['median']:.0f} / {stats['p95']:.0f}"


def report(results, sizes):
    """One markdown table: a row per case, per size the queries and median / p95 (ms)."""
    header = "| viewer | endpoint | case | " + " | ".join(f"{s:,}" for s in sizes) + " |"
    print("\nQueries of one request · median / p95 of the wall time in ms:\n")
    print(header)
    print("|" + "---|" * 3 + "---:|" * len(sizes))
    first = results[sizes[0]]["cases"]
    for i, case in enumerate(first):
        name = case["case"].split(" (")[0] if case["case"].startswith("last page") else case["case"]
        cells = [cell(results[s]["cases"][i]) for s in sizes]
        print(f"| {case['viewer']} | {case['endpoint']} | {name} | " + " | ".join(cells) + " |")
    for size in sizes:
        cases_ = results[size]["cases"]
        by_endpoint = {}
        for c in cases_:
            if c["endpoint"] in ("page", "API"):
                by_endpoint.setdefault((c["viewer"], c["endpoint"]), set()).add(c["queries"])
        worst = max(cases_, key=lambda c: c["p95"] or 0)
        print(
            f"\n{size:,}: rows in scope {results[size]['rows']}; query counts per viewer and endpoint "
            f"{ {f'{v}/{e}': sorted(q) for (v, e), q in by_endpoint.items()} }; "
            f"worst p95 {worst['p95']:.0f} ms ({worst['viewer']}, {worst['endpoint']}, {worst['case']})"
        )
    constant = all([c["queries"] for c in results[s]["cases"]] == [c["queries"] for c in first] for s in sizes)
    print(f"\nQuery count of every case the same at every size: {constant}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="520,10000,100000")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case (median, p95)")
    parser.add_argument("--drilldowns", default="1+2,5,8,R1", help="indicators whose records page is measured")
    parser.add_argument("--drilldown-requests", type=int, default=3, help="timed requests per drill-down")
    parser.add_argument("--fresh", action="store_true", help="restore the databases from their dumps again")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark databases at the end")
    parser.add_argument("--prepare-only", action="store_true", help="restore (or keep) the databases only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    media = Path(tempfile.mkdtemp(prefix="lists-bench-"))
    print(f"Machine: {machine()}")
    results = {}
    try:
        for size in sizes:
            print(f"== {size:,} enterprises: {prepare(size, media, fresh=args.fresh)}", flush=True)
            if args.prepare_only:
                continue
            started = time.perf_counter()
            spec = {
                "requests": args.requests,
                "drilldowns": [n for n in args.drilldowns.split(",") if n],
                "drilldown_requests": args.drilldown_requests,
            }
            results[size] = run_child(Path(__file__).resolve(), size, media, spec)
            print(f"   measured in {time.perf_counter() - started:.0f} s", flush=True)
        if results:
            report(results, sizes)
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if args.drop:
            for size in sizes:
                psql(f"DROP DATABASE IF EXISTS {database(size)}")


if __name__ == "__main__":
    main()
