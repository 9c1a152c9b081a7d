"""FilterSets shared by the pages, the exports and the API (docs/style.md: one per list)."""

import django_filters
from django.db import connection
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core.credit_code import normalise
from core.params import IdFilter
from enterprises.choices import Sector

from .choices import SCENE_CODES, PoolStatus, PriceModel, ProviderType
from .models import (
    EvaluationBody,
    EvaluatorAssignment,
    Product,
    Provider,
    ProviderAssignment,
    ProviderRating,
    ProviderScorecard,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def json_list_contains(queryset, field, code):
    """Rows whose JSON list ``field`` holds ``code``: jsonb containment on PostgreSQL; on SQLite (the
    embedded default, which has no JSON containment) a match of the quoted code in the stored text."""
    if connection.features.supports_json_field_contains:
        return queryset.filter(**{f"{field}__contains": [code]})
    alias = f"_{field}_text"
    return queryset.annotate(**{alias: Cast(field, TextField())}).filter(**{f"{alias}__contains": f'"{code}"'})


def _search(queryset, value, *fields):
    value = (value or "").strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    if "credit_code" in fields:
        condition |= Q(credit_code__icontains=normalise(value))
    return queryset.filter(condition)


PROVIDER_SORTS = {
    "name": "name",
    "-name": "-name",
    "key": "key_provider_since",
    "-key": "-key_provider_since",
    "created": "created_at",
    "-created": "-created_at",
}


class ProviderFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(label=_("Type"), choices=ProviderType.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector served"), choices=Sector.choices, method="filter_sector")
    scene = django_filters.ChoiceFilter(label=_("Scene served"), choices=SCENE_CODES, method="filter_scene")
    pool_status = django_filters.ChoiceFilter(label=_("Resource pool status"), choices=PoolStatus.choices)
    key_provider = django_filters.ChoiceFilter(label=_("Key provider"), choices=YES_NO, method="filter_key")
    search = django_filters.CharFilter(label=_("Name or credit code"), method="filter_search")
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=[(k, k) for k in PROVIDER_SORTS], method="filter_sort")

    class Meta:
        model = Provider
        fields = ["type", "pool_status"]

    def filter_sector(self, queryset, name, value):
        return json_list_contains(queryset, "sectors", value)

    def filter_scene(self, queryset, name, value):
        return json_list_contains(queryset, "scenes", value)

    def filter_key(self, queryset, name, value):
        return queryset.filter(key_provider_since__isnull=(value == "no"))

    def filter_search(self, queryset, name, value):
        return _search(queryset, value, "name", "credit_code")

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(PROVIDER_SORTS[value], "pk")


class ProductFilter(django_filters.FilterSet):
    provider = django_filters.ModelChoiceFilter(label=_("Service provider"), queryset=Provider.objects.none())
    scene = django_filters.ChoiceFilter(label=_("Scene covered"), choices=SCENE_CODES, method="filter_scene")
    recognised = django_filters.ChoiceFilter(label=_("Recognised"), choices=YES_NO, method="filter_recognised")
    price_model = django_filters.ChoiceFilter(label=_("Price model"), choices=PriceModel.choices)
    search = django_filters.CharFilter(label=_("Name"), method="filter_search")

    class Meta:
        model = Product
        fields = ["provider", "price_model"]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Provider.objects.visible_to(viewer) if viewer is not None else Provider.objects.all()
        self.filters["provider"].queryset = providers
        self.filters["provider"].field.queryset = providers

    def filter_scene(self, queryset, name, value):
        return json_list_contains(queryset, "scenes", value)

    def filter_recognised(self, queryset, name, value):
        return queryset.filter(recognised_on__isnull=(value == "no"))

    def filter_search(self, queryset, name, value):
        return _search(queryset, value, "name", "description")


class EvaluationBodyFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Name or credit code"), method="filter_search")

    class Meta:
        model = EvaluationBody
        fields = []

    def filter_search(self, queryset, name, value):
        return _search(queryset, value, "name", "credit_code")


class ProviderEnterpriseFilter(django_filters.FilterSet):
    """Records that link a provider to an enterprise: ``?provider=<id>&enterprise=<id>``."""

    provider = IdFilter(label=_("Service provider"), field_name="provider_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")

    class Meta:
        fields = ["provider", "enterprise"]


class ProviderAssignmentFilter(ProviderEnterpriseFilter):
    class Meta(ProviderEnterpriseFilter.Meta):
        model = ProviderAssignment


class EvaluatorAssignmentFilter(django_filters.FilterSet):
    evaluation_body = IdFilter(label=_("Evaluation body"), field_name="evaluation_body_id")
    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")

    class Meta:
        model = EvaluatorAssignment
        fields = ["evaluation_body", "enterprise"]


class ProviderRatingFilter(ProviderEnterpriseFilter):
    class Meta(ProviderEnterpriseFilter.Meta):
        model = ProviderRating


class ProviderScorecardFilter(django_filters.FilterSet):
    period = django_filters.CharFilter(label=_("Period"), method="filter_period")
    provider = IdFilter(label=_("Service provider"), field_name="provider_id")

    class Meta:
        model = ProviderScorecard
        fields = ["period", "provider"]

    def filter_period(self, queryset, name, value):
        return queryset.filter(period=value.strip().upper())
