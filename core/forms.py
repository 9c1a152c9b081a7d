"""Form pieces every page uses: money with its unit, records picked by name or credit code, dates,
credit codes, and the Bootstrap form the pages render field by field.

- :class:`MoneyField`: an amount in 元 (or 万元, ``in_wan=True``) read by ``core.money.parse_amount``
  (the same rule as the services and imports), shown with its unit and a live echo in 元 and 万元
  (``static/js/portal.js``).
- :class:`RecordField`: one record of the viewer's scope, typed as its credit code or exact name
  (a picker suggests matches while typing); no form shows or asks for a raw id.
- :class:`DateInput`: the browser's date picker; :class:`CreditCodeField`: an organisation's unified
  social credit code, as typed (the services tidy and check it).
- :class:`BootstrapForm`: a form whose widgets carry Bootstrap's classes and that puts a service's
  ``DomainError`` on the field it names.
- :class:`DoubleEntryMixin`: large amounts (above ``settings.PORTAL_DOUBLE_ENTRY_ABOVE_YUAN``) are
  typed twice on the page forms, checked on the server (the second input shows only when needed,
  ``static/js/portal.js``); the API is not affected.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .credit_code import as_row_id, normalise
from .errors import DomainError
from .money import Sign, format_wan, parse_amount


class DateInput(forms.DateInput):
    """The browser's date picker; the value is written ``YYYY-MM-DD``, the only form it reads."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    """Gives every widget Bootstrap's classes, so templates render ``{{ field }}`` as it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple | forms.RadioSelect, forms.CheckboxInput)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def add_domain_error(self, exc):
        """Show a service's ``DomainError`` on the field it names, or above the form."""
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


#: The help under a credit code typed for a new record.
CREDIT_CODE_HELP = _("18 characters; spaces, dashes and full-width characters are tidied up.")


class CreditCodeField(forms.CharField):
    """An organisation's unified social credit code as typed; the services tidy and check it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Unified social credit code"))
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


class PortalInput(forms.TextInput):
    """A text input with markup of its own around it (a unit, an echo, a suggestion list): field
    templates render it as ``{{ field }}``. It carries Bootstrap's ``form-control`` and, when its
    field has errors (Django marks it ``aria-invalid``), ``is-invalid``."""

    renders_own_markup = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        classes = widget_attrs.get("class") or "form-control"
        if widget_attrs.get("aria-invalid") == "true" and "is-invalid" not in classes.split():
            classes += " is-invalid"
        widget_attrs["class"] = classes
        return context


class MoneyInput(PortalInput):
    """A text input for 元 (or 万元) with the unit beside it and the 元/万元 echo below it."""

    template_name = "core/widgets/money.html"

    def __init__(self, attrs=None, *, in_wan=False):
        self.in_wan = in_wan
        money = {"inputmode": "decimal", "autocomplete": "off", "data-money": ""}
        if in_wan:
            money["data-money-unit"] = "wan"
        super().__init__({**money, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["in_wan"] = self.in_wan
        widget_id = context["widget"]["attrs"].get("id")
        if widget_id:
            context["widget"]["attrs"]["data-money-echo"] = f"{widget_id}-echo"
            context["widget"]["attrs"]["aria-describedby"] = f"{widget_id}-echo"
        return context


class MoneyField(forms.Field):
    """An amount in 元: ASCII digits, at most two decimals, the sign rule of its use (``sign``).

    ``in_wan`` reads an enterprise statistic kept in 万元 (revenue) by the same rule; ``max_digits``
    bounds an amount whose model column is narrower than the programme's money."""

    widget = MoneyInput

    def __init__(self, *, sign=Sign.NON_NEGATIVE, in_wan=False, max_digits=None, **kwargs):
        self.sign = sign
        if in_wan and "widget" not in kwargs:
            kwargs["widget"] = MoneyInput(in_wan=True)
        super().__init__(**kwargs)
        if max_digits is not None:
            self.validators.append(DecimalValidator(max_digits, 2))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value, sign=self.sign)
        except DomainError as exc:
            raise ValidationError(exc.message, code="invalid_amount") from exc

    def prepare_value(self, value):
        return "" if value is None else str(value)


class RecordPicker(PortalInput):
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

    def __init__(self, queryset=None, *, picker=None, **kwargs):
        # ``queryset`` is usually the viewer's rows, set by the form once it knows the viewer.
        if picker and "widget" not in kwargs:
            kwargs["widget"] = RecordPicker(picker)
        super().__init__(queryset, **kwargs)

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
        # An id (``initial={"enterprise": record.enterprise_id}``, ``?provider=12``) shows as its credit code.
        row_id = as_row_id(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        if row_id is not None and self.queryset is not None:
            code = self.queryset.filter(pk=row_id).values_list("credit_code", flat=True).first()
            if code:
                return code
        return super().prepare_value(value)


def double_entry_threshold():
    """Above this many 元, the page forms ask for an amount twice."""
    return settings.PORTAL_DOUBLE_ENTRY_ABOVE_YUAN


class DoubleEntryMixin:
    """Type a large amount twice: each :class:`MoneyField` named in ``double_entry`` is followed by
    ``<name>_again``; above the threshold the form refuses a second amount that is missing or
    differs. Put it before the form class: ``class F(DoubleEntryMixin, BootstrapForm)``."""

    double_entry = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        threshold = double_entry_threshold()
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name not in self.double_entry:
                continue
            again = MoneyField(
                label=_("{label}, typed again").format(label=field.label),
                sign=field.sign,
                required=False,
                help_text=_("Amounts above {threshold} are typed twice.").format(threshold=format_wan(threshold)),
            )
            again.widget.attrs.update(
                {"data-double-entry-of": self.add_prefix(name), "data-double-entry-above": str(threshold)}
            )
            fields[f"{name}_again"] = again
        self.fields = fields

    def clean(self):
        cleaned = super().clean()
        threshold = double_entry_threshold()
        for name in self.double_entry:
            amount, again = cleaned.get(name), cleaned.get(f"{name}_again")
            if amount is None or amount <= threshold or f"{name}_again" in self.errors:
                continue
            if again is None:
                self.add_error(
                    f"{name}_again",
                    _("Amounts above {threshold} are typed twice: type the amount again.").format(
                        threshold=format_wan(threshold)
                    ),
                )
            elif again != amount:
                self.add_error(f"{name}_again", _("The two amounts differ: type the same amount twice."))
        return cleaned
