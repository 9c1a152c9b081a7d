"""One FilterSet per list, shared by the HTML page, the xlsx export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import TaskCategory, TaskStatus
from .models import PolicyDocument, WorkTask

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def responsible_choices(queryset):
    """The departments named in the tasks (split at 、) and the units tasks are assigned to, as data."""
    names = set()
    for departments, unit_name in queryset.order_by().values_list("responsible_departments", "unit__name").distinct():
        names.update(part.strip() for part in (departments or "").split("、") if part.strip())
        if unit_name:
            names.add(unit_name)
    return [(name, name) for name in sorted(names)]


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Progress"), choices=TaskStatus.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=TaskCategory.choices)
    responsible = django_filters.ChoiceFilter(label=_("Responsible"), choices=[], method="filter_responsible")
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")

    class Meta:
        model = WorkTask
        fields = ["status", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = responsible_choices(self.queryset)
        self.filters["responsible"].extra["choices"] = self.filters["responsible"].field.choices = choices

    def filter_responsible(self, queryset, name, value: str):
        return queryset.filter(Q(responsible_departments__contains=value) | Q(unit__name=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "yes" else queryset.not_overdue()


class PolicyFilter(django_filters.FilterSet):
    in_force = django_filters.ChoiceFilter(label=_("In force"), choices=YES_NO, method="filter_in_force")
    window = django_filters.ChoiceFilter(label=_("Application window open now"), choices=YES_NO, method="filter_window")
    search = django_filters.CharFilter(label=_("Title, number or issuer"), method="filter_search")

    class Meta:
        model = PolicyDocument
        fields = []

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value == "yes" else queryset.not_in_force()

    def filter_window(self, queryset, name, value):
        return queryset.window_open() if value == "yes" else queryset.window_not_open()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(issuer__icontains=value))
