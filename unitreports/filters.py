"""The unit reports' list filter, shared by the page and the API. Codes are chosen from lists read from the
database, so a hostile value is a form error (400 in the API), never a query."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit
from core.params import IdFilter
from core.roles import Role, role_of
from reports.models import ReportingPeriod

from .choices import ReportStatus
from .models import UnitReport


class UnitReportFilter(django_filters.FilterSet):
    round = IdFilter(label=_("Round"), field_name="round_id")
    unit = django_filters.ChoiceFilter(label=_("Unit"), choices=[], field_name="unit__code")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    period = django_filters.ChoiceFilter(
        label=_("Indicator period"), choices=[], field_name="round__indicator_period__code"
    )

    class Meta:
        model = UnitReport
        fields = ["status"]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(parent__isnull=False).order_by("code")
        if viewer is not None and role_of(viewer) == Role.UNIT_STAFF:
            units = units.filter(pk=viewer.unit_id)
        self._choices("unit", [(u.code, u.name) for u in units])
        periods = ReportingPeriod.objects.filter(end__isnull=False).order_by("order")
        self._choices("period", [(p.code, p.name) for p in periods])

    def _choices(self, name, choices):
        self.filters[name].extra["choices"] = choices
        self.form.fields[name].choices = [("", "---------"), *choices]
