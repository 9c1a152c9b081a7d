"""The FilterSets of diagnostics: assessments and diagnosis reports (each shared by its list page and the API),
and the API's deadlines."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.params import IdFilter

from .choices import AssessmentStatus, DeadlineKind, DiagnosisStatus, Method, Stage
from .models import Assessment, Deadline, Diagnosis


class AssessmentFilter(django_filters.FilterSet):
    """One FilterSet for the assessment list page and the API."""

    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Method.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssessmentStatus.choices)
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=[(str(n), str(n)) for n in range(5)], method="filter_level"
    )

    class Meta:
        model = Assessment
        fields = ["enterprise", "stage", "method", "status"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(level=int(value))


class DiagnosisFilter(django_filters.FilterSet):
    """One FilterSet for the report list page and the API."""

    enterprise = IdFilter(label=_("Enterprise"), field_name="enterprise_id")
    provider = IdFilter(label=_("Service provider"), field_name="provider_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DiagnosisStatus.choices)
    is_current = django_filters.BooleanFilter(label=_("Current accepted report"))
    search = django_filters.CharFilter(label=_("Enterprise name or credit code"), method="filter_search")

    class Meta:
        model = Diagnosis
        fields = ["enterprise", "provider", "status", "is_current"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__credit_code__icontains=value.upper())
        )


class DeadlineFilter(django_filters.FilterSet):
    """The API's deadline filters (``overdue`` reads the ``is_overdue`` that ``deadline_list`` annotates)."""

    enterprise = IdFilter(field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(choices=DeadlineKind.choices)
    unit = django_filters.CharFilter(field_name="enterprise__unit__code")
    overdue = django_filters.BooleanFilter(field_name="is_overdue")

    class Meta:
        model = Deadline
        fields = ["enterprise", "kind", "unit", "overdue"]
