"""Reading a back-fill file: a workbook of up to three sheets, each recognised by its name or its
header row, or a CSV file holding one of them (read by :mod:`core.tabular.reading`)."""

import logging

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.tabular import reading
from core.tabular.schema import header_key

from .schema import HELP_SHEETS, KINDS, guess_kind, kind_by_sheet_name

logger = logging.getLogger(__name__)


# --- Reading the file -----------------------------------------------------------------------------


class _SheetMixin:
    """One sheet of a back-fill file, read by the roster engine with this kind's columns."""

    anchor = "contract_no"
    kind = None
    title = ""

    def detect_layout(self):
        if self.kind is None:
            rows = self.raw_rows()
            try:
                self.kind = guess_kind(rows)
            finally:
                rows.close()
            if self.kind is None:
                return None
        self.schema = self.kind.schema
        return super().detect_layout()

    def header(self, key):
        """The header of a column as written in this sheet (its template header when absent)."""
        position = self.layout.index.get(key)
        return self.layout.headers[position] if position is not None else self.kind.column(key).header


class _CsvSheet(_SheetMixin, reading.CsvFile):
    def __init__(self, fileobj, *, name=""):
        super().__init__(fileobj, name=name)
        if self.kind is not None:
            self.title = self.kind.sheet


class _XlsxSheet(_SheetMixin, reading.XlsxFile):
    """A sheet of a workbook opened once for all its sheets (see BackfillFile)."""


def _sheet_error(title, exc):
    return DomainError(
        exc.code,
        _("Sheet “{sheet}”: {message}").format(sheet=title, message=exc.message),
        field="file",
        status=exc.status,
    )


class BackfillFile:
    """An opened back-fill file: ``sheets`` in processing order (projects, acceptances, payments)."""

    def __init__(self, fileobj, *, name=""):
        reading.check_size(reading.file_size(fileobj))
        self.format = reading.sniff_format(fileobj, name)
        self.workbook = None
        sheets = []
        if self.format == "xlsx":
            sheets = self._xlsx_sheets(fileobj, name)
        else:
            sheet = _CsvSheet(fileobj, name=name)
            if sheet.kind is not None:
                sheets = [sheet]
        if not sheets:
            self.close()
            raise DomainError(
                "no_history_sheet",
                _(
                    "No sheet of projects (项目), acceptances (验收) or payments (拨付) was found. Use the template: "
                    "its sheets have the right names and column headers."
                ),
                field="file",
            )
        seen = {}
        for sheet in sheets:
            if sheet.kind.key in seen:
                self.close()
                raise DomainError(
                    "duplicate_sheet",
                    _("The sheets “{first}” and “{second}” both hold {kind}: put them on one sheet.").format(
                        first=seen[sheet.kind.key], second=sheet.title, kind=sheet.kind.sheet
                    ),
                    field="file",
                )
            seen[sheet.kind.key] = sheet.title
        self.sheets = sorted(sheets, key=lambda s: KINDS.index(s.kind))

    def _xlsx_sheets(self, fileobj, name):
        self.workbook = reading.load_workbook(fileobj)
        sheets = []
        for worksheet in self.workbook.worksheets:
            if header_key(worksheet.title) in HELP_SHEETS:
                continue
            sheet = _XlsxSheet.of_sheet(self.workbook, worksheet, fileobj=fileobj, name=name)
            sheet.title = worksheet.title
            sheet.kind = kind_by_sheet_name(worksheet.title)
            try:
                sheet.layout = sheet.detect_layout()
            except DomainError as exc:
                if sheet.kind is None or exc.code == "empty_roster":
                    continue  # an unrelated sheet, or one of the three left empty
                self.close()
                raise _sheet_error(worksheet.title, exc) from exc
            if sheet.kind is not None:
                sheets.append(sheet)
        return sheets

    def count_rows(self, limit=None):
        total = 0
        for sheet in self.sheets:
            total += sheet.count_rows(limit=None if limit is None else limit - total)
            if limit is not None and total >= limit:
                break
        return total

    def close(self):
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_backfill(fileobj, *, name=""):
    """Check and open an uploaded back-fill file (seekable, binary); use as a context manager."""
    try:
        return BackfillFile(fileobj, name=name)
    except DomainError as exc:
        if exc.code == "empty_roster":
            raise DomainError(
                "empty_file", _("The file holds no rows: fill in the template's sheets."), field="file"
            ) from exc
        raise
