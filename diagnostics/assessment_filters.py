"""One FilterSet for the assessment list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import AssessmentStatus, Method, Stage
from .models import Assessment


class AssessmentFilter(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(label=_("Enterprise"), field_name="enterprise_id")
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
