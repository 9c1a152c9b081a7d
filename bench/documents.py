"""Document benchmark: the enterprise file PDF (一企一档) of an enterprise with a full history and the
indicator summary PDF of a district snapshot, against WeasyPrint rendering the same HTML alone.

    .venv/bin/python bench/documents.py                     # 100,000 (the goal's size)
    .venv/bin/python bench/documents.py --sizes 520,100000 --repeat 3

The databases are ``bench/lists.py``'s (``songjiang_h8_bench_<N>``, restored from
``var/bench/scale-<N>.dump`` the first time, kept afterwards). Each size is measured in a fresh child
process with ``DEBUG`` off (``songjiang_pilot.settings.base``).

* The enterprise: the one with the most records of its own (diagnoses + authoritative evaluations +
  projects + disbursements of its commitments), read as the finance officer (who sees the ledger
  detail, so the money sections are full) and as the district official.
* ``reports.rendering.documents.render_enterprise_file`` (what the Celery task runs: the scoped reads, the
  template, WeasyPrint) on an unsaved ``GeneratedDocument``: its wall time (median of ``--repeat``
  after a warm-up), its SQL queries, its pages; then the parts: the context (the reads),
  ``render_to_string`` of the template, and WeasyPrint alone on that very HTML (the floor).
* The snapshot: a district snapshot of the running total computed synchronously
  (``reports.services.snapshots.snapshot_compute``, its time reported), then ``render_snapshot_pdf`` against
  WeasyPrint alone on the HTML it produced.
* Each PDF is checked with ``pdffonts`` (a CJK font embedded) and ``pdftotext`` (the enterprise's
  name, 一企一档 / the snapshot's title in Chinese present).

Goals (issue 7): enterprise file ≤ 2 s, indicator summary PDF ≤ 5 s.
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, machine, pdf_facts, prepare, run_child, timed, weasyprint_recorded


def full_history_enterprise():
    """The enterprise with the most records of its own (one aggregate over four grouped counts)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.id, coalesce(d.n, 0) + coalesce(a.n, 0) + coalesce(p.n, 0) + coalesce(m.n, 0) AS records
            FROM enterprises_enterprise e
            LEFT JOIN (SELECT enterprise_id, count(*) n FROM diagnostics_diagnosis GROUP BY 1) d ON d.enterprise_id = e.id
            LEFT JOIN (SELECT enterprise_id, count(*) n FROM diagnostics_assessment GROUP BY 1) a ON a.enterprise_id = e.id
            LEFT JOIN (SELECT enterprise_id, count(*) n FROM funding_project GROUP BY 1) p ON p.enterprise_id = e.id
            LEFT JOIN (
                SELECT c.enterprise_id, count(*) n FROM funding_disbursement x
                JOIN funding_commitmentline l ON l.id = x.commitment_line_id
                JOIN funding_commitment c ON c.id = l.commitment_id GROUP BY 1
            ) m ON m.enterprise_id = e.id
            ORDER BY records DESC, e.id LIMIT 1
            """
        )
        pk, records = cursor.fetchone()
    return pk, records


def enterprise_file(spec, viewer, pk):
    import weasyprint
    from django.template.loader import render_to_string

    from core.models import GeneratedDocument
    from enterprises.models import Enterprise
    from reports.rendering.documents import common_context as _common
    from reports.rendering.documents import enterprise_file_context, render_enterprise_file

    repeat = spec["repeat"]
    enterprise = Enterprise.objects.select_related("unit", "replacement").get(pk=pk)
    document = GeneratedDocument(kind="enterprise_file", subject_id=str(pk), title=enterprise.name, requested_by=viewer)
    title = f"一企一档 · {enterprise.name}"
    whole, queries, rendered, _runs = timed(lambda: render_enterprise_file(document, viewer, lambda *_a: None), repeat)
    reads, read_queries, context, _runs = timed(lambda: enterprise_file_context(enterprise, viewer), repeat)
    context = {**_common(document, viewer, title), **context}
    template, _q, html, _runs = timed(lambda: render_to_string("reports/pdf_enterprise.html", context), repeat)
    alone, _q, _pdf, _runs = timed(lambda: weasyprint.HTML(string=html).write_pdf(), repeat)
    money = context["money"]
    return {
        "viewer": viewer.username,
        "sections": {
            "diagnoses": len(context["diagnoses"]),
            "evaluations": len(context["evaluations"]),
            "projects": len(context["projects"]),
            "acceptances": len(context["acceptances"]),
            "recognitions": len(context["recognitions"]),
            "commitments": len(money["commitments"]),
            "disbursements": len(money["disbursements"]),
            "status changes": len(context["status_history"]),
        },
        "whole": whole,
        "queries": queries,
        "reads": reads,
        "read_queries": read_queries,
        "template": template,
        "weasyprint": alone,
        "html_kb": len(html.encode()) / 1024,
        "pdf": pdf_facts(rendered.content, [enterprise.name, "一企一档"]),
    }


def snapshot_pdf(spec, district):
    import datetime

    from reports.models import ReportingPeriod, ReportSnapshot
    from reports.rendering.snapshots import render_snapshot_pdf
    from reports.services.snapshots import snapshot_compute

    period = ReportingPeriod.objects.order_by("-order").first()
    as_of = datetime.date.fromisoformat(spec["as_of"])
    snapshot = ReportSnapshot.objects.create(period=period, unit=None, as_of=as_of, requested_by=district)
    started = time.perf_counter()
    status = snapshot_compute(str(snapshot.pk))
    computed = time.perf_counter() - started
    snapshot.refresh_from_db()
    if status != ReportSnapshot.Status.DONE:
        return {"error": f"snapshot {status}: {snapshot.error[:300]}"}
    with weasyprint_recorded() as weasyprint_alone:
        portal, queries, pdf, _runs = timed(lambda: render_snapshot_pdf(snapshot), spec["repeat"])
    alone, _q, _pdf, _runs = timed(weasyprint_alone, spec["repeat"])
    snapshot.delete()
    return {
        "period": period.code,
        "compute": computed,
        "portal": portal,
        "queries": queries,
        "weasyprint": alone,
        "pdf": pdf_facts(pdf, [period.name] if period.name else []),
    }


def child(spec):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from accounts.models import User
    from enterprises.models import Enterprise

    pk, records = full_history_enterprise()
    out = {"enterprises": Enterprise.objects.count(), "enterprise": pk, "records": records, "files": []}
    for username in ("finance", "district"):
        out["files"].append(enterprise_file(spec, User.objects.get(username=username), pk))
    out["snapshot"] = snapshot_pdf(spec, User.objects.get(username="district"))
    return out


def report(size, r):
    print(f"\n{size:,} enterprises; enterprise #{r['enterprise']} ({r['records']} records of its own)")
    print(
        "| document | viewer | sections | queries | whole | reads | template | WeasyPrint alone | pages | CJK font, text |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for f in r["files"]:
        sections = ", ".join(f"{k} {v}" for k, v in f["sections"].items())
        pdf = f["pdf"]
        print(
            f"| enterprise file | {f['viewer']} | {sections} | {f['queries']} | {f['whole'] * 1000:.0f} ms |"
            f" {f['reads'] * 1000:.0f} ms | {f['template'] * 1000:.0f} ms | {f['weasyprint'] * 1000:.0f} ms |"
            f" {pdf['pages']} | {pdf['cjk_font']}, {pdf['text_found']} |"
        )
    s = r["snapshot"]
    if "error" in s:
        print(f"| indicator summary | district | {s['error']} |")
        return
    print(
        f"| indicator summary ({s['period']}) | district | snapshot computed in {s['compute']:.1f} s | {s['queries']} |"
        f" {s['portal'] * 1000:.0f} ms | — | — | {s['weasyprint'] * 1000:.0f} ms | {s['pdf']['pages']} |"
        f" {s['pdf']['cjk_font']}, {s['pdf']['text_found']} |"
    )
    for f in r["files"]:
        print(f"   enterprise file as {f['viewer']}: portal ÷ WeasyPrint alone = {f['whole'] / f['weasyprint']:.2f}")
    print(f"   indicator summary: portal ÷ WeasyPrint alone = {s['portal'] / s['weasyprint']:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after a warm-up (median)")
    parser.add_argument("--as-of", default="2026-11-25", help="the snapshot's as-of date (the data's)")
    parser.add_argument("--fresh", action="store_true", help="restore the databases from their dumps again")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child)), default=str))
        return
    media = Path(tempfile.mkdtemp(prefix="documents-bench-"))
    print(f"Machine: {machine()}")
    try:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            print(f"== {size:,} enterprises: {prepare(size, media, fresh=args.fresh)}", flush=True)
            report(size, run_child(Path(__file__).resolve(), size, media, {"repeat": args.repeat, "as_of": args.as_of}))
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
