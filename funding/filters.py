"""Filters of the project and recognition lists, shared by the pages and their exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.choices import Sector
from enterprises.filters import unit_choices

from .choices import ProjectStatus, RecognitionKind, RecognitionLevel

YEARS = [(str(y), str(y)) for y in (2024, 2025, 2026)]


def provider_choices(viewer):
    from providers.models import Provider

    queryset = Provider.objects.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(viewer)
    return [(str(p.pk), p.name) for p in queryset.order_by("name")]


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    unit = django_filters.ChoiceFilter(label=_("Unit"), field_name="enterprise__unit__code", choices=[])
    provider = django_filters.ChoiceFilter(label=_("Service provider"), field_name="provider_id", choices=[])
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="enterprise__sector", choices=Sector.choices)
    year = django_filters.ChoiceFilter(label=_("Year filed"), choices=YEARS, method="filter_year")
    search = django_filters.CharFilter(label=_("Enterprise, title or contract"), method="filter_search")

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["choices"] = self.filters["unit"].field.choices = unit_choices()
        choices = provider_choices(viewer) if viewer is not None else []
        self.filters["provider"].extra["choices"] = self.filters["provider"].field.choices = choices

    def filter_year(self, queryset, name, value):
        return queryset.filter(filed_on__year=int(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(title__icontains=value) | Q(contract_no__icontains=value)
        )


class RecognitionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RecognitionKind.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=RecognitionLevel.choices)
    year = django_filters.ChoiceFilter(label=_("Year recognised"), choices=YEARS, method="filter_year")

    def filter_year(self, queryset, name, value):
        return queryset.filter(recognised_on__year=int(value))
