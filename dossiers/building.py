"""Writing a dossier's zip: the summary PDF, the covered records' attachments, the three CSVs and the manifest.

The zip is written to a temporary file member by member (``ZIP_DEFLATED``); attachments are copied from storage in
chunks, so memory stays bounded whatever their size. Every member's SHA-256 and size are counted on the bytes as
they are written, and ``manifest.json`` (written last) lists them all. CSVs are UTF-8 with a BOM, so that Excel
reads the Chinese.
"""

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from core.files import safe_file_name
from reports.rendering.common import render_pdf
from reports.rendering.documents import common_context
from reports.rendering.evidence import CHUNK, attachments_by_record, unique_name

from . import contents

BOM = "\ufeff".encode()
#: CSV rows written per chunk.
CSV_BATCH = 500


class Packer:
    """Members written into an open zip, each with its SHA-256 and size as written."""

    def __init__(self, zf):
        self.zf = zf
        self.files = []
        self.used = set()

    @contextmanager
    def member(self, path):
        """``write(bytes)`` for the member ``path``; the member is listed once the block ends."""
        digest, size = hashlib.sha256(), 0
        with self.zf.open(path, "w", force_zip64=True) as target:

            def write(chunk):
                nonlocal size
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)

            yield write
        self.used.add(path)
        self.files.append({"path": path, "sha256": digest.hexdigest(), "bytes": size})

    def add_bytes(self, path, data):
        with self.member(path) as write:
            write(data)

    def add_stream(self, path, source):
        with self.member(path) as write:
            while chunk := source.read(CHUNK):
                write(chunk)

    def add_csv(self, path, headers, rows):
        """A CSV (UTF-8 with BOM) of ``headers`` and ``rows`` (lists), written in chunks."""
        with self.member(path) as write:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(headers)
            write(BOM + buffer.getvalue().encode())
            for start in range(0, len(rows), CSV_BATCH):
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                writer.writerows(rows[start : start + CSV_BATCH])
                write(buffer.getvalue().encode())


def summary_context(dossier, viewer, found, approvals, ledger):
    """What ``summary.pdf`` shows (``templates/dossiers/summary_pdf.html``)."""
    report = found.indicators
    indicators = []
    if report:
        for row in report["indicators"]:
            if row["target"] is None and row["actual"] is None:
                continue
            indicators.append(
                {
                    "number": row["number"],
                    "name": row["name"],
                    "unit_of_measure": row["unit_of_measure"],
                    "target": "—" if row["target"] is None else row["target"],
                    "actual": "—" if row["actual"] is None else row["actual"],
                    "completion": "—" if row["completion"] is None else f"{row['completion']}%",
                }
            )
    return {
        **common_context(dossier, viewer, f"审计档案 · {dossier.title}"),
        "dossier": dossier,
        "found": found,
        "indicators": indicators,
        "as_of": report["as_of"] if report else "",
        "approvals": approvals,
        "ledger": ledger,
    }


def build_zip(dossier, viewer, progress):
    """Write the dossier's zip to a temporary file; returns ``(path, manifest)``. ``progress(done, total,
    message)`` is called as the steps are done. The caller deletes the file once stored."""
    found = contents.coverage(dossier, viewer)
    records = found.records()
    attachments = attachments_by_record(records)
    count = sum(len(files) for files in attachments.values())
    total = 6 + count
    progress(1, total, "collecting")
    approvals = contents.approval_rows(found)
    ledger = contents.ledger_rows(found)
    audit = contents.audit_rows(found, up_to=dossier.audit_entries)
    with tempfile.NamedTemporaryFile(delete=False, suffix=".zip") as handle:
        pass  # only its name: the zip is written below
    path = Path(handle.name)
    missing = []
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            packer = Packer(zf)
            pdf = render_pdf("dossiers/summary_pdf.html", summary_context(dossier, viewer, found, approvals, ledger))
            packer.add_bytes("summary.pdf", pdf)
            del pdf
            progress(2, total, "summary.pdf")
            done = 2
            for record in records:
                folder = f"attachments/{contents.record_name(record)}"
                for attachment in attachments.get((type(record), str(record.pk)), []):
                    name = unique_name(f"{folder}/{safe_file_name(attachment.original_name)}", packer.used)
                    try:
                        with attachment.file.open("rb") as source:
                            packer.add_stream(name, source)
                    except OSError:
                        missing.append({"path": name, "sha256": attachment.sha256, "bytes": attachment.size})
                    done += 1
                    if done % 10 == 0:
                        progress(done, total, "attachments")
            packer.add_csv(
                "approvals.csv",
                contents.APPROVAL_HEADERS,
                [
                    [
                        r["kind"],
                        r["record"],
                        r["date"],
                        r["action"],
                        r["from"],
                        r["to"],
                        r["who"],
                        r["recorded_at"],
                        r["note"],
                    ]
                    for r in approvals
                ],
            )
            packer.add_csv("ledger.csv", contents.LEDGER_HEADERS, [list(r.values()) for r in ledger])
            progress(done + 2, total, "ledger.csv")
            packer.add_csv(
                "audit_trail.csv", contents.AUDIT_HEADERS, [[r[k] for k in contents.AUDIT_HEADERS] for r in audit]
            )
            progress(done + 3, total, "audit_trail.csv")
            manifest = {
                "files": list(packer.files),
                "audit_head": dossier.audit_head,
                "audit_entries": dossier.audit_entries,
                "subject": dossier.subject_dict(),
                "generated_at": timezone.localtime().isoformat(),
                "generated_by": viewer.get_username(),
                "records": len(records),
                "audit_trail_rows": len(audit),
                "missing": missing,
            }
            packer.add_bytes("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode())
            progress(total, total, "manifest.json")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, manifest
