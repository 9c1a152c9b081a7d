from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api.mixins import ScopedViewSetMixin
from providers import services
from providers.models import EvaluationBody, Provider

from .serializers import (
    EvaluationBodyCreateSerializer,
    EvaluationBodySerializer,
    ProviderCreateSerializer,
    ProviderSerializer,
    ProviderUpdateSerializer,
)


class ProviderViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The provider registry. Reads are scoped; writes are the district's (services check the role)."""

    model = Provider
    serializer_class = ProviderSerializer
    filterset_fields = ["type"]

    @extend_schema(request=ProviderCreateSerializer, responses={201: ProviderSerializer})
    def create(self, request):
        data = ProviderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        provider = services.provider_create(actor=request.user, **data.validated_data)
        return Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProviderUpdateSerializer, responses=ProviderSerializer)
    def partial_update(self, request, pk=None):
        provider = self.get_object()
        data = ProviderUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        provider = services.provider_update(actor=request.user, provider=provider, **data.validated_data)
        return Response(ProviderSerializer(provider).data)


class EvaluationBodyViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Third-party evaluation bodies."""

    model = EvaluationBody
    serializer_class = EvaluationBodySerializer

    @extend_schema(request=EvaluationBodyCreateSerializer, responses={201: EvaluationBodySerializer})
    def create(self, request):
        data = EvaluationBodyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = services.evaluation_body_create(actor=request.user, **data.validated_data)
        return Response(EvaluationBodySerializer(body).data, status=status.HTTP_201_CREATED)
