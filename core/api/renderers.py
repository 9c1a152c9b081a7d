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
