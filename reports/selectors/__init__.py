"""Every read of the reports app, one module per area, each importing only the areas listed before it:

* ``scope``: whose report a viewer reads (the unit, or the district), the as-of date and the period asked for;
* ``indicators``: the counting engine (one rule per indicator, ``docs/domain.md`` §6), the records behind a
  number, the near misses, and the indicator report (target vs actual) computed now;
* ``targets``: the units' allocated targets and their history;
* ``snapshots``: the stored snapshots (latest, series, list, compare) as a viewer may read them;
* ``dashboards``: what the indicator dashboard shows (columns from snapshots or computed now, heat map, trend,
  levels, money);
* ``documents``: the documents a user asked for and the checked download.

The reports app as a whole: ``selectors/`` reads, ``rendering/`` turns reads into files (PDF, ZIP),
``exports.py`` writes workbooks, ``services/`` writes and runs jobs, ``tasks.py`` are the Celery entry points,
``views/`` and ``api/`` translate HTTP. Each layer imports only the ones before it (docs/architecture.md).
"""
