from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.models import OrgUnit
from core.privacy import phone_for
from events import models
from events.choices import EventKind
from providers.models import Provider


class EventSerializer(serializers.ModelSerializer):
    """An event as the caller sees it, with its counts (invited enterprises, attendees, enterprises that came)."""

    organiser_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organiser_unit_name = serializers.CharField(source="organiser_unit.name", read_only=True)
    providers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    invited_count = serializers.IntegerField(read_only=True, required=False)
    attendance_count = serializers.IntegerField(read_only=True, required=False)
    reached_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = models.Event
        fields = [
            "id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "organiser_unit",
            "organiser_unit_name",
            "topic",
            "providers",
            "capacity",
            "status",
            "cancel_reason",
            "sign_in_uploaded_at",
            "invited_count",
            "attendance_count",
            "reached_count",
            "created_at",
        ]
        read_only_fields = fields


class EventCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organiser_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The unit's code; the district by default (unit staff: always their unit)."),
    )
    topic = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    providers = serializers.PrimaryKeyRelatedField(many=True, queryset=Provider.objects.all(), required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000, required=False, allow_null=True)

    #: The years an event may fall in: a programme date, not the year 5 (whose local time zone offset is the
    #: meridian's, +08:05:43, which no client can read back).
    YEARS = range(2000, 2100)

    def _in_years(self, value):
        if value is not None and value.year not in self.YEARS:
            raise serializers.ValidationError(_("An event's date lies between 2000 and 2099."))
        return value

    def validate_starts_at(self, value):
        return self._in_years(value)

    def validate_ends_at(self, value):
        return self._in_years(value)

    def validate(self, attrs):
        if attrs.get("ends_at") and attrs["ends_at"] < attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": _("An event ends after it starts.")})
        return attrs


class AttendanceSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = models.Attendance
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "credit_code",
            "attendee_name",
            "attendee_title",
            "phone",
            "signed_in_at",
            "source",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_phone(self, obj) -> str:
        request = self.context.get("request")
        return phone_for(request.user if request else None, obj.phone) if obj.phone else ""


class AttendanceCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    attendee_name = serializers.CharField(max_length=64)
    attendee_title = serializers.CharField(max_length=64, required=False, allow_blank=True)
    phone = serializers.RegexField(r"^[0-9+\- ]{7,20}$", required=False, allow_blank=True)
    signed_in_at = serializers.DateTimeField(required=False, allow_null=True)
