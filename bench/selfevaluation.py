"""The self-evaluation report on PostgreSQL: how long a version takes to generate at a given programme size.

    .venv/bin/python bench/selfevaluation.py                       # 100,000 enterprises
    .venv/bin/python bench/selfevaluation.py --sizes 520,10000 --keep

For each size it restores ``var/bench/scale-<N>.dump`` into ``songjiang_bench_selfeval_<N>`` (or generates the
programme with ``manage.py generate_scale --enterprises N --as-of 2026-11-25`` and dumps it, the first time), then,
in a fresh child process with DEBUG off and no broker (the build runs in-process, as the worker runs it), a district
official starts a final self-evaluation as of 2026-11-25. ``selfevaluations.services.selfevaluation_start`` is
timed from the call to the stored Word document and PDF; then the phases are timed apart on the same data: the
report snapshot (``reports.services.snapshots.snapshot_compute``: rows, ids, per-unit annex, dashboard figures,
snapshot PDF), the other figures (``selfevaluations.contents.gather``), the Word document (python-docx) and the PDF
(WeasyPrint). It prints the seconds, the files' sizes, the document's tables and rows, and the child's peak
resident memory. Target (issue 16): under 30 s at 100,000 enterprises.
"""

import argparse
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from common import DUMPS, machine, manage, prepare, psql, run_child

AS_OF = "2026-11-25"


def database_name(size):
    return f"songjiang_bench_selfeval_{size}"


def _child(spec):
    import django

    django.setup()
    from docx import Document

    from accounts.models import User
    from core.roles import Role
    from reports.models import ReportingPeriod, ReportSnapshot
    from reports.services.snapshots import snapshot_compute
    from selfevaluations.contents import gather
    from selfevaluations.models import SelfEvaluation
    from selfevaluations.rendering import render_docx, render_pdf
    from selfevaluations.services import current_narratives, selfevaluation_start

    official = User.objects.filter(role=Role.DISTRICT_OFFICIAL, is_active=True).order_by("pk").first()
    if official is None:
        official = User.objects.create_user("bench_official", role=Role.DISTRICT_OFFICIAL)
    started = time.perf_counter()
    evaluation = selfevaluation_start(actor=official, stage="final", as_of=AS_OF)
    total = time.perf_counter() - started
    evaluation = SelfEvaluation.objects.get(pk=evaluation.pk)
    docx_bytes = evaluation.docx.read() if evaluation.docx else b""
    doc = Document(io.BytesIO(docx_bytes)) if docx_bytes else None

    phases = {}
    t = time.perf_counter()
    snapshot = ReportSnapshot.objects.create(
        period=ReportingPeriod.objects.get(code="total"), unit=None, as_of=AS_OF, requested_by=official
    )
    snapshot_compute(str(snapshot.pk))
    snapshot.refresh_from_db()
    phases["snapshot"] = time.perf_counter() - t
    t = time.perf_counter()
    evaluation.content = gather(snapshot=snapshot, viewer=official)
    evaluation.narratives = current_narratives(evaluation.stage)
    phases["gather"] = time.perf_counter() - t
    t = time.perf_counter()
    render_docx(evaluation)
    phases["docx"] = time.perf_counter() - t
    t = time.perf_counter()
    render_pdf(evaluation)
    phases["pdf"] = time.perf_counter() - t
    print(
        json.dumps(
            {
                "status": evaluation.status,
                "error": evaluation.error[:500],
                "seconds": total,
                "phases": phases,
                "docx_bytes": len(docx_bytes),
                "pdf_bytes": evaluation.pdf.size if evaluation.pdf else 0,
                "tables": len(doc.tables) if doc else 0,
                "rows": sum(len(table.rows) for table in doc.tables) if doc else 0,
                "enterprises": evaluation.content["basic"]["enterprises"],
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def _database(size, media):
    name = database_name(size)
    dump = DUMPS / f"scale-{size}.dump"
    if not dump.is_file():
        DUMPS.mkdir(parents=True, exist_ok=True)
        psql(f"DROP DATABASE IF EXISTS {name}")
        psql(f"CREATE DATABASE {name}")
        started = time.perf_counter()
        manage(size, media, "migrate", "--noinput", "-v", "0", database_name=name)
        manage(
            size,
            media,
            "generate_scale",
            "--enterprises",
            str(size),
            "--as-of",
            AS_OF,
            "--dump",
            str(dump),
            database_name=name,
        )
        psql("VACUUM (ANALYZE)", name)
        return f"generated {size} enterprises into {name} in {time.perf_counter() - started:.0f} s"
    return prepare(size, media, database_name=name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return _child(json.loads(args.child))

    print(machine())
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as media:
            try:
                print(_database(size, media))
                r = run_child(__file__, size, media, {}, database_name=database_name(size))
                p = r["phases"]
                print(
                    f"{size:>7} enterprises ({r['enterprises']} in the pilot list): {r['status']} in {r['seconds']:.1f} s"
                    f" | phases: snapshot {p['snapshot']:.1f} s, figures {p['gather']:.1f} s, Word {p['docx']:.1f} s,"
                    f" PDF {p['pdf']:.1f} s | docx {r['docx_bytes'] / 1024:.0f} KB, pdf {r['pdf_bytes'] / 1024:.0f} KB,"
                    f" {r['tables']} tables, {r['rows']} rows | peak RSS {r['peak_rss_mb']:.0f} MB"
                    + (f" | {r['error']}" if r["error"] else "")
                )
            finally:
                if not args.keep:
                    psql(f"DROP DATABASE IF EXISTS {database_name(size)}")


if __name__ == "__main__":
    main()
