"""HTML input of the events pages → the services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, RecordField
from core.models import OrgUnit
from core.roles import Role, role_of
from core.tabular.views import UploadForm
from enterprises.models import Enterprise
from providers.models import Provider

from .choices import EventKind

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (``YYYY-MM-DDTHH:MM``)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class EventForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT])
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT], required=False
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    organiser_unit = forms.ModelChoiceField(label=_("Organiser unit"), queryset=OrgUnit.objects.none(), required=False)
    topic = forms.CharField(label=_("Topic"), widget=forms.Textarea, required=False, max_length=4000)
    providers = forms.ModelMultipleChoiceField(
        label=_("Service providers taking part"), queryset=Provider.objects.none(), required=False
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000, required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        if role_of(viewer) == Role.UNIT_STAFF:
            del self.fields["organiser_unit"]
        else:
            self.fields["organiser_unit"].queryset = OrgUnit.objects.order_by("code")
            self.fields["organiser_unit"].empty_label = _("The district")
        self.fields["providers"].queryset = Provider.objects.visible_to(viewer).order_by("name")
        self.fields["providers"].widget.attrs["size"] = 6

    def clean(self):
        data = super().clean()
        if data.get("ends_at") and data.get("starts_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("An event ends after it starts."))
        return data


class InviteForm(BootstrapForm):
    """One enterprise (typed: credit code or name) with its contact's address, or every enterprise of a unit
    at a level."""

    enterprise = RecordField(label=_("Enterprise"), picker="enterprise", required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail (optional)"), required=False)
    unit = forms.ModelChoiceField(label=_("Or every enterprise of"), queryset=OrgUnit.objects.none(), required=False)
    level = forms.TypedChoiceField(
        label=_("at current digital level"),
        choices=[("", _("Any level")), *[(n, str(n)) for n in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(viewer)
        units = OrgUnit.objects.filter(parent__isnull=False).order_by("code")
        if role_of(viewer) == Role.UNIT_STAFF:
            units = units.filter(pk=viewer.unit_id)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("unit") and not self.errors:
            raise forms.ValidationError(_("Name an enterprise, or choose a street/town to invite its enterprises."))
        return data


class AttendanceForm(BootstrapForm):
    enterprise = RecordField(label=_("Enterprise"), picker="enterprise")
    attendee_name = forms.CharField(label=_("Attendee name"), max_length=64)
    attendee_title = forms.CharField(label=_("Attendee title"), max_length=64, required=False)
    phone = forms.RegexField(label=_("Phone"), regex=r"^[0-9+\- ]{7,20}$", required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(viewer)


class CancelForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class SignInUploadForm(UploadForm):
    file_label = _("Sign-in sheet (.xlsx or .csv)")
