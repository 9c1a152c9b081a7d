"""The one filter of the events list, shared by the page, its export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit
from core.params import IdFilter

from .choices import EventKind, EventStatus
from .models import Event


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EventStatus.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Organiser unit"), field_name="organiser_unit", queryset=OrgUnit.objects.order_by("code")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="starts_at", lookup_expr="year", min_value=2000, max_value=2100
    )
    provider = IdFilter(label=_("Service provider"), field_name="providers")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)

    class Meta:
        model = Event
        fields = ["kind", "status", "unit", "year", "provider"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value) | Q(topic__icontains=value))
