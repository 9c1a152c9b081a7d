"""The report pages, one module per area: ``dashboards`` (targets and actuals, the drill-down), ``targets``
(the units' allocation), ``snapshots`` and ``documents``. Routes: ``reports/urls.py``."""
