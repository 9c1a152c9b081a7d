"""The shape of the portal's API view sets: the body goes through a serializer into a service, and the service's
result comes back through the view's serializer (docs/style.md habits 1 and 8).

A workflow step on one record (approve, cancel, submit…) is declared with :func:`service_action`; the view set
only says which service the step calls::

    @service_action(ProjectStepSerializer)
    def approve(self, project, **values):
        return projects.project_approve(actor=self.request.user, project=project, **values)
"""

import functools

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .writable import refuse_unwritable_changes

# The two bases carry comments, not docstrings: drf-spectacular would describe every view set without a docstring of
# its own by the nearest one in its bases.


# A view set whose writes are service calls. ``validated(serializer_class)`` reads the body (400 with each field's
# messages when it is invalid); ``answer(obj)`` renders ``obj`` with the view's serializer, after ``answer_object``.
class ServiceViewSet(viewsets.GenericViewSet):
    def get_queryset(self):
        # A view set that declares ``queryset`` reads it through the model's ``visible_to``: a record outside the
        # caller's scope answers 404, exactly as a missing one. A view set that reads through a selector overrides
        # this method.
        return super().get_queryset().visible_to(self.request.user)

    def get_object(self):
        obj = super().get_object()
        self._record_read = obj
        return obj

    def validated(self, serializer_class, partial=False):
        """The request body, validated by ``serializer_class``, as a plain dict of keyword arguments.

        On a PATCH of a record, a field the body sets that ``serializer_class`` does not write is a 400 naming it,
        unless its value is the one the record reads (``core.api.writable``): a PATCH never answers 200 while
        leaving unchanged what it asked to change."""
        record = getattr(self, "_record_read", None)
        if self.request.method == "PATCH" and record is not None:
            refuse_unwritable_changes(self, serializer_class, record)
        data = serializer_class(data=self.request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def answer_object(self, obj):
        """The record a write answers with. A view set whose list annotates or prefetches reads it again here."""
        return obj

    def answer(self, obj, code=status.HTTP_200_OK, serializer_class=None):
        """``obj`` rendered by ``serializer_class`` (the view's serializer by default) with status ``code``."""
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(self.answer_object(obj), context={"request": self.request}).data, status=code)


# Lists and reads the records of ``get_queryset`` (scoped: 404 outside the caller's scope); writes by services.
class ReadServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    pass


def service_action(request_serializer, *, code=status.HTTP_200_OK, responses=None, **action_kwargs):
    """A ``POST …/{id}/<name>/`` step on one record, written as ``step(self, record, **values)``.

    The record is read first, so that one outside the caller's scope answers 404 whatever the body; then the body
    is validated by ``request_serializer`` and its values passed to ``step``, which calls the service. The record
    ``step`` returns is answered with the view's serializer and ``code``; a step that returns None answers 204 No
    Content. ``responses`` documents an answer other than the view's serializer with 200 (the schema's default);
    ``action_kwargs`` go to DRF's ``@action`` (``url_path``, ``url_name``…).
    """

    def decorate(step):
        @functools.wraps(step)
        def view(self, request, pk=None):
            record = self.get_object()
            values = self.validated(request_serializer)
            result = step(self, record, **values)
            if result is None:
                return Response(status=status.HTTP_204_NO_CONTENT)
            return self.answer(result, code)

        schema = {"request": request_serializer}
        if responses is not None:
            schema["responses"] = responses
        return extend_schema(**schema)(action(detail=True, methods=["post"], **action_kwargs)(view))

    return decorate
