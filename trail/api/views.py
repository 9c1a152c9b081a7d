from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import require

from ..permissions import can_verify_chain
from ..selectors import verify_chain


class AuditVerifyView(APIView):
    """``GET /api/v1/audit/verify/``: recompute the whole chain (docs/api.md "Tamper-evident audit trail")."""

    @extend_schema(
        responses=inline_serializer(
            "AuditVerification",
            {
                "ok": serializers.BooleanField(),
                "entries": serializers.IntegerField(),
                "head": serializers.CharField(),
                "first_broken": serializers.JSONField(allow_null=True),
            },
        )
    )
    def get(self, request):
        require(can_verify_chain(request.user))
        return Response(verify_chain().as_dict())
