"""What the rendered files share: the result a renderer returns, the PDF and ZIP types, WeasyPrint, and
text made safe for a CSS string in a page margin."""

from dataclasses import dataclass

from django.template.loader import render_to_string

PDF = "application/pdf"
ZIP = "application/zip"


@dataclass(frozen=True)
class Rendered:
    """What a renderer produced: ``content`` as bytes, or the path of a temporary file it wrote
    (deleted once stored), with the name people see and its type."""

    content: object
    filename: str
    content_type: str


def html_to_pdf(html):
    """A PDF (bytes) of ``html`` (A4, Noto Sans CJK SC, page numbers: the templates' own CSS)."""
    # WeasyPrint takes about a second to import: only the processes that render load it, when they first do.
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def render_pdf(template, context):
    """A PDF (bytes) rendered by WeasyPrint from ``template``."""
    return html_to_pdf(render_to_string(template, context))


def css_text(value):
    """Text safe inside a CSS string in the page margin: without quotes, backslashes or the characters
    HTML escaping would change (so the template's autoescape leaves it as it is)."""
    return "".join(ch for ch in str(value) if ch not in "\"'\\<>&\n\r")
