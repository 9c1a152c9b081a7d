"""Writing spreadsheets: exports, the annotated error sheet and the blank templates.

Every cell the portal writes goes through :func:`safe_cell`, so a text starting like a formula is
shown as text instead of run (spreadsheet formula injection). Exports are streamed with openpyxl's
write-only mode (rows are never all held as cells); CSV is UTF-8 with BOM, which Excel on Chinese
Windows opens correctly.
"""

import csv
import io

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import FORMULA_PREFIXES, cell_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
#: The column added to the error sheet.
ERROR_HEADER = "错误说明"
#: The template's help sheets (a reader skips sheets of these names).
NOTES_SHEET = "填写说明"
ALLOWED_SHEET = "允许值"
REQUIRED_FILL = "FDE2E1"
OPTIONAL_FILL = "EEF2F7"
ERROR_COLOUR = "A4161A"
#: Rows of a template that get the drop-down lists.
TEMPLATE_ROWS = 2000


def safe_cell(value):
    """A text starting like a formula (``= + - @``, tab, CR) gets a leading apostrophe, so that a
    spreadsheet shows it as text instead of running it. Numbers, dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_only_workbook():
    return openpyxl.Workbook(write_only=True)


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Exports ---------------------------------------------------------------------------------------


def _append_plain_sheet(workbook, title, headers, rows):
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])


def write_xlsx(sheets):
    """``sheets``: ``[(title, headers, rows)]`` → xlsx bytes: bold headers in row 1, every cell
    formula-safe, streamed in write-only mode."""
    workbook = write_only_workbook()
    for title, headers, rows in sheets:
        _append_plain_sheet(workbook, title, headers, rows)
    return workbook_bytes(workbook)


def write_rows_xlsx(headers, rows, *, sheet_title="Sheet1"):
    """A plain sheet (headers in row 1) as xlsx bytes; every cell through :func:`safe_cell`."""
    return write_xlsx([(sheet_title, headers, rows)])


def write_csv(headers, rows):
    """CSV bytes: UTF-8 with BOM, CRLF lines, ``None`` as an empty cell, every text cell formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


# --- The error sheet -------------------------------------------------------------------------------


def write_error_file(headers, rows, *, credit_code_position=None):
    """The error sheet: row 1 = the upload's headers plus 错误说明; then each error row as uploaded,
    with what to fix in the last column. ``rows`` yields ``(cells, explanation)`` or
    ``(cells, explanation, bad_positions)``: the cells at ``bad_positions`` (the offending columns) are
    highlighted. Returns xlsx bytes."""
    positions = () if credit_code_position is None else (credit_code_position,)
    return write_error_workbook([("错误行", headers, rows, positions)])


def write_error_workbook(sheets):
    """Error sheets in one workbook: ``sheets`` yields ``(title, headers, rows, text_positions)``,
    ``rows`` as for :func:`write_error_file`; the cells at ``text_positions`` (credit codes) are kept
    as text. Returns xlsx bytes."""
    workbook = write_only_workbook()
    for title, headers, rows, text_positions in sheets:
        _append_error_sheet(workbook, title, headers, rows, frozenset(text_positions))
    return workbook_bytes(workbook)


def _typed_cell(sheet, value):
    """A cell of the error sheet holding the value as the clerk typed it: no apostrophe is added (an xlsx
    string cell never runs); a text that starts like a formula is stored as text and marked so (quotePrefix),
    so the spreadsheet neither runs it nor shows a stray apostrophe."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _append_error_sheet(workbook, title, headers, rows, text_positions):
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    header_cells = []
    for text in (*headers, ERROR_HEADER):
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header_cells.append(cell)
    header_cells[-1].fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    header_cells[-1].font = Font(bold=True, color=ERROR_COLOUR)
    sheet.column_dimensions["A"].width = 22
    sheet.append(header_cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    bad_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    bad_font = Font(color=ERROR_COLOUR, bold=True)
    for cells, explanation, *bad in rows:
        bad_positions = frozenset(bad[0]) if bad else frozenset()
        out = []
        for position, value in enumerate(cells):
            cell = _typed_cell(sheet, value)
            if position in bad_positions:
                cell.fill = bad_fill
                cell.font = bad_font
            if position in text_positions:
                # The code is text: keep it so when the clerk types it again (no lost digits).
                cell.number_format = "@"
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.value = cell_text(value)
            out.append(cell)
        note = WriteOnlyCell(sheet, value=safe_cell(explanation))
        note.font = Font(color=ERROR_COLOUR)
        note.alignment = wrap
        out.append(note)
        sheet.append(out)


# --- Templates -------------------------------------------------------------------------------------


class TemplateWorkbook:
    """A blank import template: data sheets (one per schema: headers, required ones in red, typed
    codes kept as text, drop-down lists), then the help sheets 填写说明 (what each column takes, with
    example rows) and 允许值 (the allowed values the drop-down lists read)."""

    def __init__(self):
        self.workbook = openpyxl.Workbook()
        self._unused_first = self.workbook.active
        self._notes = None
        self._allowed = None
        self.bold = Font(bold=True)

    def data_sheet(self, title, columns, *, text_keys=(), min_width=12, text_width=24):
        """A sheet with the header row of ``columns``; the columns of ``text_keys`` are formatted as
        text (Excel would round an all-digit code typed into a number cell)."""
        if self._unused_first is not None:
            sheet, self._unused_first = self._unused_first, None
        else:
            sheet = self.workbook.create_sheet()
        sheet.title = title
        required_fill = PatternFill("solid", fgColor=REQUIRED_FILL)
        optional_fill = PatternFill("solid", fgColor=OPTIONAL_FILL)
        for position, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=position, value=column.header)
            cell.font = Font(bold=True, color=ERROR_COLOUR if column.required else "000000")
            cell.fill = required_fill if column.required else optional_fill
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = max(min_width, len(column.header) * 2 + 4)
            if column.key in text_keys:
                # A column style, not styled cells: rows appended below the header still start at row 2.
                sheet.column_dimensions[letter].number_format = "@"
                sheet.column_dimensions[letter].width = text_width
        sheet.freeze_panes = "A2"
        return sheet

    @property
    def notes(self):
        """The 填写说明 sheet (created after the data sheets)."""
        if self._notes is None:
            self._notes = self.workbook.create_sheet(NOTES_SHEET)
        return self._notes

    @property
    def allowed(self):
        """The 允许值 sheet (created after 填写说明)."""
        if self._allowed is None:
            self.notes  # noqa: B018 - 填写说明 comes before 允许值
            self._allowed = self.workbook.create_sheet(ALLOWED_SHEET)
        return self._allowed

    def note(self, *cells, font=None):
        """Append a row to 填写说明; ``font`` styles its cells."""
        self.notes.append(list(cells))
        if font is not None:
            for cell in self.notes[self.notes.max_row]:
                cell.font = font

    def column_help(self, columns, guidance, *, guidance_key=None):
        """The table 列名 / 是否必填 / 填写要求 of ``columns`` on 填写说明; ``guidance`` maps a column key
        (or ``guidance_key(column)``) to what it takes."""
        self.note("列名", "是否必填", "填写要求", font=self.bold)
        for column in columns:
            key = guidance_key(column) if guidance_key else column.key
            self.note(column.header, "必填" if column.required else "选填", guidance.get(key, ""))

    def allowed_values(self, lists, *, width=30):
        """Columns of allowed values on 允许值: ``lists`` yields ``(title, values)`` or ``(title,
        values, width)``. Returns ``{title: range}``, the ranges a drop-down list reads."""
        ranges = {}
        for position, entry in enumerate(lists, start=1):
            title, values = entry[0], entry[1]
            letter = get_column_letter(position)
            self.allowed.cell(row=1, column=position, value=title).font = self.bold
            for index, value in enumerate(values, start=2):
                self.allowed.cell(row=index, column=position, value=value)
            self.allowed.column_dimensions[letter].width = entry[2] if len(entry) > 2 else width
            ranges[title] = f"'{ALLOWED_SHEET}'!${letter}${2}:${letter}${max(2, 1 + len(values))}"
        return ranges

    @staticmethod
    def dropdown(sheet, columns, key, source):
        """A drop-down list on the column ``key`` of a data sheet, reading ``source`` (a range of
        允许值). A help, not a lock: values typed by hand are accepted too."""
        letter = get_column_letter([c.key for c in columns].index(key) + 1)
        validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=False)
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    def to_bytes(self):
        self.workbook.active = 0
        return workbook_bytes(self.workbook)
