"""The dossier's zip handed out: a logged download (kind "dossier"), the same for the page and the API."""

from core.downloads import logged_download

from .selectors import dossier_zip


def dossier_download(request, dossier):
    """The zip answered as a logged download (kind "dossier"): the page and the API both serve it so."""
    return logged_download(
        request,
        file=dossier_zip(dossier).open("rb"),
        filename=dossier.filename or "审计档案.zip",
        content_type="application/zip",
        kind="dossier",
        description=f"dossier {dossier.pk}",
    )
