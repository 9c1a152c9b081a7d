"""The auditor dossier on PostgreSQL: how long a district-year dossier of the demo programme takes and how big it is.

    .venv/bin/python bench/dossier.py                    # period "total" (the whole programme so far)
    .venv/bin/python bench/dossier.py --period 2025 --keep

It creates a throwaway database ``songjiang_bench_dossier``, migrates it and loads the demo programme
(``seed_demo``: about 540 enterprises in 18 units, with their diagnoses, evaluations, projects, payments and files),
then, in a fresh child process with DEBUG off and no broker (the build runs in-process, as in the embedded profile),
an auditor asks for the dossier of every unit over the period, one after the other: the whole district's year as 18
unit dossiers. ``dossiers.services.dossier_request`` is timed from the call to the stored zip (the request, the
build's reads, the summary PDF, the attachments, the CSVs, the manifest, storing). It prints, per unit and in all,
the seconds, the records covered, the files and the zip's size, and the child's peak resident memory; then it drops
the database (``--keep`` keeps it). Target (issue 14): the district's year under a minute.
"""

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from common import machine, manage, psql, run_child

DATABASE = "songjiang_bench_dossier"


def _child(spec):
    import django

    django.setup()
    from accounts.models import User
    from core.roles import Role
    from core.selectors import unit_list
    from dossiers.models import Dossier
    from dossiers.services import dossier_request

    auditor = User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("pk").first()
    rows = []
    started_all = time.perf_counter()
    for unit in unit_list():
        started = time.perf_counter()
        dossier = dossier_request(actor=auditor, unit=unit.code, period=spec["period"])
        seconds = time.perf_counter() - started
        dossier = Dossier.objects.get(pk=dossier.pk)
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "status": dossier.status,
                "error": dossier.error[:300],
                "seconds": seconds,
                "bytes": dossier.size or 0,
                "files": len(dossier.manifest.get("files", [])) + 1 if dossier.manifest else 0,
                "records": dossier.manifest.get("records", 0) if dossier.manifest else 0,
                "audit_rows": dossier.manifest.get("audit_trail_rows", 0) if dossier.manifest else 0,
            }
        )
    result = {
        "rows": rows,
        "seconds": time.perf_counter() - started_all,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="total", choices=["2025", "2026", "total"])
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return _child(json.loads(args.child))

    print(machine())
    with tempfile.TemporaryDirectory() as media:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
        try:
            started = time.perf_counter()
            manage(0, media, "migrate", "--noinput", "-v", "0", database_name=DATABASE)
            manage(0, media, "seed_demo", database_name=DATABASE)
            psql("VACUUM (ANALYZE)", DATABASE)
            print(f"demo programme loaded in {time.perf_counter() - started:.1f} s")
            result = run_child(__file__, 0, media, {"period": args.period}, database_name=DATABASE)
            print(
                f"{'unit':<10} {'name':<16} {'status':<7} {'seconds':>8} {'records':>8} {'files':>6} {'audit':>7} {'zip':>10}"
            )
            for row in result["rows"]:
                print(
                    f"{row['unit']:<10} {row['name'][:8]:<16} {row['status']:<7} {row['seconds']:>8.2f} "
                    f"{row['records']:>8} {row['files']:>6} {row['audit_rows']:>7} {row['bytes'] / 1024:>8.0f} KB"
                    + (f"  {row['error']}" if row["error"] else "")
                )
            total_bytes = sum(r["bytes"] for r in result["rows"])
            print(
                f"district, period {args.period}: {len(result['rows'])} unit dossiers in {result['seconds']:.1f} s, "
                f"{total_bytes / 1024 / 1024:.1f} MB of zips; slowest unit "
                f"{max(r['seconds'] for r in result['rows']):.2f} s; peak RSS {result['peak_rss_mb']:.0f} MB"
            )
        finally:
            if not args.keep:
                psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
