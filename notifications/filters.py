"""The inbox's filters, shared by the page and the API: read or unread, and the kind."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind
from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    read = django_filters.ChoiceFilter(
        label=_("Read"), choices=[("false", _("Unread")), ("true", _("Read"))], method="filter_read"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NotificationKind.choices)

    class Meta:
        model = Notification
        fields = ["read", "kind"]

    def filter_read(self, queryset, name, value):
        if value not in ("true", "false"):
            return queryset
        return queryset.filter(read_at__isnull=value == "false")
