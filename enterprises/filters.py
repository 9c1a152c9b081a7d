"""One FilterSet for the enterprise list page, its exports and the API (docs/style.md)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.credit_code import normalise
from core.selectors import unit_list

from .choices import Scale, Sector, Size, Status, Tier
from .models import Enterprise

LEVEL_CHOICES = [("none", _("Not evaluated")), *[(str(n), str(n)) for n in range(5)]]
CLOUD_CHOICES = [("yes", _("Verified")), ("no", _("Not verified"))]
SORTS = {
    "name": "name",
    "-name": "-name",
    "code": "credit_code",
    "-code": "-credit_code",
    "unit": "unit__code",
    "-unit": "-unit__code",
    "level": "current_level",
    "-level": "-current_level",
    "revenue": "revenue",
    "-revenue": "-revenue",
    "employees": "employees",
    "-employees": "-employees",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def unit_choices():
    """Read on every use: units are data, not code."""
    return [(u.code, u.name) for u in unit_list()]


class EnterpriseFilter(django_filters.FilterSet):
    unit = django_filters.ChoiceFilter(label=_("Unit"), field_name="unit__code", choices=[])
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    scale = django_filters.ChoiceFilter(label=_("Statistical scale"), choices=Scale.choices)
    size = django_filters.ChoiceFilter(label=_("Enterprise size"), choices=Size.choices)
    tier = django_filters.ChoiceFilter(label=_("Quality-SME tier"), choices=Tier.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    level = django_filters.ChoiceFilter(label=_("Current level"), choices=LEVEL_CHOICES, method="filter_level")
    cloud = django_filters.ChoiceFilter(label=_("Cloud adoption"), choices=CLOUD_CHOICES, method="filter_cloud")
    search = django_filters.CharFilter(label=_("Name or credit code"), method="filter_search")
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=[(k, k) for k in SORTS], method="filter_sort")

    class Meta:
        model = Enterprise
        fields = ["unit", "sector", "scale", "size", "tier", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set on the field itself: the schema generator builds (and caches) fields on the class's filters.
        self.filters["unit"].extra["choices"] = self.filters["unit"].field.choices = unit_choices()

    def filter_level(self, queryset, name, value):
        if value == "none":
            return queryset.filter(current_level__isnull=True)
        return queryset.filter(current_level=int(value))

    def filter_cloud(self, queryset, name, value):
        return queryset.filter(cloud_verified_on__isnull=(value == "no"))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=normalise(value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(SORTS[value], "pk")
