"""The weights page's form: one weight per part of the scoring template, and why they change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapForm

from .choices import Part


class WeightsForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=100, required=False)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[f"w-{part.key}"] = forms.CharField(
                label=Part(part.key).label, initial=f"{part.weight.normalize():f}", max_length=12
            )
        self.order_fields([f"w-{p.key}" for p in parts] + ["reason"])
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            if name.startswith("w-"):
                field.widget.attrs["inputmode"] = "decimal"

    def weight_fields(self):
        return [self[f"w-{p.key}"] for p in self.parts]

    def values(self):
        return {p.key: self.cleaned_data[f"w-{p.key}"] for p in self.parts}
