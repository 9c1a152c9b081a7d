"""The financing list (金融清单) in the API: financial products and interest subsidies granted.

``GET /api/v1/financial-products/`` (any signed-in user), ``POST`` and ``PATCH`` (district officials);
``GET /api/v1/interest-subsidies/`` (district, finance, auditors; unit staff for their enterprises),
``POST`` (district officials): grants the subsidy and commits it on the district's interest-subsidy line.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.errors import DomainError
from enterprises.models import Enterprise
from funding import selectors
from funding.models import BudgetLine, FinancialProduct, InterestSubsidy
from funding.services import financing

from .views import visible

MONEY = {"max_digits": 16, "decimal_places": 2}


class FinancialProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancialProduct
        fields = ["id", "bank", "name", "rate", "limit", "term_months", "note", "is_active"]
        read_only_fields = fields


class FinancialProductInputSerializer(serializers.Serializer):
    bank = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200)
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, required=False, allow_null=True, min_value=0)
    limit = serializers.DecimalField(required=False, allow_null=True, min_value=0, **MONEY)
    term_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=600)
    note = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class FinancialProductPatchSerializer(FinancialProductInputSerializer):
    bank = serializers.CharField(max_length=200, required=False)
    name = serializers.CharField(max_length=200, required=False)


class InterestSubsidySerializer(serializers.ModelSerializer):
    commitment = serializers.SerializerMethodField()

    class Meta:
        model = InterestSubsidy
        fields = [
            "id",
            "enterprise",
            "financial_product",
            "loan_amount",
            "loan_on",
            "amount",
            "granted_on",
            "note",
            "commitment",
        ]
        read_only_fields = fields

    def get_commitment(self, obj) -> int | None:
        commitment = next(iter(obj.commitments.all()), None)
        return commitment.pk if commitment else None


class InterestSubsidyInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    financial_product = serializers.IntegerField(required=False, allow_null=True)
    loan_amount = serializers.DecimalField(**MONEY)
    loan_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    granted_on = serializers.DateField()
    budget_line = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class FinancialProductViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Banks' loan products for transformation (金融清单)."""

    serializer_class = FinancialProductSerializer
    filterset_fields = ["bank", "is_active"]

    def get_queryset(self):
        return selectors.financial_product_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=FinancialProductInputSerializer, responses={201: FinancialProductSerializer})
    def create(self, request):
        data = FinancialProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = financing.financial_product_create(actor=request.user, **data.validated_data)
        return Response(FinancialProductSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FinancialProductPatchSerializer, responses=FinancialProductSerializer)
    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = FinancialProductPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = financing.financial_product_update(actor=request.user, product=product, **data.validated_data)
        return Response(FinancialProductSerializer(product).data)


class InterestSubsidyViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Interest and fee subsidies (贴息贴费) granted to enterprises, each with its commitment."""

    serializer_class = InterestSubsidySerializer
    filterset_fields = ["enterprise", "financial_product"]

    def get_queryset(self):
        return selectors.interest_subsidy_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=InterestSubsidyInputSerializer, responses={201: InterestSubsidySerializer})
    def create(self, request):
        data = InterestSubsidyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["enterprise"] = visible(Enterprise, request.user, values["enterprise"], "enterprise")
        product_id = values.get("financial_product")
        values["financial_product"] = FinancialProduct.objects.filter(pk=product_id).first() if product_id else None
        if product_id and values["financial_product"] is None:
            raise DomainError(
                "unknown_financial_product", _("No financial product has this id."), field="financial_product"
            )
        line_id = values.get("budget_line")
        if line_id:
            line = BudgetLine.objects.select_related("source").filter(pk=line_id).first()
            if line is None:
                raise DomainError("unknown_budget_line", _("No budget line has this id."), field="budget_line")
        else:
            # Default: the district's one loan interest and fee subsidy line.
            line = (
                BudgetLine.objects.select_related("source")
                .filter(source__kind="district", purpose="interest_subsidy")
                .first()
            )
        values["budget_line"] = line
        subsidy = financing.interest_subsidy_grant(actor=request.user, **values)
        subsidy = self.get_queryset().get(pk=subsidy.pk)
        return Response(InterestSubsidySerializer(subsidy).data, status=status.HTTP_201_CREATED)
