"""Filters of the project and recognition lists, shared by the pages and their exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.credit_code import as_row_id, normalise
from enterprises.choices import Sector
from enterprises.filters import unit_choices
from providers.models import Provider

from .choices import ProjectStatus, RecognitionKind, RecognitionLevel

YEARS = [(str(y), str(y)) for y in (2024, 2025, 2026)]


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    unit = django_filters.ChoiceFilter(label=_("Unit"), field_name="enterprise__unit__code", choices=[])
    # Typed, not picked: the pool holds thousands of providers, and a drop-down of every one made the page grow
    # with the programme (190 kB and 50 ms of rendering at 2,000 providers).
    provider = django_filters.CharFilter(label=_("Service provider"), method="filter_provider", max_length=200)
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="enterprise__sector", choices=Sector.choices)
    year = django_filters.ChoiceFilter(label=_("Year filed"), choices=YEARS, method="filter_year")
    search = django_filters.CharFilter(label=_("Enterprise, title or contract"), method="filter_search")

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["choices"] = self.filters["unit"].field.choices = unit_choices()

    def filter_year(self, queryset, name, value):
        return queryset.filter(filed_on__year=int(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(title__icontains=value) | Q(contract_no__icontains=value)
        )

    def filter_provider(self, queryset, name, value):
        """Projects of the providers whose name contains the text or whose credit code it is. A number is a
        provider's id, as in the links made when this filter was a drop-down (``?provider=<id>``)."""
        value = value.strip()
        if not value:
            return queryset
        row_id = as_row_id(value)
        if row_id is not None:
            return queryset.filter(provider_id=row_id)
        providers = Provider.objects.filter(Q(name__icontains=value) | Q(credit_code=normalise(value)))
        return queryset.filter(provider_id__in=providers.values("pk"))


class RecognitionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RecognitionKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RecognitionLevel.choices)
    year = django_filters.ChoiceFilter(label=_("Year recognised"), choices=YEARS, method="filter_year")

    def filter_year(self, queryset, name, value):
        return queryset.filter(recognised_on__year=int(value))
