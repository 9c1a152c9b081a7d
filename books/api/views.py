"""The closures API: ``/api/v1/closures/`` and ``/api/v1/closure-exceptions/`` (docs/api.md "Period close").

District officials, finance officers and admins write; auditors read too. The services check the second person
(409 ``four_eyes``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission

from core.api.viewsets import ReadServiceViewSet, service_action
from core.roles import role_of

from .. import selectors, services
from ..models import Closure, ClosureException
from ..permissions import can_view_closures
from .serializers import (
    CloseSerializer,
    ClosureExceptionSerializer,
    ClosureSerializer,
    ExceptionRequestSerializer,
    NothingSerializer,
    ReopenSerializer,
)


class ReadsClosures(BasePermission):
    """Every call needs the right to read closures (else 403 with the reason); writes are checked by the services."""

    def has_permission(self, request, view):
        if role_of(request.user) is None:
            return False
        allowed, reason = can_view_closures(request.user)
        if not allowed:
            self.message = reason
        return allowed


class ClosureViewSet(ReadServiceViewSet):
    """Closures of the books, newest first. ``POST`` closes the books through a day (not after today)."""

    # The schema reads the model from here; the rows come from the selector (``get_queryset``).
    queryset = Closure.objects.none()
    serializer_class = ClosureSerializer
    permission_classes = [ReadsClosures]

    def get_queryset(self):
        return selectors.closure_list(viewer=self.request.user)

    @extend_schema(request=CloseSerializer, responses={201: ClosureSerializer})
    def create(self, request):
        closure = services.close_books(actor=request.user, **self.validated(CloseSerializer))
        return self.answer(closure, status.HTTP_201_CREATED)

    @service_action(ReopenSerializer)
    def reopen(self, closure, reason):
        """Ask to reopen the closure; another person approves."""
        return services.request_reopen(actor=self.request.user, closure=closure, reason=reason)

    @service_action(NothingSerializer, url_path="approve-reopen", url_name="approve-reopen")
    def approve_reopen(self, closure):
        """Approve the reopening someone else asked for."""
        return services.approve_reopen(actor=self.request.user, closure=closure)


class ClosureExceptionViewSet(ReadServiceViewSet):
    """Exceptions to closures: leave to correct one record in a closed period, approved by a second person."""

    queryset = ClosureException.objects.none()
    serializer_class = ClosureExceptionSerializer
    permission_classes = [ReadsClosures]

    def get_queryset(self):
        return selectors.exception_list(viewer=self.request.user)

    @extend_schema(request=ExceptionRequestSerializer, responses={201: ClosureExceptionSerializer})
    def create(self, request):
        values = self.validated(ExceptionRequestSerializer)
        record = services.record_from_label(values["record_model"], values["record_id"])
        exception = services.request_exception(actor=request.user, record=record, reason=values["reason"])
        return self.answer(exception, status.HTTP_201_CREATED)

    @service_action(NothingSerializer)
    def approve(self, exception):
        """Approve the exception someone else asked for."""
        return services.approve_exception(actor=self.request.user, exception=exception)

    @service_action(NothingSerializer)
    def reject(self, exception):
        """Refuse the exception someone else asked for."""
        return services.reject_exception(actor=self.request.user, exception=exception)
