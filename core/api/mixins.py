"""Behaviour shared by API views: errors as JSON beside file renderers (scoping: ``core.api.viewsets``)."""

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


class JsonErrorsMixin:
    """For views that also render a file (xlsx, PDF): an error is JSON, labelled JSON, whatever the ``Accept`` or
    ``?format=`` asked for, as the schema documents every error (core/api/schema.py)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response
