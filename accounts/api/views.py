from django.contrib.auth import get_user_model, logout
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services, tokens, two_factor
from accounts.models import ApiToken
from core.api.permissions import IsAdminRole
from core.errors import DomainError
from core.models import OrgUnit
from core.services import client_address

from .serializers import (
    PasswordChangeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
)

User = get_user_model()


class TokenView(APIView):
    """Exchange a user name and password for an API token (throttled like the log-in page)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            401: OpenApiResponse(
                description="`otp_required`: two-factor log-in is on for the user's role and `otp` is missing or wrong."
            ),
            429: OpenApiResponse(description="Too many failed log-ins for this user from this address: wait."),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.authenticate_throttled(
            request=request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            address=client_address(request),
        )
        two_factor.check_api_code(user=user, code=data.validated_data.get("otp"), address=client_address(request))
        token, key = tokens.issue_token(user, name=data.validated_data.get("name"))
        return Response({"token": key, "name": token.name, "expires_at": token.expires_at})


class LogoutView(APIView):
    """End the token the call is made with (a browser session is ended too)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.end_token(request.auth, tokens.EndReason.LOGOUT)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordView(APIView):
    """Change one's own password; every API token of the user ends (log in again for a new one)."""

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_change_own_password(
            user=request.user,
            old_password=data.validated_data["old_password"],
            new_password=data.validated_data["new_password"],
            field="new_password",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _lookup(model, field, value, api_field, message):
    if not value:
        return None
    obj = model.objects.filter(**{field: value}).first()
    if obj is None:
        raise DomainError("unknown_" + api_field, message, field=api_field)
    return obj


class UserViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Users, managed by the administrator."""

    permission_classes = [IsAdminRole]
    serializer_class = UserSerializer
    queryset = User.objects.select_related("unit", "provider", "evaluation_body").order_by("username")

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request):
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user, issued = services.user_create(
            actor=request.user,
            username=v["username"],
            password=v.get("password"),
            role=v["role"],
            unit=_lookup(OrgUnit, "code", v.get("unit"), "unit", _("No unit has this code.")),
            provider=_lookup(
                User.organisation_model("provider"),
                "credit_code",
                v.get("provider"),
                "provider",
                _("No provider has this credit code."),
            ),
            evaluation_body=_lookup(
                User.organisation_model("evaluation_body"),
                "credit_code",
                v.get("organisation"),
                "organisation",
                _("No evaluation body has this credit code."),
            ),
            display_name=v.get("display_name", ""),
            phone=v.get("phone", ""),
            email=v.get("email", ""),
        )
        body = UserSerializer(user).data
        if issued:
            body["one_time_password"] = issued
        return Response(body, status=status.HTTP_201_CREATED)

    def get_object(self):
        # DRF's get_object_or_404: an id that is not a number (``/users/true/``) is a 404, not a 500.
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
