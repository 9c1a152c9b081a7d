from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.privacy import phone_for
from enterprises.choices import Sector
from providers import models
from providers.choices import SCENE_CODES, PoolStatus, PriceModel, ProviderType


def _sectors():
    # Plain strings (checked by the services, which name an unknown code): a ChoiceField here would give
    # the schema a second enum of the enterprise's sector codes.
    return serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text=format_lazy(_("Sector codes: {codes}."), codes=", ".join(Sector.values)),
    )


def _scenes():
    return serializers.ListField(
        child=serializers.ChoiceField(choices=SCENE_CODES), required=False, help_text=_("Scene codes of the index.")
    )


class _PhoneMixin:
    def get_contact_phone(self, obj) -> str:
        request = self.context.get("request")
        return phone_for(request.user if request else None, obj.contact_phone) if obj.contact_phone else ""


class ProviderSerializer(_PhoneMixin, serializers.ModelSerializer):
    """A provider of the resource pool; the counts are of the caller's scope."""

    contact_phone = serializers.SerializerMethodField()
    enterprise_count = serializers.IntegerField(read_only=True, required=False)
    product_count = serializers.IntegerField(read_only=True, required=False)
    recognised_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = models.Provider
        fields = [
            "id",
            "credit_code",
            "name",
            "type",
            "key_provider_since",
            "pool_status",
            "pool_status_since",
            "sectors",
            "scenes",
            "qualifications",
            "address",
            "contact_name",
            "contact_phone",
            "enterprise_count",
            "product_count",
            "recognised_count",
            "created_at",
        ]
        read_only_fields = fields


class ProviderCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=ProviderType.choices)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    key_provider_since = serializers.DateField(required=False, allow_null=True)
    pool_status = serializers.ChoiceField(choices=PoolStatus.choices, required=False)
    pool_status_since = serializers.DateField(required=False, allow_null=True)
    sectors = _sectors()
    scenes = _scenes()
    qualifications = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ProviderUpdateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64, required=False)
    name = serializers.CharField(max_length=200, required=False)
    type = serializers.ChoiceField(choices=ProviderType.choices, required=False)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    key_provider_since = serializers.DateField(required=False, allow_null=True)
    pool_status = serializers.ChoiceField(choices=PoolStatus.choices, required=False)
    pool_status_since = serializers.DateField(required=False, allow_null=True)
    sectors = _sectors()
    scenes = _scenes()
    qualifications = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ProviderEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    kind = serializers.CharField(help_text=_("pool_status, key_designated or key_revoked."))

    class Meta:
        model = models.ProviderEvent
        fields = ["id", "kind", "from_value", "to_value", "happened_on", "note", "actor", "recorded_at"]
        read_only_fields = fields


class EvaluationBodySerializer(_PhoneMixin, serializers.ModelSerializer):
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = models.EvaluationBody
        fields = ["id", "credit_code", "name", "contact_name", "contact_phone"]
        read_only_fields = fields


class EvaluationBodyCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class EvaluationBodyUpdateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64, required=False)
    name = serializers.CharField(max_length=200, required=False)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class ProductSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    # Declared so the schema says it may be blank (a read-only model field loses that).
    price_model = serializers.ChoiceField(choices=PriceModel.choices, allow_blank=True, read_only=True)

    class Meta:
        model = models.Product
        fields = [
            "id",
            "provider",
            "provider_name",
            "name",
            "description",
            "scenes",
            "price_model",
            "price_note",
            "deployments",
            "recognised_on",
            "created_at",
        ]
        read_only_fields = fields


class _ProductFacts(serializers.Serializer):
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    scenes = _scenes()
    price_model = serializers.ChoiceField(choices=PriceModel.choices, required=False, allow_blank=True)
    price_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    deployments = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)


class ProductCreateSerializer(_ProductFacts):
    provider = serializers.IntegerField(help_text=_("The provider's id."))
    name = serializers.CharField(max_length=200)
    recognised_on = serializers.DateField(required=False, allow_null=True)


class ProductUpdateSerializer(_ProductFacts):
    name = serializers.CharField(max_length=200, required=False)
    recognised_on = serializers.DateField(required=False, allow_null=True)


class DateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=90)


class EndAssignmentSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=60)


class ProviderAssignmentSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = models.ProviderAssignment
        fields = ["id", "enterprise", "enterprise_name", "provider", "provider_name", "assigned_on"]
        read_only_fields = fields


class ProviderAssignmentCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    provider = serializers.IntegerField()
    assigned_on = serializers.DateField(required=False, allow_null=True)


class EvaluatorAssignmentSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    evaluation_body_name = serializers.CharField(source="evaluation_body.name", read_only=True)

    class Meta:
        model = models.EvaluatorAssignment
        fields = ["id", "enterprise", "enterprise_name", "evaluation_body", "evaluation_body_name", "assigned_on"]
        read_only_fields = fields


class EvaluatorAssignmentCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    evaluation_body = serializers.IntegerField()
    assigned_on = serializers.DateField(required=False, allow_null=True)


class ProviderRatingSerializer(serializers.ModelSerializer):
    rated_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = models.ProviderRating
        fields = ["id", "enterprise", "provider", "rated_on", "score", "comment", "rated_by", "created_at"]
        read_only_fields = fields


class ProviderRatingCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    provider = serializers.IntegerField()
    score = serializers.IntegerField(min_value=1, max_value=5)
    rated_on = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ScorecardSerializer(serializers.ModelSerializer):
    """A provider's card: ``metrics`` is ``{code: {"value", "points", "detail", "weight"}}``; ``total`` is a
    number (null without any data)."""

    provider_name = serializers.CharField(source="provider.name", read_only=True)
    total = serializers.FloatField(allow_null=True)
    replied_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = models.ProviderScorecard
        fields = [
            "id",
            "provider",
            "provider_name",
            "period",
            "starts_on",
            "ends_on",
            "total",
            "metrics",
            "weights",
            "computed_at",
            "reply",
            "replied_at",
            "replied_by",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)


class PeriodSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=8, help_text=_("2025, 2025H1 or 2025Q3."))


class ComputeAnswerSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    status = serializers.CharField()
    period = serializers.CharField()


class WeightsSerializer(serializers.Serializer):
    weights = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=1000))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
