"""Roster import benchmark: the portal's bulk import against django-import-export's row-by-row import
and PostgreSQL COPY, on 10,000- and 50,000-row rosters in xlsx and csv.

    .venv/bin/python bench/roster_import.py             # 10k and 50k, baseline at 10k only
    .venv/bin/python bench/roster_import.py --sizes 10000 --baseline-sizes 10000,50000

A throwaway database (``songjiang_bench``) is created with psql on 127.0.0.1 as user postgres,
migrated, and dropped at the end. Each measurement runs in a fresh child process, which reports its
wall time and peak resident memory (``getrusage`` max RSS), so one measurement's memory never hides
another's; "Δ RSS" is the peak minus the child's RSS after ``django.setup()`` and before the work.

Measured, per size and format:

* ``preview``: ``roster_import_run`` on a batch with ``commit=False`` (stream, check, classify
  against the registry; nothing written) on an empty registry;
* ``commit``: the same with ``commit=True`` on an empty registry (every row created, with its
  history row and its status change, in one transaction);
* ``commit-update`` (xlsx): the file with every name changed, over the enterprises just created;
* ``ie-dry-run`` / ``ie-import``: django-import-export 4's default row-by-row ``import_data`` of the
  same file through ``EnterpriseResource`` (tablib loads the whole file; one save, one history row
  and several queries per row; no duplicate, scope or status rules);
* ``copy``: the floor: read the csv, map labels to codes, and ``COPY`` the rows into the enterprise
  table (no checks, no history, no status changes).
"""

import argparse
import csv
import io
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, child_env, machine, manage, psql, run_child

DB_NAME = os.environ.get("BENCH_ROSTER_DB", "songjiang_bench")

UNITS = [
    "岳阳街道", "永丰", "方松街道", "中山", "广富林街道", "九里亭", "泗泾镇", "佘山", "车墩镇",
    "新桥", "洞泾镇", "九亭", "泖港镇", "石湖荡", "新浜镇", "叶榭", "小昆山镇", "经开区",
]  # fmt: skip
SECTORS = ["高端装备", "汽车零部件", "电子元器件及设备", "其他"]
SCALES = ["规上", "规下"]
SIZES = ["中型", "小型", "小型", "微型"]
TIERS = ["", "", "创新型中小企业", "专精特新中小企业", '专精特新"小巨人"']


# --- The parent: files, database, children, report -----------------------------------------------------


def generate(rows, directory, *, renamed=False):
    """A valid roster of ``rows`` enterprises spread over the 18 units, as xlsx and csv (UTF-8 BOM)."""
    from demo.factories import make_credit_code
    from enterprises.roster import HEADERS

    def line(i):
        return [
            make_credit_code(1_000_000 + i),
            f"上海{'新' if renamed else ''}测试{i:06d}精密机械有限公司",
            UNITS[i % 18],
            SECTORS[i % 4],
            SCALES[i % 7 == 0],
            SIZES[i % 4],
            TIERS[i % 5],
            "王伟",
            f"139{i:08d}",
            f"上海市松江区测试路{i}号",
            "数控加工中心、精密减速机",
            20 + i % 400,
            round(1000 + (i * 37) % 50000 + 0.5, 2),
        ]

    import openpyxl

    suffix = "-renamed" if renamed else ""
    xlsx = directory / f"roster-{rows}{suffix}.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(list(HEADERS))
    for i in range(rows):
        sheet.append(line(i))
    workbook.save(xlsx)
    path_csv = directory / f"roster-{rows}{suffix}.csv"
    with open(path_csv, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for i in range(rows):
            writer.writerow(line(i))
    return {"xlsx": xlsx, "csv": path_csv}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--baseline-sizes", default="10000", help="sizes at which django-import-export runs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    baseline_sizes = {int(s) for s in args.baseline_sizes.split(",") if s}

    work = Path(tempfile.mkdtemp(prefix="roster-bench-"))
    media = work / "var"
    media.mkdir()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    results = []
    try:
        manage(None, media, "migrate", "--noinput", "-v", "0", database_name=DB_NAME)
        print(f"Machine: {machine()}")
        # The parent reads the factories' credit codes: Django set up on the benchmark database.
        os.environ.update(child_env(None, media, database_name=DB_NAME))
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        for rows in sizes:
            files = generate(rows, work)
            renamed = generate(rows, work, renamed=True)
            print(f"\n{rows:,} rows: xlsx {files['xlsx'].stat().st_size / 1e6:.1f} MB, "
                  f"csv {files['csv'].stat().st_size / 1e6:.1f} MB")  # fmt: skip
            plan = []
            for fmt in ("xlsx", "csv"):
                plan += [
                    ("preview", fmt, files[fmt], True),
                    ("commit", fmt, files[fmt], True),
                ]
                if fmt == "xlsx":
                    plan.append(("commit-update", fmt, renamed[fmt], False))
            for fmt in ("xlsx", "csv"):
                if rows in baseline_sizes:
                    plan += [("ie-dry-run", fmt, files[fmt], True), ("ie-import", fmt, files[fmt], True)]
            plan.append(("copy", "csv", files["csv"], True))
            for operation, fmt, path, reset in plan:
                spec = {"operation": operation, "path": str(path), "rows": rows, "reset": reset}
                report = run_child(Path(__file__).resolve(), rows, media, spec, timeout=3600, database_name=DB_NAME)
                report.update(operation=operation, format=fmt, rows=rows)
                results.append(report)
                print(
                    f"  {operation:<14} {fmt:<5} {report['seconds']:8.2f} s {rows / report['seconds']:9,.0f} rows/s"
                    f"   peak RSS {report['peak_mb']:6.0f} MB (Δ {report['delta_mb']:5.0f} MB)   {report.get('note', '')}"
                )
            if rows not in baseline_sizes:
                print(f"  (django-import-export not run at {rows:,} rows: row by row it would take minutes; "
                      "its rate at the smaller size is the comparison)")  # fmt: skip
        print_ratios(results)
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        shutil.rmtree(work, ignore_errors=True)


def print_ratios(results):
    def rate(operation, fmt, rows):
        for r in results:
            if r["operation"] == operation and r["format"] == fmt and r["rows"] == rows:
                return rows / r["seconds"]
        return None

    print("\nRatios (rows/s of the portal's import ÷ rows/s of the baseline):")
    for rows in sorted({r["rows"] for r in results}):
        copy = rate("copy", "csv", rows)
        for fmt in ("xlsx", "csv"):
            commit, preview = rate("commit", fmt, rows), rate("preview", fmt, rows)
            parts = []
            ie_import, ie_dry = rate("ie-import", fmt, rows), rate("ie-dry-run", fmt, rows)
            if ie_import:
                parts.append(f"commit ÷ import-export import = {commit / ie_import:.1f}×")
            if ie_dry:
                parts.append(f"preview ÷ import-export dry run = {preview / ie_dry:.1f}×")
            if copy:
                parts.append(f"commit ÷ COPY = {commit / copy:.2f} (COPY is {copy / commit:.1f}× faster)")
            print(f"  {rows:>6,} {fmt:<5} " + "; ".join(parts))


# --- The child: one measurement ---------------------------------------------------------------------------


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(spec):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if spec["reset"]:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE enterprises_enterprisestatuschange, enterprises_historicalenterprise, "
                "enterprises_enterprise, enterprises_importbatch RESTART IDENTITY CASCADE"
            )
    actor = bench_user()
    before = rss_mb()
    operation = spec["operation"]
    started = time.perf_counter()
    note = run_operation(operation, Path(spec["path"]), actor)
    seconds = time.perf_counter() - started
    peak = rss_mb()
    return {"seconds": seconds, "peak_mb": peak, "delta_mb": peak - before, "note": note}


def bench_user():
    from accounts.models import User
    from core.roles import Role

    user, _created = User.objects.get_or_create(username="bench_district", defaults={"role": Role.DISTRICT_OFFICIAL})
    return user


def run_operation(operation, path, actor):
    from django.core.files import File

    from enterprises import imports
    from enterprises.models import Enterprise, ImportBatch

    if operation in ("preview", "commit", "commit-update"):
        batch = ImportBatch(
            uploaded_by=actor,
            file_name=path.name,
            file_format=path.suffix[1:],
            file_size=path.stat().st_size,
            commit=operation != "preview",
        )
        with open(path, "rb") as handle:
            batch.file.save(path.name, File(handle), save=False)
        batch.save()
        batch = imports.roster_import_run(batch.pk)
        if batch.status != ImportBatch.Status.DONE:
            raise SystemExit(f"{operation} failed: {batch.error}")
        totals = batch.totals
        return "create {create}, update {update}, unchanged {unchanged}, error {error}".format(**totals)
    if operation.startswith("ie-"):
        return import_export_run(path, dry_run=operation == "ie-dry-run")
    if operation == "copy":
        copy_run(path, actor)
        return f"{Enterprise.objects.count():,} rows in the table"
    raise SystemExit(f"unknown operation {operation}")


def import_export_run(path, *, dry_run):
    import tablib

    from enterprises.models import Enterprise
    from enterprises.resources import EnterpriseResource

    with open(path, "rb") as handle:
        content = handle.read()
    if path.suffix == ".csv":
        dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    else:
        dataset = tablib.Dataset().load(content, format="xlsx")
    result = EnterpriseResource().import_data(dataset, dry_run=dry_run, use_transactions=True, raise_errors=False)
    if result.has_errors() or result.has_validation_errors():
        first = result.invalid_rows[:1] or [e for _i, errors in result.row_errors()[:1] for e in errors]
        raise SystemExit(f"import-export reported errors: {first}")
    return f"{result.totals}; {Enterprise.objects.count():,} rows in the table"


def copy_run(path, actor):
    """The floor: stream the csv, map labels to codes (no checks), COPY into the table."""
    from django.db import connection, transaction
    from django.utils import timezone

    from core.selectors import unit_lookup
    from enterprises import roster

    units = roster.unit_table(unit_lookup())
    tables = {key: roster.choice_table(key) for key in roster.CODED_KEYS}
    now = timezone.now().isoformat()
    columns = (
        "credit_code, credit_code_override_reason, name, unit_id, sector, scale, size, tier, status, pilot_batch, "
        "registered_address, production_address, contact_name, contact_phone, main_products, employees, revenue, "
        "cloud_services, withdrawal_reason, created_by_id, created_at, updated_at"
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for cells in reader:
            code, name, unit, sector, scale, size, tier, contact, phone, address, products, employees, revenue = cells
            writer.writerow(
                [
                    code, "", name, units[roster.value_key(unit)].pk, tables["sector"][roster.value_key(sector)],
                    tables["scale"][roster.value_key(scale)], tables["size"][roster.value_key(size)],
                    tables["tier"].get(roster.value_key(tier), "none"), "active", "", address, "", contact, phone,
                    products, employees, revenue, "", "", actor.pk, now, now,
                ]
            )  # fmt: skip
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY enterprises_enterprise ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


if __name__ == "__main__":
    main()
