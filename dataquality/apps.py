from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataqualityConfig(AppConfig):
    """The data-quality centre: findings on the registry (duplicates, gaps, stale records, outliers…), their
    resolutions, the per-unit quality score and the merge of duplicate enterprises. Sits above ``funding``
    (it reads the registry and moves the records of every app that points to an enterprise, through the
    model meta) and beside ``reports``; the unit assessment reads its score."""

    name = "dataquality"
    verbose_name = _("Data quality")

    def ready(self):
        from core import registry

        from . import measures

        # The street/town assessment's part "data quality" (docs/architecture.md "The street/town assessment").
        registry.unit_measures.register("data_quality", measures.data_quality)
