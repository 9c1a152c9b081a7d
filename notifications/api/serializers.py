from rest_framework import serializers

from ..choices import NotificationKind
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    read = serializers.BooleanField(read_only=True, help_text="The recipient has opened or marked it.")
    link = serializers.CharField(read_only=True, help_text="The path of the record in the portal.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read", "read_at"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, required=False)


class ReadAllResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
