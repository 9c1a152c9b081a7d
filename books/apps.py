from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BooksConfig(AppConfig):
    """Period close: the books closed through a day, reopened by two people, and the exceptions that let a
    correction through (docs/architecture.md "Period close")."""

    name = "books"
    verbose_name = _("Period close")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from . import services

        pre_create_historical_record.connect(services.mark_correction, dispatch_uid="books.mark_correction")
