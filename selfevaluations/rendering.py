"""The self-evaluation's blocks (``document.blocks_of``) as an editable Word document (python-docx) and as a PDF
(WeasyPrint, the shared Noto CJK fonts): 黑体 headings, 仿宋 body text, numbered tables, page numbers."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.rendering.common import css_text, html_to_pdf

from .document import blocks_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"


def _font(style_or_run, name, size=None, bold=None):
    font = style_or_run.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = style_or_run.element if hasattr(style_or_run, "element") else style_or_run._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _page_number(paragraph):
    """ "第 X 页 共 Y 页" as Word fields, updated by Word and WPS when the file is opened."""

    def field(instruction):
        run = paragraph.add_run()
        begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        text.set(qn("xml:space"), "preserve")
        text.text = instruction
        end.set(qn("w:fldCharType"), "end")
        run._r.append(begin)
        run._r.append(text)
        run._r.append(end)
        _font(run, BODY_FONT, 10.5)

    for piece in ("第 ", None, " 页 共 ", "NUMPAGES", " 页"):
        if piece is None:
            field("PAGE")
        elif piece == "NUMPAGES":
            field("NUMPAGES")
        else:
            _font(paragraph.add_run(piece), BODY_FONT, 10.5)


def _styles(doc):
    _font(doc.styles["Normal"], BODY_FONT, 16)  # 三号仿宋, as official documents are set
    doc.styles["Normal"].paragraph_format.line_spacing = Pt(28)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 16)):
        style = doc.styles[name]
        _font(style, TITLE_FONT if name == "Title" else HEADING_FONT, size, bold=False)
        style.font.color.rgb = None
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
    doc.styles["Heading 2"].font.name = "楷体"
    _font(doc.styles["Heading 2"], "楷体", 16, bold=False)
    caption = doc.styles["Caption"]
    _font(caption, HEADING_FONT, 12, bold=False)
    caption.font.color.rgb = None
    caption.font.italic = False


def render_docx(evaluation):
    """The Word document (bytes)."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(doc)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    for block in blocks_of(evaluation):
        if block.kind == "title":
            p = doc.add_paragraph(block.text, style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "note":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(block.text), BODY_FONT, 12)
        elif block.kind == "h1":
            doc.add_paragraph(block.text, style="Heading 1")
        elif block.kind == "h2":
            doc.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "p":
            p = doc.add_paragraph(block.text)
            p.paragraph_format.first_line_indent = Pt(32)
        elif block.kind == "table":
            caption = doc.add_paragraph(block.text, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            table = doc.add_table(rows=1 + len(block.rows), cols=len(block.headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for col, text in enumerate(block.headers):
                cell = table.rows[0].cells[col]
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
            # Fill the cells through their XML: python-docx's cell access is quadratic on big tables.
            for r, row in enumerate(block.rows, start=1):
                cells = table.rows[r].cells
                for col, text in enumerate(row):
                    _font(cells[col].paragraphs[0].add_run(text), BODY_FONT, 10.5)
            _repeat_header(table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _repeat_header(table):
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def render_pdf(evaluation):
    """The same document as a PDF (bytes)."""
    html = render_to_string(
        "selfevaluations/pdf.html",
        {
            "evaluation": evaluation,
            "blocks": blocks_of(evaluation),
            "header_left": css_text(f"松江区数字化转型试点 · {evaluation.stage_name} · 第{evaluation.version}版"),
            "header_right": css_text(
                f"截至 {evaluation.as_of.isoformat()} · 快照 {evaluation.content['provenance']['snapshot']}"
            ),
            "generated_at": timezone.localtime(),
        },
    )
    return html_to_pdf(html)
