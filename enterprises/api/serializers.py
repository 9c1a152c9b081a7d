from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.privacy import phone_for
from enterprises.choices import Scale, Sector, Size, Tier, WithdrawalReason
from enterprises.models import Enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise as read through the API; ``unit`` is the unit's 9-digit code."""

    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    contact_phone = serializers.SerializerMethodField()
    replacement = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    # Declared so the schema says it: blank until the enterprise is withdrawn (a read-only model field loses that).
    withdrawal_reason = serializers.ChoiceField(choices=WithdrawalReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "credit_code_override_reason",
            "name",
            "unit",
            "unit_name",
            "sector",
            "scale",
            "size",
            "tier",
            "status",
            "pilot_year",
            "pilot_batch",
            "registered_address",
            "production_address",
            "founded_on",
            "contact_name",
            "contact_phone",
            "main_products",
            "stats_year",
            "employees",
            "employees_previous",
            "revenue",
            "revenue_previous",
            "cloud_verified_on",
            "cloud_services",
            "baseline_level",
            "current_level",
            "withdrawn_on",
            "withdrawal_reason",
            "replacement",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_contact_phone(self, obj) -> str:
        request = self.context.get("request")
        return phone_for(request.user if request else None, obj.contact_phone)


class _FactsSerializer(serializers.Serializer):
    """The facts a create or edit may send (all optional here)."""

    name = serializers.CharField(max_length=200, required=False)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    scale = serializers.ChoiceField(choices=Scale.choices, required=False)
    size = serializers.ChoiceField(choices=Size.choices, required=False)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    pilot_year = serializers.IntegerField(min_value=2024, max_value=2030, required=False, allow_null=True)
    pilot_batch = serializers.CharField(max_length=32, required=False, allow_blank=True)
    registered_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    production_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    contact_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    main_products = serializers.CharField(max_length=500, required=False, allow_blank=True)
    stats_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    employees_previous = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    revenue_previous = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    cloud_verified_on = serializers.DateField(required=False, allow_null=True)
    cloud_services = serializers.CharField(max_length=500, required=False, allow_blank=True)


class EnterpriseCreateSerializer(_FactsSerializer):
    credit_code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=12, help_text=_("The unit's 9-digit code."))
    sector = serializers.ChoiceField(choices=Sector.choices)
    scale = serializers.ChoiceField(choices=Scale.choices)
    size = serializers.ChoiceField(choices=Size.choices)
    tier = serializers.ChoiceField(choices=Tier.choices, default=Tier.NONE)
    credit_code_override_reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class EnterpriseUpdateSerializer(_FactsSerializer):
    credit_code = serializers.CharField(max_length=64, required=False)
    credit_code_override_reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)


class DeclineSerializer(TransitionSerializer):
    reason = serializers.CharField(max_length=500)


class WithdrawSerializer(TransitionSerializer):
    reason = serializers.ChoiceField(choices=WithdrawalReason.choices)
    replacement = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReinstateSerializer(TransitionSerializer):
    note = serializers.CharField(max_length=500)


class MoveSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=12)
    note = serializers.CharField(max_length=500)
