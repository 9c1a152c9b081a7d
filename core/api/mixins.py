"""Behaviour shared by API views: scoping through ``visible_to``, errors as JSON beside file renderers."""

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response


class ScopedViewSetMixin:
    """Every object an API view touches comes through the model's ``visible_to``.

    A record outside the caller's scope therefore answers 404, exactly as a missing one.
    """

    model = None
    scoped_ordering = ("pk",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by(*self.scoped_ordering)


class JsonErrorsMixin:
    """For views that also render a file (xlsx, PDF): an error is JSON, labelled JSON, whatever the ``Accept`` or
    ``?format=`` asked for, as the schema documents every error (core/api/schema.py)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response
