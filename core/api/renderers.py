"""Renderers of the API's file downloads."""

import json

from rest_framework.renderers import BaseRenderer


class PdfRenderer(BaseRenderer):
    """Lets a client whose ``Accept`` names ``application/pdf`` download a PDF; anything else is written as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
        return json.dumps(data, default=str, ensure_ascii=False).encode()


class ZipRenderer(PdfRenderer):
    """Lets a client whose ``Accept`` names ``application/zip`` download a zip; anything else is written as JSON."""

    media_type = "application/zip"
    format = "zip"


def accepts(request, media_type):
    """Whether the client's ``Accept`` names ``media_type`` (or a wildcard covering it) with a non-zero quality;
    no ``Accept`` at all accepts anything (docs/api.md "Downloads")."""
    header = request.META.get("HTTP_ACCEPT", "").strip()
    if not header:
        return True
    wanted = {media_type.lower(), media_type.split("/", 1)[0].lower() + "/*", "*/*"}
    for part in header.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        if media.lower() in wanted:
            q = next((p[2:] for p in params if p.replace(" ", "").lower().startswith("q=")), "1")
            try:
                if float(q) > 0:
                    return True
            except ValueError:
                return True
    return False
