from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status

from core.api.pagination import PortalPagination
from core.api.viewsets import ReadServiceViewSet, service_action
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


class EnterpriseViewSet(ReadServiceViewSet):
    """The registry of pilot enterprises, scoped to the caller (404 outside scope)."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    pagination_class = EnterprisePagination

    def get_queryset(self):
        return enterprise_list(viewer=self.request.user).order_by("unit__code", "name", "pk")

    def answer_object(self, enterprise):
        return Enterprise.objects.select_related("unit").get(pk=enterprise.pk)

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseSerializer})
    def create(self, request):
        values = self.validated(EnterpriseCreateSerializer)
        values["unit"] = unit_by_code(values["unit"])
        enterprise = services.enterprise_create(actor=request.user, **values)
        return self.answer(enterprise, status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseUpdateSerializer, responses=EnterpriseSerializer)
    def partial_update(self, request, pk=None):
        enterprise = self.get_object()
        values = self.validated(EnterpriseUpdateSerializer)
        return self.answer(services.enterprise_update(actor=request.user, enterprise=enterprise, **values))

    @service_action(TransitionSerializer)
    def confirm(self, enterprise, date=None):
        return services.enterprise_confirm(actor=self.request.user, enterprise=enterprise, date=date)

    @service_action(DeclineSerializer)
    def decline(self, enterprise, reason, date=None):
        return services.enterprise_decline(actor=self.request.user, enterprise=enterprise, reason=reason, date=date)

    @service_action(WithdrawSerializer)
    def withdraw(self, enterprise, reason, date=None, replacement=None, note=""):
        if replacement:
            replacement = enterprise_list(viewer=self.request.user).filter(pk=replacement).first()
            if replacement is None:
                raise DomainError(
                    "invalid_replacement", _("No enterprise you can see has this id."), field="replacement"
                )
        return services.enterprise_withdraw(
            actor=self.request.user,
            enterprise=enterprise,
            reason=reason,
            date=date,
            replacement=replacement or None,
            note=note,
        )

    @service_action(ReinstateSerializer)
    def reinstate(self, enterprise, note, date=None):
        return services.enterprise_reinstate(actor=self.request.user, enterprise=enterprise, note=note, date=date)

    @service_action(MoveSerializer)
    def move(self, enterprise, unit, note):
        return services.enterprise_move(
            actor=self.request.user, enterprise=enterprise, unit=unit_by_code(unit), note=note
        )
