"""Fixtures of the self-evaluation tests: the report tests' transformed enterprise (``world``), tasks in-process,
and readers of the generated files (python-docx for the Word document, poppler for the PDF)."""

import io
import subprocess

import pytest
from docx import Document

from tests.reports.conftest import world  # noqa: F401 - the same programme state as the report tests


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """Run ``call()`` with tasks in-process when its transaction commits (as with no broker); returns its answer."""
    from songjiang_pilot.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    try:
        yield run
    finally:
        app.conf.task_always_eager = before


def docx_tables(content):
    """``[(caption, [[cell text, ...], ...]), ...]`` of a Word document: each table with the paragraph before it."""
    doc = Document(io.BytesIO(content))
    body = doc.element.body
    tables, caption = [], ""
    by_element = {t._tbl: t for t in doc.tables}
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            caption = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
        elif tag == "tbl":
            table = by_element[child]
            tables.append((caption, [[cell.text for cell in row.cells] for row in table.rows]))
    return tables


def indicator_table(content):
    """The rows (header first) of the document's indicator table: the one headed 序号 | 指标名称 | 目标值 | 完成值 | 完成率."""
    found = [
        rows
        for _caption, rows in docx_tables(content)
        if rows and rows[0] == ["序号", "指标名称", "目标值", "完成值", "完成率"]
    ]
    assert len(found) == 1, [rows[0] for _c, rows in docx_tables(content)]
    return found[0]


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
