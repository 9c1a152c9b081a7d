from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import PortalPagination
from core.errors import DomainError
from core.models import OrgUnit
from core.pagination import KeysFirstPaginator
from enterprises import services
from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list

from ..serializers import (
    DeclineSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    EnterpriseUpdateSerializer,
    MoveSerializer,
    ReinstateSerializer,
    TransitionSerializer,
    WithdrawSerializer,
)


def unit_by_code(code, field="unit"):
    unit = OrgUnit.objects.filter(code=str(code).strip(), parent__isnull=False).first()
    if unit is None:
        raise DomainError("unknown_unit", _("No unit has the code {code}.").format(code=code), field=field)
    return unit


class EnterprisePagination(PortalPagination):
    """The portal's pages, each chosen by the ordered keys first (a deep page skips keys, not rows)."""

    django_paginator_class = KeysFirstPaginator


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The registry of pilot enterprises, scoped to the caller (404 outside scope)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    pagination_class = EnterprisePagination

    def get_queryset(self):
        return enterprise_list(viewer=self.request.user).order_by("unit__code", "name", "pk")

    def _validated(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _answer(self, enterprise, code=status.HTTP_200_OK):
        enterprise = Enterprise.objects.select_related("unit").get(pk=enterprise.pk)
        return Response(EnterpriseSerializer(enterprise, context={"request": self.request}).data, status=code)

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseSerializer})
    def create(self, request):
        values = dict(self._validated(EnterpriseCreateSerializer))
        values["unit"] = unit_by_code(values["unit"])
        enterprise = services.enterprise_create(actor=request.user, **values)
        return self._answer(enterprise, status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseUpdateSerializer, responses=EnterpriseSerializer)
    def partial_update(self, request, pk=None):
        enterprise = self.get_object()
        values = self._validated(EnterpriseUpdateSerializer)
        return self._answer(services.enterprise_update(actor=request.user, enterprise=enterprise, **values))

    @extend_schema(request=TransitionSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(TransitionSerializer)
        return self._answer(services.enterprise_confirm(actor=request.user, enterprise=target, date=values.get("date")))

    @extend_schema(request=DeclineSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(DeclineSerializer)
        return self._answer(
            services.enterprise_decline(
                actor=request.user, enterprise=target, reason=values["reason"], date=values.get("date")
            )
        )

    @extend_schema(request=WithdrawSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        enterprise = self.get_object()
        values = self._validated(WithdrawSerializer)
        replacement = None
        if values.get("replacement"):
            replacement = enterprise_list(viewer=request.user).filter(pk=values["replacement"]).first()
            if replacement is None:
                raise DomainError(
                    "invalid_replacement", _("No enterprise you can see has this id."), field="replacement"
                )
        return self._answer(
            services.enterprise_withdraw(
                actor=request.user,
                enterprise=enterprise,
                reason=values["reason"],
                date=values.get("date"),
                replacement=replacement,
                note=values.get("note", ""),
            )
        )

    @extend_schema(request=ReinstateSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(ReinstateSerializer)
        return self._answer(
            services.enterprise_reinstate(
                actor=request.user, enterprise=target, note=values["note"], date=values.get("date")
            )
        )

    @extend_schema(request=MoveSerializer, responses=EnterpriseSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(MoveSerializer)
        return self._answer(
            services.enterprise_move(
                actor=request.user, enterprise=target, unit=unit_by_code(values["unit"]), note=values["note"]
            )
        )
