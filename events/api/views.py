"""``/api/v1/events/``: list, detail and create; ``/api/v1/events/{id}/attendance/``: who came (GET), one more
attendee (POST). Beyond the contract (docs/api.md "Events")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ReadServiceViewSet
from core.errors import DomainError
from core.permissions import require
from enterprises.models import Enterprise
from events import filters, permissions, selectors, services
from events.models import Event

from .serializers import AttendanceCreateSerializer, AttendanceSerializer, EventCreateSerializer, EventSerializer


class EventViewSet(mixins.CreateModelMixin, ReadServiceViewSet):
    """Training sessions, outreach and matchmaking events, site visits: the caller's events (unit staff: their
    unit's and the district-wide ones; providers: those that name them)."""

    serializer_class = EventSerializer
    filterset_class = filters.EventFilter

    def get_queryset(self):
        return selectors.event_list(viewer=self.request.user).prefetch_related("providers")

    def answer_object(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request):
        values = self.validated(EventCreateSerializer)
        event = services.event_create(actor=request.user, **values)
        return self.answer(event, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=AttendanceSerializer(many=True))
    @extend_schema(methods=["POST"], request=AttendanceCreateSerializer, responses={201: AttendanceSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def attendance(self, request, pk=None):
        event = self.get_object()
        require(permissions.can_see_attendance(request.user, event))
        if request.method == "GET":
            rows = selectors.attendance_of(event)
            return Response(AttendanceSerializer(rows, many=True, context={"request": request}).data)
        values = self.validated(AttendanceCreateSerializer)
        enterprise = Enterprise.objects.visible_to(request.user).filter(pk=values.pop("enterprise")).first()
        if enterprise is None:
            raise DomainError("not_found", _("No enterprise you can see has this id."), field="enterprise", status=400)
        row = services.attendance_record(
            actor=request.user, event=Event.objects.get(pk=event.pk), enterprise=enterprise, **values
        )
        return Response(AttendanceSerializer(row, context={"request": request}).data, status=status.HTTP_201_CREATED)
