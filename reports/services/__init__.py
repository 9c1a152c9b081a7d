"""Every write of the reports app, one module per area: ``snapshots`` (request, nightly run, the task's
computation), ``documents`` (request and render a document) and ``targets`` (the units' allocation).

Services read through ``reports.selectors`` and render through ``reports.rendering``; they send Celery tasks
by name (``core.jobs.send_task``), so nothing here imports ``reports.tasks``.
"""
