"""History back-fill: the projects, acceptances and payments of the pilot since October
2024, from before the portal, loaded from spreadsheets with the roster's discipline.

**The file.** One workbook with up to three sheets — 项目 (projects), 验收 (acceptances) and
拨付 (payments) — or a CSV file holding one of them. A sheet is recognised by its name, else by
its header row; sheets named 填写说明 / 允许值 (the template's help) and sheets that hold none of
the three are ignored. One workbook rather than three kinds of file, because one upload then
carries a project from filing to payment, and the sheets are processed in that order (projects,
then acceptances, then payments) so later sheets can name projects of the earlier one. The file is
read by the tabular engine (:mod:`core.tabular`): the same streaming, encodings (UTF-8, GBK),
and messages for malformed files. At most ``services.MAX_ROWS`` rows per file.

**Rows are written through the services** (:mod:`funding.services.projects`,
:mod:`funding.services.ledger`), in file order, with the uploader as actor, so every rule holds:
an accepted diagnosis before filing, the acceptance gate, the money rules, no future dates. Each
row runs in its own savepoint: a refused row is reported (row number, the column as written, and
why) and the others are written. The whole file is one transaction. **A preview runs exactly the
same code in a transaction that is rolled back**, so it predicts what the commit will do.

**Re-importing is safe**: a project is identified by enterprise + contract number, an acceptance by
project + inspection date, a payment by its voucher number (or, not yet paid, by its commitment
line, tranche, request date and amount). A row already recorded the same way is *unchanged*; a
row that goes further (an approval date added, a payment now paid) *updates* it; a row that
contradicts what is recorded is an error (records are corrected on their pages, not by import).

**Who**: district officials back-fill projects, acceptances and commitments; finance officers
back-fill payments (against commitments already recorded); admins everything. A row the uploader
may not write is an error saying so.

**The modules**: :mod:`.schema` (the three sheets' columns and their cell parsers), :mod:`.files`
(reading the workbook's sheets), :mod:`.rows` (checking and writing a row), :mod:`.services`
(the batch: start, commit, run, results, error sheet, template), :mod:`.views` and :mod:`.urls`
(the pages at /funding/backfill/). The API is in :mod:`funding.api`.
"""
