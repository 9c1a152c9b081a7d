"""The logged download: every file the portal hands out is logged with who took it, then sent as an attachment."""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

from .services import client_address, download_log


def logged_download(
    request,
    *,
    filename,
    content_type,
    kind,
    content=None,
    file=None,
    description=None,
    row_count=None,
    sandbox=False,
):
    """Log the download (``kind``, ``description`` or the file name, rows) and answer it as an attachment.

    Pass the bytes as ``content`` or an open file as ``file`` (streamed). The answer is never shown
    inline and never sniffed; ``sandbox`` adds a CSP that runs nothing (uploaded files)."""
    download_log(
        actor=request.user,
        kind=kind,
        description=description or filename,
        path=request.get_full_path(),
        ip_address=client_address(request),
        row_count=row_count,
    )
    if file is not None:
        response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    else:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
