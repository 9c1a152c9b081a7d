"""Forms of the document requests: the ledger statement's date range and an evidence pack's scope.
They only collect input; ``reports.services.documents`` checks it (scope, dates) and says what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.roles import Role, role_of
from core.selectors import unit_list

from .models import Indicator, ReportingPeriod
from .selectors.indicators import NOT_BY_UNIT


class LedgerStatementForm(forms.Form):
    date_from = forms.DateField(label=_("First day"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Last day"), required=False, widget=DateInput)


class EvidencePackForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))
    unit = forms.ChoiceField(label=_("Street or town"), required=False)
    number = forms.ChoiceField(label=_("Indicator"))
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, p.name) for p in ReportingPeriod.objects.order_by("order")]
        if role_of(user) == Role.UNIT_STAFF and user.unit_id:
            self.fields["unit"].choices = [(user.unit.code, user.unit.name)]
        else:
            self.fields["unit"].choices = [("", _("District-wide"))] + [(u.code, u.name) for u in unit_list()]
        self.fields["number"].choices = [
            (i.number, f"{i.number} {i.name}" + (" *" if i.number in NOT_BY_UNIT else ""))
            for i in Indicator.objects.order_by("order")
        ]
