"""The self-evaluation's blocks (``document.blocks_of``) as an editable Word document (python-docx) and as a PDF
(WeasyPrint, the shared Noto CJK fonts): 黑体 headings, 仿宋 body text, numbered tables, page numbers."""

import io
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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
            _table(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _run_xml(text, font, size):
    half_points = int(size * 2)
    return (
        f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


def _row_xml(cells, widths, font, *, header=False):
    row_pr = (
        '<w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>' if header else "<w:trPr><w:cantSplit/></w:trPr>"
    )
    body = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="auto"/><w:ind w:firstLine="0"/>'
        f"</w:pPr>{_run_xml(text, font, 10.5)}</w:p></w:tc>"
        for text, width in zip(cells, widths, strict=True)
    )
    return f"<w:tr {nsdecls('w')}>{row_pr}{body}</w:tr>"


def _table(doc, block):
    """A numbered table: its header row repeated on every page, every cell in 仿宋 (the header in 黑体). The rows
    are written as XML at once: python-docx's cell access costs a walk of the table per cell."""
    columns = len(block.headers)
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = 8800  # twips across the text block of an A4 page with these margins
    widths = [total // columns] * columns
    if block.headers[:2] == ["序号", "指标名称"] or block.headers[:1] == ["序号"]:
        first = 800
        second = total - first - (columns - 2) * ((total - first) // (columns + 1))
        widths = [first, second] + [(total - first) // (columns + 1)] * (columns - 2)
    tbl = table._tbl
    tbl.append(parse_xml(_row_xml(block.headers, widths, HEADING_FONT, header=True)))
    for row in block.rows:
        tbl.append(parse_xml(_row_xml(row, widths, BODY_FONT)))


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
