"""The tabular engine: spreadsheet imports and exports, written once for every app.

* :mod:`~core.tabular.reading`: safe reading of ``.xlsx`` and ``.csv`` uploads (limits, zip bombs,
  encodings, header detection, blank rows, sheets);
* :mod:`~core.tabular.cells`: typed cell parsers (text, dates, whole numbers, 是/否, money, credit codes);
* :mod:`~core.tabular.schema`: column schemas (headers and their aliases, required columns, a parser per column);
* :mod:`~core.tabular.writing`: formula-safe xlsx and csv writing, the annotated error sheet, templates;
* :mod:`~core.tabular.batches`: the upload batch (abstract model) and its preview / commit / background run;
* :mod:`~core.tabular.views` and :mod:`~core.tabular.api`: an import's pages (upload, uploads, one upload with
  its progress, commit, error sheet; templates in ``templates/core/tabular/``) and its API views.

An import is a schema and a row writer on these (``enterprises.roster`` + ``enterprises.imports``,
``funding.backfill``, ``events.signin``), with a declaration of its pages and API views in its own words.
"""
