"""Where a request's time goes: every page of the load test's mix, one request at a time, split into
SQL and Python (view, template, middleware), at 100,000 enterprises.

    .venv/bin/python bench/pages.py                          # 100,000, 20 requests a page
    .venv/bin/python bench/pages.py --size 520 --requests 5  # a quick try
    .venv/bin/python bench/pages.py --profile dashboard      # cProfile of one page: the top 30 functions

``bench/load_test.py`` measures the pages under 50 concurrent users, where queueing for the cores hides
what each page costs; this script gives the cost itself, which is what the load test's throughput is
made of (2 cores ÷ the mean cost per request = the requests a second the machine can serve).

It uses the load test's database (``songjiang_h8_bench_<N>``, restored from ``var/bench/scale-<N>.dump``
by ``bench/lists.py``'s ``prepare``) and its set-up (bench users, a finished district snapshot of each
period, one 20-row roster per unit), then in a child process with ``DEBUG`` off, Redis as the cache
(db 2, as the load test's servers) and the production settings' middleware (``songjiang_pilot.settings
.base``): for each page, one warm-up request, then ``--requests`` sequential requests through Django's
test ``Client`` logged in (``force_login``) as a user of the role the load test gives it. Per page:
queries of one request, median and p95 wall time, and the median SQL time (the queries' own durations,
measured by an ``execute_wrapper``) and the median of the rest (Python). The mean cost per request of
the load test's mix, weighted as it weights actions, is printed at the end with the throughput two
cores would give at 100% busy.
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lists import child_env, machine, percentile, prepare
from load_test import MIX, ROLES, run_setup

ROOT = Path(__file__).resolve().parent.parent


class SqlTimer:
    def __init__(self):
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def pages(world):
    """(action as the load test names it, role, method, path, data) for every page of the mix."""
    unit = world["units"][3]
    snapshot = world["snapshots"][-1]
    first = {role: next(u for u in world["users"] if u["role"] == role) for role, _share in ROLES}
    unit_user = next(u for u in world["users"] if u["role"] == "unit" and u["unit"] == unit)
    enterprise = unit_user["enterprises"][0]
    return [
        ("home", "district", "GET", "/", None),
        ("home", "unit", "GET", "/", None),
        ("dashboard", "district", "GET", "/reports/indicators/", None),
        ("dashboard", "unit", "GET", "/reports/indicators/", None),
        ("snapshot list", "district", "GET", "/reports/snapshots/", None),
        ("snapshot page", "district", "GET", f"/reports/snapshots/{snapshot}/", None),
        ("enterprise list", "district", "GET", "/enterprises/", None),
        ("enterprise list", "district", "GET", f"/enterprises/?search={world['filters']['search'][0]}", None),
        ("enterprise list", "district", "GET", f"/enterprises/?page={world['enterprises'] // 100}", None),
        ("enterprise list", "unit", "GET", "/enterprises/", None),
        ("enterprise API", "district", "GET", "/api/v1/enterprises/", None),
        ("enterprise API", "district", "GET", f"/api/v1/enterprises/?search={world['filters']['search'][0]}", None),
        ("enterprise page", "district", "GET", f"/enterprises/{enterprise}/", None),
        ("project list", "district", "GET", "/funding/projects/", None),
        ("project list", "unit", "GET", "/funding/projects/", None),
        *[("drill-down", "district", "GET", f"/reports/indicators/{n}/?unit={unit}", None) for n in ("1+2", "5", "R1")],
        ("drill-down", "district", "GET", "/reports/indicators/R1/", None),
        ("import preview", "unit", "POST", "/enterprises/import/", {"roster": world["rosters"][unit_user["unit"]]}),
    ], first, unit_user  # fmt: skip


def child(spec):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User

    world = spec["world"]
    cases, first, unit_user = pages(world)
    clients = {}
    for role in {c[1] for c in cases}:
        name = unit_user["username"] if role == "unit" else first[role]["username"]
        client = Client()
        client.force_login(User.objects.get(username=name))
        clients[role] = client

    def one(client, method, path, data):
        if method == "GET":
            return client.get(path)
        with open(data["roster"], "rb") as handle:
            return client.post(path, {"file": handle})

    if spec.get("profile"):
        action = spec["profile"]
        case = next(c for c in cases if c[0] == action)
        client = clients[case[1]]
        one(client, case[2], case[3], case[4])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(spec["requests"]):
            one(client, case[2], case[3], case[4])
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        out.write("\n-- by own time --\n")
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        return {"profile": out.getvalue(), "case": case[:4]}

    results = []
    for action, role, method, path, data in cases:
        if spec.get("only") and action not in spec["only"]:
            continue
        client = clients[role]
        response = one(client, method, path, data)  # warm-up
        walls, sqls, count = [], [], 0
        requests = spec["requests"] if not path.startswith("/reports/indicators/R1/") else min(3, spec["requests"])
        for _ in range(requests):
            timer = SqlTimer()
            started = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = one(client, method, path, data)
            walls.append((time.perf_counter() - started) * 1000)
            sqls.append(timer.seconds * 1000)
            count = timer.count
        results.append(
            {
                "action": action,
                "role": role,
                "path": path if method == "GET" else f"POST {path} (20-row xlsx)",
                "status": response.status_code,
                "queries": count,
                "median": statistics.median(walls),
                "p95": percentile(walls, 0.95),
                "sql": statistics.median(sqls),
                "python": statistics.median([w - s for w, s in zip(walls, sqls, strict=True)]),
                "bytes": len(response.content),
            }
        )
    return {"results": results}


def mix_cost(results):
    """The load test's mix weighted as it weights actions (roles 40/40/10/10), in ms a request."""
    by_action = {}
    for r in results:
        if r["path"].startswith("/reports/indicators/R1/"):
            continue  # district-wide drill-downs are not in the load test's mix
        by_action.setdefault((r["action"], r["role"]), []).append(r["median"])
    cost = weight_sum = 0.0
    for role, share in ROLES:
        mix = MIX[role]
        total = sum(w for _a, w in mix)
        for action, weight in mix:
            times = (
                by_action.get((action, role)) or by_action.get((action, "district")) or by_action.get((action, "unit"))
            )
            if not times:
                continue
            cost += share * weight / total * statistics.mean(times)
            weight_sum += share * weight / total
    return cost / weight_sum


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--as-of", default="2026-11-25")
    parser.add_argument("--profile", help="an action of the mix (e.g. dashboard): print its cProfile instead")
    parser.add_argument("--only", default="", help="actions to measure, comma-separated (default: all)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    import subprocess

    media = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    print(f"Machine: {machine()}")
    print(f"== {args.size:,} enterprises: {prepare(args.size, media)}", flush=True)
    counts = {"district": 2, "unit": 18, "finance": 1, "auditor": 1}
    world = run_setup(args.size, media, counts, args.as_of)
    env = child_env(args.size, media)
    env["REDIS_URL"] = "redis://127.0.0.1:6379/2"
    only = [a.strip() for a in args.only.split(",") if a.strip()]
    spec = {"world": world, "requests": args.requests, "profile": args.profile, "only": only}
    result = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "--child", json.dumps(spec)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"measurement failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    if args.profile:
        print(out["case"])
        print(out["profile"])
        return
    print("\n| page | viewer | path | queries | median ms | p95 ms | SQL ms | Python ms | kB |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in out["results"]:
        flag = "" if r["status"] in (200, 302) else f" (HTTP {r['status']})"
        print(
            f"| {r['action']}{flag} | {r['role']} | `{r['path']}` | {r['queries']} | {r['median']:.0f} | {r['p95']:.0f} |"
            f" {r['sql']:.0f} | {r['python']:.0f} | {r['bytes'] / 1024:.0f} |"
        )
    if only:
        return
    cost = mix_cost(out["results"])
    print(
        f"\nThe load test's mix costs {cost:.0f} ms a request on average (medians, one at a time): two cores "
        f"busy 100% serve at most {2000 / cost:.0f} requests/s (less the Celery worker's snapshots and the log-ins)."
    )


if __name__ == "__main__":
    main()
