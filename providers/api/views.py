"""The providers API: the resource pool, evaluation bodies, products, assignments, ratings, scorecards.

Reads go through the models' ``visible_to`` (a record outside scope answers 404, as a missing one);
writes call the services, whose role checks answer 403 and whose rule errors answer 4xx JSON
(``{"code", "message", "field"}``) through the portal's exception handler.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ReadServiceViewSet, service_action
from core.errors import DomainError
from core.permissions import require
from core.roles import role_of
from enterprises.selectors import enterprise_list
from providers import filters, permissions, selectors, services
from providers.models import (
    EvaluationBody,
    EvaluatorAssignment,
    ProviderAssignment,
    ProviderRating,
    ProviderScorecard,
)
from providers.scorecard import normalise_period, scorecard_metrics

from .serializers import (
    ComputeAnswerSerializer,
    DateSerializer,
    EndAssignmentSerializer,
    EvaluationBodyCreateSerializer,
    EvaluationBodySerializer,
    EvaluationBodyUpdateSerializer,
    EvaluatorAssignmentCreateSerializer,
    EvaluatorAssignmentSerializer,
    PeriodSerializer,
    ProductCreateSerializer,
    ProductSerializer,
    ProductUpdateSerializer,
    ProviderAssignmentCreateSerializer,
    ProviderAssignmentSerializer,
    ProviderCreateSerializer,
    ProviderEventSerializer,
    ProviderRatingCreateSerializer,
    ProviderRatingSerializer,
    ProviderSerializer,
    ProviderUpdateSerializer,
    ReasonSerializer,
    ReplySerializer,
    ScorecardSerializer,
    WeightsSerializer,
)


def reads_need(predicate):
    """A permission class: every call needs ``predicate(user)`` (the right to read these records; else
    403 with its reason). Writes are further checked by the services."""

    class _ReadPermission(BasePermission):
        def has_permission(self, request, view):
            if role_of(request.user) is None:
                return False
            allowed, reason = predicate(request.user)
            if not allowed:
                self.message = reason
            return allowed

    _ReadPermission.__name__ = f"Read_{predicate.__name__}"
    return _ReadPermission


def _visible(queryset, pk, field, message):
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise DomainError("unknown_" + field, message, field=field)
    return obj


def _enterprise(user, pk):
    return _visible(enterprise_list(viewer=user), pk, "enterprise", _("No enterprise you can see has this id."))


def _provider(user, pk):
    return _visible(
        selectors.provider_list(viewer=user), pk, "provider", _("No service provider you can see has this id.")
    )


class ProviderViewSet(ReadServiceViewSet):
    """The provider registry (resource pool). Every signed-in role reads it (a provider user its own
    record); writes are the district's. ``PATCH {"key_provider_since": date}`` designates a 重点服务商."""

    serializer_class = ProviderSerializer
    filterset_class = filters.ProviderFilter

    def get_queryset(self):
        return selectors.provider_list_with_counts(viewer=self.request.user).order_by("name", "pk")

    def answer_object(self, provider):
        return self.get_queryset().get(pk=provider.pk)

    @extend_schema(request=ProviderCreateSerializer, responses={201: ProviderSerializer})
    def create(self, request):
        provider = services.provider_create(actor=request.user, **self.validated(ProviderCreateSerializer))
        return self.answer(provider, status.HTTP_201_CREATED)

    @extend_schema(request=ProviderUpdateSerializer, responses=ProviderSerializer)
    def partial_update(self, request, pk=None):
        provider = self.get_object()
        values = self.validated(ProviderUpdateSerializer, partial=True)
        provider = services.provider_update(actor=request.user, provider=provider, **values)
        return self.answer(provider)

    @extend_schema(responses=ProviderEventSerializer(many=True))
    # A plain array of the record's history: neither paginated nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        """The dated pool-status changes and key-provider designations of this provider."""
        provider = self.get_object()
        rows = selectors.provider_events(viewer=request.user, provider=provider)
        return Response(ProviderEventSerializer(rows, many=True).data)


class EvaluationBodyViewSet(ReadServiceViewSet):
    """Third-party evaluation bodies (第三方机构). Provider users have no access (403)."""

    serializer_class = EvaluationBodySerializer
    filterset_class = filters.EvaluationBodyFilter
    permission_classes = [reads_need(permissions.can_view_evaluation_bodies)]

    def get_queryset(self):
        return selectors.evaluation_body_list(viewer=self.request.user).order_by("name", "pk")

    @extend_schema(request=EvaluationBodyCreateSerializer, responses={201: EvaluationBodySerializer})
    def create(self, request):
        body = services.evaluation_body_create(actor=request.user, **self.validated(EvaluationBodyCreateSerializer))
        return self.answer(body, status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationBodyUpdateSerializer, responses=EvaluationBodySerializer)
    def partial_update(self, request, pk=None):
        body = self.get_object()
        values = self.validated(EvaluationBodyUpdateSerializer, partial=True)
        return self.answer(services.evaluation_body_update(actor=request.user, evaluation_body=body, **values))


class ProductViewSet(ReadServiceViewSet):
    """The 小快轻准 catalogue. Provider users add and edit their own products until recognised, and see
    other providers' recognised ones only; recognising (``recognised_on``) is the district's."""

    serializer_class = ProductSerializer
    filterset_class = filters.ProductFilter

    def get_queryset(self):
        return selectors.product_list(viewer=self.request.user).order_by("provider__name", "name", "pk")

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer})
    def create(self, request):
        values = self.validated(ProductCreateSerializer)
        provider = _provider(request.user, values.pop("provider"))
        product = services.product_create(actor=request.user, provider=provider, **values)
        return self.answer(product, status.HTTP_201_CREATED)

    @extend_schema(request=ProductUpdateSerializer, responses=ProductSerializer)
    def partial_update(self, request, pk=None):
        product = self.get_object()
        values = self.validated(ProductUpdateSerializer, partial=True)
        return self.answer(services.product_update(actor=request.user, product=product, **values))

    @service_action(DateSerializer)
    def recognise(self, product, date=None):
        """The district selects the product into the 优秀产品清单 (``date`` default today)."""
        return services.product_recognise(actor=self.request.user, product=product, date=date)

    @service_action(ReasonSerializer, url_path="withdraw-recognition")
    def withdraw_recognition(self, product, reason):
        return services.product_withdraw_recognition(actor=self.request.user, product=product, reason=reason)


class ProviderAssignmentViewSet(ReadServiceViewSet):
    """The district's assignments of enterprises to providers (a provider user sees its own only)."""

    queryset = ProviderAssignment.objects.select_related("enterprise", "provider").order_by("pk")
    serializer_class = ProviderAssignmentSerializer
    filterset_class = filters.ProviderAssignmentFilter

    @extend_schema(request=ProviderAssignmentCreateSerializer, responses={201: ProviderAssignmentSerializer})
    def create(self, request):
        require(permissions.can_manage_providers(request.user))
        values = self.validated(ProviderAssignmentCreateSerializer)
        assignment = services.provider_assign(
            actor=request.user,
            enterprise=_enterprise(request.user, values["enterprise"]),
            provider=_provider(request.user, values["provider"]),
            assigned_on=values.get("assigned_on"),
        )
        return self.answer(assignment, status.HTTP_201_CREATED)

    @service_action(EndAssignmentSerializer, responses={204: None})
    def end(self, assignment, reason, date=None):
        """End the assignment (the provider no longer sees the enterprise through it)."""
        services.provider_unassign(actor=self.request.user, assignment=assignment, date=date, reason=reason)


class EvaluatorAssignmentViewSet(ReadServiceViewSet):
    """The district's assignments of enterprises to evaluation bodies (an evaluator sees its body's only)."""

    queryset = EvaluatorAssignment.objects.select_related("enterprise", "evaluation_body").order_by("pk")
    serializer_class = EvaluatorAssignmentSerializer
    filterset_class = filters.EvaluatorAssignmentFilter

    @extend_schema(request=EvaluatorAssignmentCreateSerializer, responses={201: EvaluatorAssignmentSerializer})
    def create(self, request):
        require(permissions.can_manage_providers(request.user))
        values = self.validated(EvaluatorAssignmentCreateSerializer)
        body = _visible(
            EvaluationBody.objects.all(),
            values["evaluation_body"],
            "evaluation_body",
            _("No evaluation body has this id."),
        )
        assignment = services.evaluator_assign(
            actor=request.user,
            enterprise=_enterprise(request.user, values["enterprise"]),
            evaluation_body=body,
            assigned_on=values.get("assigned_on"),
        )
        return self.answer(assignment, status.HTTP_201_CREATED)

    @service_action(EndAssignmentSerializer, responses={204: None})
    def end(self, assignment, reason, date=None):
        services.evaluator_unassign(actor=self.request.user, assignment=assignment, date=date, reason=reason)


class ProviderRatingViewSet(ReadServiceViewSet):
    """Enterprises' satisfaction with their providers, recorded by their street/town (or the district).
    A provider user reads the ratings of its own work; evaluators have no access."""

    queryset = ProviderRating.objects.select_related("rated_by").order_by("-rated_on", "-pk")
    serializer_class = ProviderRatingSerializer
    filterset_class = filters.ProviderRatingFilter
    permission_classes = [reads_need(permissions.can_view_ratings)]

    @extend_schema(request=ProviderRatingCreateSerializer, responses={201: ProviderRatingSerializer})
    def create(self, request):
        values = self.validated(ProviderRatingCreateSerializer)
        rating = services.rating_create(
            actor=request.user,
            enterprise=_enterprise(request.user, values["enterprise"]),
            provider=_provider(request.user, values["provider"]),
            score=values["score"],
            rated_on=values.get("rated_on"),
            comment=values.get("comment", ""),
        )
        return self.answer(rating, status.HTTP_201_CREATED)


class ScorecardViewSet(ReadServiceViewSet):
    """Provider scorecards per period: the district, finance and auditors read all, a provider user its
    own; street/town staff and evaluators have no access."""

    queryset = ProviderScorecard.objects.select_related("provider", "replied_by").order_by(
        "-ends_on", "provider__name", "pk"
    )
    serializer_class = ScorecardSerializer
    filterset_class = filters.ProviderScorecardFilter
    permission_classes = [reads_need(permissions.can_view_scorecards)]

    @extend_schema(request=PeriodSerializer, responses={202: ComputeAnswerSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Recompute every provider's card for ``period`` in the background (in-process without a broker)."""
        values = self.validated(PeriodSerializer)
        job = services.scorecard_recompute_request(actor=request.user, period=values["period"])
        job.refresh_from_db()
        return Response(
            {"job": str(job.pk), "status": job.status, "period": normalise_period(values["period"])},
            status=status.HTTP_202_ACCEPTED,
        )

    @service_action(ReplySerializer)
    def reply(self, card, reply):
        """The provider's written reply to its card."""
        return services.scorecard_reply(actor=self.request.user, scorecard=card, reply=reply)


class ScorecardWeightsView(APIView):
    """The scorecard's weights per metric (read: the roles that compare cards; write: the district)."""

    permission_classes = [reads_need(permissions.can_compare_scorecards)]

    def _body(self):
        record = selectors.weights_record()
        return {
            "weights": selectors.current_weights(),
            "metrics": [
                {
                    "code": m.code,
                    "label": str(m.label),
                    "higher_is_better": m.higher_is_better,
                    "description": str(m.description),
                }
                for m in scorecard_metrics()
            ],
            "updated_at": record.updated_at if record else None,
        }

    @extend_schema(responses=WeightsSerializer)
    def get(self, request):
        return Response(self._body())

    @extend_schema(request=WeightsSerializer, responses=WeightsSerializer)
    def put(self, request):
        data = WeightsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.scorecard_weights_set(
            actor=request.user, weights=data.validated_data["weights"], note=data.validated_data.get("note", "")
        )
        return Response(self._body())

    patch = put
