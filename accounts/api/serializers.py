from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.roles import Role


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=_("The client the token is for (one token each).")
    )
    otp = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=_("The authenticator's code (or a recovery code), where two-factor log-in is on for the role."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Shown this once; the portal keeps only its digest."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(max_length=256, required=False, trim_whitespace=False, write_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.CharField(required=False, allow_null=True, help_text=_("The unit's 9-digit code."))
    provider = serializers.CharField(required=False, allow_null=True, help_text=_("The provider's credit code."))
    organisation = serializers.CharField(
        required=False, allow_null=True, help_text=_("The evaluation body's credit code.")
    )
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True)


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField(source="effective_role")
    display_name = serializers.CharField()
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True)
    provider = serializers.CharField(source="provider.credit_code", default=None, allow_null=True)
    organisation = serializers.CharField(source="evaluation_body.credit_code", default=None, allow_null=True)
    is_active = serializers.BooleanField()
    must_change_password = serializers.BooleanField()
