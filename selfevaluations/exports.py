"""A version's Word document and PDF handed out: logged downloads (kind "selfevaluation"), Chinese file names."""

from core.downloads import logged_download
from reports.rendering.common import PDF

from .rendering import DOCX
from .selectors import selfevaluation_file


def selfevaluation_download(request, evaluation, kind):
    """The ``docx`` or ``pdf`` of ``evaluation`` as a logged download; the page and the API both serve it so."""
    return logged_download(
        request,
        file=selfevaluation_file(evaluation, kind).open("rb"),
        filename=evaluation.file_name(kind),
        content_type=DOCX if kind == "docx" else PDF,
        kind="selfevaluation",
        description=f"self-evaluation {evaluation.pk} {kind}",
    )
