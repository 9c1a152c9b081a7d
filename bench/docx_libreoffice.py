"""Does the self-evaluation's Word document open in an office suite? LibreOffice converts it headless to PDF,
where it is installed (not a CI dependency: `apt-get install libreoffice-writer`).

    .venv/bin/python bench/docx_libreoffice.py                    # a final self-evaluation of the embedded demo
    .venv/bin/python bench/docx_libreoffice.py report.docx ...    # documents downloaded from the portal

With no file named it builds a final self-evaluation as of today on the embedded database (`make run`'s
``var/db.sqlite3``, seeded by ``seed_demo``; tasks run in-process) as the demo's district official, and converts
its Word document. For each document it prints the conversion's seconds, the PDF's pages (pdfinfo) and whether
the PDF's text holds the indicator table's header (序号 指标名称 目标值 完成值 完成率) and every indicator row
(pdftotext; a name wrapped in its cell is found by its first six characters): what an official opening the file in WPS or Word would see first.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("序号", "指标名称", "目标值", "完成值", "完成率")


def office():
    return shutil.which("libreoffice") or shutil.which("soffice")


def demo_document(folder):
    """A final self-evaluation of the embedded demo, built in-process; its Word document's path."""
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "songjiang_pilot.settings.base"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from demo.models import SeededAccount
    from selfevaluations.models import SelfEvaluation
    from selfevaluations.services import selfevaluation_start

    official = SeededAccount.objects.get(key="district").user
    evaluation = SelfEvaluation.objects.get(pk=selfevaluation_start(actor=official, stage="final").pk)
    if not evaluation.docx:
        raise SystemExit(f"the self-evaluation did not build: {evaluation.status}")
    target = Path(folder) / "self-evaluation.docx"
    target.write_bytes(evaluation.docx.read())
    from reports.models import Indicator

    return target, list(Indicator.objects.order_by("order").values_list("name", flat=True))


def convert(binary, docx, folder):
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - the installed office suite, fixed arguments
        [binary, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    pdf = Path(folder) / (docx.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return seconds, pages, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", nargs="*", type=Path)
    args = parser.parse_args()
    binary = office()
    if binary is None:
        print("LibreOffice is not installed here (apt-get install libreoffice-writer); nothing converted.")
        return
    with tempfile.TemporaryDirectory() as folder:
        names = None
        documents = args.documents
        if not documents:
            document, names = demo_document(folder)
            documents = [document]
        for docx in documents:
            seconds, pages, text = convert(binary, docx, folder)
            compact = "".join(text.split())
            header = all(word in compact for word in HEADER)
            rows = (
                ""
                if names is None
                else f", indicator rows {sum(''.join(n.split()) in compact for n in names)}/{len(names)}"
            )
            print(
                f"{docx.name}: converted in {seconds:.1f} s, {pages} pages, indicator table header {'found' if header else 'MISSING'}{rows}"
            )


if __name__ == "__main__":
    main()
