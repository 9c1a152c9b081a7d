"""The audit trail on PostgreSQL: how fast the chain is verified, how fast rows are sealed, and what sealing adds
to one write (docs/architecture.md "The audit trail").

    .venv/bin/python bench/audit_chain.py                    # 1,000,000 entries
    .venv/bin/python bench/audit_chain.py --entries 100000   # a quicker run

It creates a throwaway database ``songjiang_bench_trail``, migrates it, writes one enterprise through the ORM and
copies its history row ``--entries`` times with ``INSERT … SELECT generate_series`` (history rows as real as the
portal's own: all 40-odd columns), then, in a fresh child process with DEBUG off:

- ``seal``: ``trail.services.seal_unsealed()`` chains every row (batches of 2,000: one locked head, one read of
  the rows, one bulk insert of the entries);
- ``verify``: ``trail.selectors.verify_chain()`` recomputes every digest (entries streamed in chunks of 5,000 as
  value tuples, one read of the history rows per chunk);
- ``write``: 500 renames of one enterprise through ``core.history.save_with_history``, each in its own
  transaction, with the trail's signal connected and disconnected: the difference is what an entry adds.

It prints wall time, rate and the child's peak resident memory, then drops the database.
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

DATABASE = "songjiang_bench_trail"
WRITES = 500


def _child(spec):
    import django

    django.setup()
    from django.db import connection, transaction
    from simple_history.signals import post_create_historical_record

    from core.history import save_with_history
    from demo.factories import EnterpriseFactory
    from enterprises.models import Enterprise
    from trail.selectors import verify_chain
    from trail.services import note_history_row, seal_unsealed

    result = {}
    if spec["step"] == "fill":
        enterprise = EnterpriseFactory()
        table = Enterprise.history.model._meta.db_table
        columns = [f.column for f in Enterprise.history.model._meta.concrete_fields if f.column != "history_id"]
        names = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {table}, generate_series(1, %s) "  # noqa: S608
                f"WHERE {table}.id = %s",
                [spec["entries"] - Enterprise.history.model.objects.count(), enterprise.pk],
            )
        result["rows"] = Enterprise.history.model.objects.count()
    elif spec["step"] == "seal":
        started = time.perf_counter()
        result["sealed"] = seal_unsealed()
        result["seconds"] = time.perf_counter() - started
    elif spec["step"] == "verify":
        started = time.perf_counter()
        verification = verify_chain()
        result["seconds"] = time.perf_counter() - started
        result["ok"], result["entries"] = verification.ok, verification.entries
    elif spec["step"] == "write":
        enterprise = Enterprise.objects.first()
        timings = {}
        for label, connected in (("with trail", True), ("without trail", False)):
            if not connected:
                post_create_historical_record.disconnect(dispatch_uid="trail.note_history_row")
            started = time.perf_counter()
            for n in range(WRITES):
                with transaction.atomic():
                    enterprise.name = f"上海基准测试{label}{n}有限公司"
                    save_with_history(enterprise, actor=None, reason="bench", clean=False)
            timings[label] = (time.perf_counter() - started) / WRITES * 1000
            if not connected:
                post_create_historical_record.connect(note_history_row, dispatch_uid="trail.note_history_row")
        result["ms_per_write"] = timings
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
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
            manage(0, media, "migrate", "--noinput", "-v", "0", database_name=DATABASE)

            def step(name, **extra):
                return run_child(
                    __file__, 0, media, {"step": name, "entries": args.entries, **extra}, database_name=DATABASE
                )

            filled = step("fill")
            psql("VACUUM (ANALYZE)", DATABASE)
            print(f"history rows: {filled['rows']:,}")
            sealed = step("seal")
            print(
                f"seal    {sealed['sealed']:>10,} entries in {sealed['seconds']:7.1f} s "
                f"({sealed['sealed'] / sealed['seconds']:,.0f}/s), peak RSS {sealed['peak_rss_mb']:.0f} MB"
            )
            psql("VACUUM (ANALYZE)", DATABASE)
            verified = step("verify")
            print(
                f"verify  {verified['entries']:>10,} entries in {verified['seconds']:7.1f} s "
                f"({verified['entries'] / verified['seconds']:,.0f}/s), ok={verified['ok']}, "
                f"peak RSS {verified['peak_rss_mb']:.0f} MB"
            )
            written = step("write")
            with_trail, without = written["ms_per_write"]["with trail"], written["ms_per_write"]["without trail"]
            print(
                f"write   {with_trail:.2f} ms with the trail, {without:.2f} ms without "
                f"(+{with_trail - without:.2f} ms per history row, {WRITES} writes each)"
            )
        finally:
            if not args.keep:
                psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
