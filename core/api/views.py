from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.selectors import unit_list


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class UnitListView(APIView):
    """The district's units, ordered by code, as a plain array (any signed-in user)."""

    @extend_schema(responses=UnitSerializer(many=True))
    def get(self, request):
        return Response(UnitSerializer(unit_list(), many=True).data)
