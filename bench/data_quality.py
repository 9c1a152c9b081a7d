"""Data-quality benchmark: the normalised-name duplicates, every finding computed when read, the
near-duplicate search (pg_trgm) and the refresh, over a registry of 100,000 enterprises.

    .venv/bin/python bench/data_quality.py                      # 100,000 enterprises
    .venv/bin/python bench/data_quality.py --sizes 10000,100000 --repeat 3

One throwaway PostgreSQL database ``songjiang_dq_bench`` (psql on 127.0.0.1 as postgres) is migrated;
for each size the registry is emptied and filled with N enterprises in bulk (the registry only: the findings read no other table), with
names of the demo's kind (a place, a trade name, an industry and a company form) of which 1 % are planted
second registrations (full-width brackets, spaces, a 上海市/上海 prefix) and 0.5 % near-duplicates (one
character dropped), 2 % share a phone, and facts left empty here and there. ``manage.py generate_scale``
builds the whole programme (8 minutes at 100,000); this benchmark needs only the registry, so it writes it
itself. The database is dropped at the end unless ``--keep`` (a kept one is reused).

Measured in a child process with ``DEBUG`` off (median of ``--repeat`` runs after one warm-up):

* ``duplicate_name``: ``dataquality.findings.duplicate_names`` over the whole registry (one grouped query
  on the indexed ``name_key``, then the members of the duplicate groups): the contract's goal is under 10 s;
* ``finding_list (district)``: every finding computed when read plus the stored ones, for the district
  official, as ``GET /api/v1/data-quality/`` reads them;
* ``finding_list (one unit)``: the same for one unit's staff;
* ``findings_refresh``: the refresh task's work, once, with its parts: the near-duplicate search (``%`` with
  pg_trgm's GIN index on ``name_key``, under ``--timeout``), the outliers and every unit's score;
* ``unit_quality``: the scores the unit assessment reads, once.
"""

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import machine, manage, psql, run_child, timed

PLACES = ["松江", "泗泾", "佘山", "车墩", "新桥", "洞泾", "九亭", "泖港", "石湖荡", "新浜", "叶榭", "小昆山"]
TRADES = "华鑫恒泰德盛永信宏达瑞丰金汇天成新源博远鼎立嘉禾安通东昇中科亿联"
INDUSTRIES = ["精密机械", "汽车零部件", "电子科技", "智能装备", "新材料", "自动化设备", "模具", "电气", "光电"]
FORMS = ["有限公司", "股份有限公司", "制造有限公司", "科技有限公司"]


DATABASE = "songjiang_dq_bench"


def database(size):
    """One database for every size: the child empties the registry before it fills it."""
    return DATABASE


def _name(rnd, i):
    trade = "".join(rnd.choice(TRADES) for _ in range(2))
    return f"上海{rnd.choice(PLACES)}{trade}{rnd.choice(INDUSTRIES)}{rnd.choice(FORMS)}（{i}）"


def _variant(name, i):
    body = name.removeprefix("上海")
    if i % 3 == 0:
        return "上海市" + body.replace("（", "(").replace("）", ")")
    if i % 3 == 1:
        return body[:2] + " " + body[2:]
    return body.replace("（", "(").replace("）", ")")


def fill(size):
    """N enterprises in bulk, with planted duplicates, near-duplicates, shared phones and gaps."""
    from core.selectors import unit_list
    from demo.factories import make_credit_code
    from enterprises.models import Enterprise
    from enterprises.names import normalised_name

    rnd = random.Random(f"dq-bench-{size}")
    units = list(unit_list())
    planted = {"duplicates": 0, "near": 0}
    names = []
    for i in range(size):
        if i >= 100 and i % 100 == 0:
            names.append(_variant(names[i - 50], i))
            planted["duplicates"] += 1
        elif i >= 200 and i % 200 == 7:
            names.append(names[i - 77][:-2] + names[i - 77][-1])
            planted["near"] += 1
        else:
            names.append(_name(rnd, i))
    batch = []
    for i, name in enumerate(names):
        batch.append(
            Enterprise(
                credit_code=make_credit_code(i + 1),
                name=name,
                name_key=normalised_name(name),
                unit=units[i % len(units)],
                sector=rnd.choice(["high_end_equipment", "auto_parts", "electronics", "other"]),
                scale="above",
                size=rnd.choice(["medium", "small", "small", "micro"]),
                status="active" if i % 20 else "proposed",
                registered_address="" if i % 97 == 0 else f"上海市松江区{rnd.choice(PLACES)}路{i % 3000}号",
                production_address=f"上海市松江区{rnd.choice(PLACES)}路{i % 2999}号",
                contact_name="" if i % 89 == 0 else "张经理",
                contact_phone=f"021-5{(i // 2 if i % 50 == 1 else i):07d}",
                employees=None if i % 83 == 0 else rnd.randint(20, 800),
                revenue=None if i % 79 == 0 else rnd.randint(500, 90000),
            )
        )
        if len(batch) == 5000:
            Enterprise.objects.bulk_create(batch)
            batch = []
    Enterprise.objects.bulk_create(batch)
    return planted


def units_first():
    from core.selectors import unit_list

    return unit_list().first()


def child(spec):
    import django

    django.setup()
    from django.db import OperationalError, connection

    from accounts.models import User
    from core.roles import Role
    from dataquality import findings, selectors, services

    size, repeat = spec["size"], spec["repeat"]
    result = {"size": size, "phase": spec["phase"], "timings": {}}

    def record(name, function, runs=repeat):
        # runs=None: the warm-up is the only run (too slow, or not to be repeated).
        median, queries, value, n = timed(function, runs or 1, slow=0 if runs is None else None)
        result["timings"][name] = {"median_s": round(median, 3), "queries": queries, "runs": n}
        return value

    if spec["phase"] == "read":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE enterprises_enterprise, enterprises_historicalenterprise, dataquality_storedfinding, "
                "dataquality_unitscore, dataquality_refreshrun, accounts_user CASCADE"
            )
        started = time.perf_counter()
        result["planted"] = fill(size)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE enterprises_enterprise")
        result["fill_s"] = round(time.perf_counter() - started, 1)
        district = User.objects.create(username="bench_district", role=Role.DISTRICT_OFFICIAL)
        unit_user = User.objects.create(username="bench_unit", role=Role.UNIT_STAFF, unit=units_first())
        found = record("duplicate_name", lambda: findings.duplicate_names(findings.registry()))
        result["duplicate_findings"] = len(found)
        rows = record("finding_list (district)", lambda: selectors.finding_list(viewer=district))
        result["findings_district"] = len(rows)
        rows = record("finding_list (one unit)", lambda: selectors.finding_list(viewer=unit_user))
        result["findings_unit"] = len(rows)
        record("unit_quality", selectors.unit_quality, runs=None)
        return result
    # phase "similar": the refresh (the near-duplicate search first), under a statement timeout.
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(spec['timeout']) * 1000}")
    started = time.perf_counter()
    try:
        run = record("findings_refresh", services.findings_refresh, runs=None)
    except OperationalError:
        result["similar_timed_out_s"] = round(time.perf_counter() - started, 1)
        return result
    result["similar_pairs"] = run.found.get("similar_name", 0) // 2
    result["refresh_parts_s"] = run.timings
    return result


def report(r):
    if r["phase"] == "read":
        print(
            f"   filled in {r['fill_s']} s; planted {r['planted']['duplicates']} second registrations and "
            f"{r['planted']['near']} near-duplicates"
        )
    for what, m in r["timings"].items():
        print(f"   {what:<28} {m['queries']:>7} {m['median_s'] * 1000:>10.0f} ms {m['runs']:>5}")
    if r["phase"] == "read":
        print(
            f"   duplicate_name findings {r['duplicate_findings']:,}; district findings {r['findings_district']:,}; "
            f"one unit {r['findings_unit']:,}"
        )
    elif "similar_timed_out_s" in r:
        print(f"   similar_name_pairs stopped by the statement timeout after {r['similar_timed_out_s']} s")
    else:
        print(f"   near-duplicate pairs {r['similar_pairs']:,}; refresh parts (s): {r['refresh_parts_s']}")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=1800, help="statement timeout (s) of the near-duplicate search")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    media = Path(tempfile.mkdtemp(prefix="dq-bench-"))
    print(f"Machine: {machine()}")
    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            name = database(size)
            if psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":  # noqa: S608 - our own name
                psql(f"CREATE DATABASE {name}")
            started = time.perf_counter()
            manage(size, media, "migrate", "--noinput", "-v", "0", database_name=name)
            print(f"\n== {size:,} enterprises (migrated in {time.perf_counter() - started:.0f} s)")
            print(f"   {'what':<28} {'queries':>7} {'median':>13} {'runs':>5}")
            for phase in ("read", "similar"):
                spec = {"repeat": args.repeat, "phase": phase, "timeout": args.timeout}
                report(run_child(Path(__file__).resolve(), size, media, spec, database_name=name))
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
