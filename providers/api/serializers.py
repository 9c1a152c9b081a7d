from rest_framework import serializers

from providers.choices import ProviderType
from providers.models import EvaluationBody, Provider


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "credit_code", "name", "type", "key_provider_since", "contact_name", "contact_phone"]
        read_only_fields = ["id"]
        extra_kwargs = {"credit_code": {"validators": []}}


class ProviderCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=ProviderType.choices)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    key_provider_since = serializers.DateField(required=False, allow_null=True)


class ProviderUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    type = serializers.ChoiceField(choices=ProviderType.choices, required=False)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    key_provider_since = serializers.DateField(required=False, allow_null=True)


class EvaluationBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationBody
        fields = ["id", "credit_code", "name", "contact_name", "contact_phone"]
        read_only_fields = ["id"]
        extra_kwargs = {"credit_code": {"validators": []}}


class EvaluationBodyCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
