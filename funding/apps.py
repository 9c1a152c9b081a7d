from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Transformation projects, acceptance, recognitions, and the central + district fund ledger.
    Built by the projects-and-funding issue; depends on everything to its left, not on reports."""

    name = "funding"
    verbose_name = _("Projects and funding")
