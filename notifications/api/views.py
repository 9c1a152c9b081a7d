"""The caller's own notifications (docs/api.md "Users and notifications"): list, mark one read, mark all read.
Every signed-in user reads their own inbox; another person's notification answers 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ReadServiceViewSet, service_action

from .. import selectors, services
from ..filters import NotificationFilter
from .serializers import NotificationSerializer, ReadAllResultSerializer, ReadAllSerializer


class EmptySerializer(serializers.Serializer):
    pass


class NotificationViewSet(ReadServiceViewSet):
    """The caller's notifications, newest first; filters ``read`` (true/false) and ``kind``."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return selectors.notification_list(viewer=self.request.user)

    @service_action(EmptySerializer)
    def read(self, notification, **values):
        return services.notification_mark_read(actor=self.request.user, notification=notification)

    @extend_schema(request=ReadAllSerializer, responses=ReadAllResultSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        values = self.validated(ReadAllSerializer)
        marked = services.notification_mark_all_read(actor=request.user, kind=values.get("kind"))
        return Response({"marked": marked})
