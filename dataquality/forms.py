"""HTML (and query) input of the data-quality centre → the selectors' and services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm, RecordField
from core.params import IdParam, QueryForm
from core.selectors import unit_list

from .choices import FindingKind, Resolution

STATES = (("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All")))


class FindingQuery(QueryForm):
    """``?kind=&unit=&state=&page=`` of the centre and of ``GET /api/v1/data-quality/`` (unit by code)."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *FindingKind.choices])
    unit = forms.CharField(label=_("Unit"), required=False, max_length=32)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)

    def clean_unit(self):
        code = self.cleaned_data.get("unit") or ""
        if not code:
            return None
        unit = unit_list().filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has this code."))
        return unit

    def clean_state(self):
        return self.cleaned_data.get("state") or "open"


class ResolveForm(BootstrapForm):
    kind = forms.ChoiceField(choices=FindingKind.choices, widget=forms.HiddenInput)
    enterprise = IdParam(required=True, widget=forms.HiddenInput)
    other = IdParam(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MergeForm(BootstrapForm):
    """Two enterprises (credit code, exact name or id) and why they are one; ``confirmed`` is set by the
    confirmation step, which restates what the merge does before it is done."""

    survivor = RecordField(label=_("Survivor (keeps its file)"), picker="enterprise")
    merged = RecordField(label=_("Merged into it (becomes an alias)"), picker="enterprise")
    reason = forms.CharField(label=_("Reason"), max_length=500)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("survivor", "merged"):
            self.fields[name].queryset = enterprises
            self.fields[name].widget.attrs.update(maxlength="200", autocomplete="off")

    def clean(self):
        data = super().clean()
        if data.get("survivor") and data.get("merged") and data["survivor"].pk == data["merged"].pk:
            self.add_error("merged", _("Choose two different enterprises."))
        return data
