"""Form fields every page uses: money with its unit, records picked by name or credit code.

- :class:`MoneyField`: an amount in 元 read by ``core.money.parse_amount`` (the same rule as the
  services and imports), shown with its unit and a live echo in 元 and 万元 (``static/js/portal.js``).
- :class:`RecordField`: one record of the viewer's scope, typed as its credit code or exact name
  (a picker suggests matches while typing); no form shows or asks for a raw id.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .credit_code import as_row_id, normalise
from .errors import DomainError
from .money import Sign, parse_amount


class MoneyInput(forms.TextInput):
    """A text input for 元 with the unit beside it and the 元/万元 echo below it."""

    template_name = "core/widgets/money.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "data-money": "", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            context["widget"]["attrs"]["data-money-echo"] = f"{widget_id}-echo"
            context["widget"]["attrs"]["aria-describedby"] = f"{widget_id}-echo"
        return context


class MoneyField(forms.Field):
    """An amount in 元: ASCII digits, at most two decimals, the sign rule of its use (``sign``)."""

    widget = MoneyInput

    def __init__(self, *, sign=Sign.NON_NEGATIVE, **kwargs):
        self.sign = sign
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value, sign=self.sign)
        except DomainError as exc:
            raise ValidationError(exc.message, code="invalid_amount") from exc

    def prepare_value(self, value):
        return "" if value is None else str(value)


class RecordPicker(forms.TextInput):
    """A text input that suggests the viewer's records of ``kind`` by name or credit code."""

    template_name = "core/widgets/record_picker.html"

    def __init__(self, kind, attrs=None):
        self.kind = kind
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = reverse("core:pick", args=[self.kind])
        if widget_attrs.get("id"):
            widget_attrs["list"] = f"{widget_attrs['id']}-options"
        return context


class RecordField(forms.ModelChoiceField):
    """One row of the queryset (an enterprise, a provider, an evaluation body), typed rather than picked
    from a drop-down: its credit code or its exact name (or the id a link posts, ``?provider=12``).

    The pool holds thousands of providers and the registry tens of thousands of enterprises: the row
    is checked against the (scoped) queryset on the server; with ``picker="enterprise"`` the input
    suggests matches while typing. A row given as the initial value shows as its credit code."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": _("Nothing matches “%(value)s”: give the credit code or the exact name."),
        "ambiguous": _("Several match “%(value)s”: give the credit code."),
    }

    def __init__(self, *args, picker=None, **kwargs):
        if picker and "widget" not in kwargs:
            kwargs["widget"] = RecordPicker(picker)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()[:200]
        row_id = as_row_id(text)
        if row_id is not None:
            candidates = [self.queryset.filter(pk=row_id)]
        else:
            code = normalise(text)
            candidates = [self.queryset.filter(credit_code=code), self.queryset.filter(name=text)]
        for rows in candidates:
            found = list(rows[:2])
            if len(found) == 1:
                return found[0]
            if found:
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": text})
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return value.credit_code
        return super().prepare_value(value)
