"""Safe reading of uploaded spreadsheets: ``.xlsx`` (openpyxl, read-only, streamed) and ``.csv``
(UTF-8 with or without BOM, GBK/GB18030, UTF-16 "Unicode text"; comma, tab or semicolon).

:func:`open_file` checks a file before anything parses it and refuses hostile or malformed files
with a :class:`~core.errors.DomainError` (``field="file"``) a clerk can act on: not a spreadsheet, an
old ``.xls``, a web page renamed, empty, oversized, a zip bomb (declared sizes are checked before any
part is decompressed; openpyxl's XML parser refuses entity expansion and external entities), no
header row, missing or duplicated columns, too many rows, absurd cells. The header row is found
among the first rows with a :class:`~core.tabular.schema.Schema`; blank rows are skipped; the data
rows are streamed, so nothing but the current row is held in memory.
"""

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError

from .cells import is_blank
from .schema import header_key

# --- Limits (the upload size and the unpacked size can be changed in settings) ----------------------

#: Data rows one file may hold, unless the reader is given another limit.
MAX_ROWS = 100_000
#: Characters one cell may hold: Excel's own limit. A longer cell means the file is not a spreadsheet of records.
MAX_CELL_CHARS = 32_767
#: Columns read from a header row.
MAX_COLUMNS = 200
#: Rows searched for the header row (a title row above the headers is tolerated).
HEADER_SEARCH_ROWS = 10
#: This many blank rows in a row end the sheet: what lies below is not read (a sheet claiming a million empty
#: rows is over quickly).
MAX_BLANK_RUN = 1_000
#: A workbook's parts, unpacked: openpyxl never sees a workbook declaring more than this.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
#: Compression ratio above which a (large) part is treated as a zip bomb.
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 4 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000


def max_upload_bytes():
    return getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def max_unzipped_bytes():
    return getattr(settings, "PORTAL_ROSTER_MAX_UNZIPPED_BYTES", MAX_UNZIPPED_BYTES)


# --- Refusals -----------------------------------------------------------------------------------------

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"BM",
    b"MZ",
    b"\x7fELF",
    b"PK\x05\x06",
    b"PK\x07\x08",
)


def file_error(code, message):
    """A refusal of the uploaded file (``field="file"``)."""
    return DomainError(code, message, field="file")


def not_a_spreadsheet():
    return file_error(
        "not_a_spreadsheet",
        _(
            "This file is not a spreadsheet. Upload the roster as an Excel workbook (.xlsx) or a CSV file (.csv); "
            "the template on this page has the right columns."
        ),
    )


def old_xls():
    return file_error(
        "old_excel_format",
        _(
            "This is an old Excel 97-2003 workbook (.xls) or a password-protected one, which the portal cannot read. "
            "Open it in Excel or WPS, choose “Save as”, pick “Excel workbook (*.xlsx)” without a password, "
            "and upload the new file."
        ),
    )


@dataclass
class Layout:
    """Where the columns are: the header row as written, and the position of each recognised column."""

    header_row: int
    headers: tuple  # every header cell as written (stripped), up to the last non-blank one
    index: dict  # key -> position
    schema: object = None

    def header_for(self, key):
        """The header of a column as written in the uploaded file (errors name it), else the schema's."""
        position = self.index.get(key)
        return self.headers[position] if position is not None else self.schema.column(key).header


def row_is_blank(cells):
    return all(is_blank(v) for v in cells)


def header_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def find_layout(rows, *, schema):
    """Find the header row among the first rows: the first that names the schema's anchor column or
    at least three of its columns. ``rows`` yields ``(row number, cells)``; returns the :class:`Layout`.

    Raises ``DomainError`` when no header row is found, required columns are missing, or a column
    appears twice.
    """
    table = schema.table()
    anchor, columns = schema.anchor, schema.columns
    first_nonblank = None
    seen = 0
    for number, cells in rows:
        if row_is_blank(cells):
            if number > HEADER_SEARCH_ROWS * 5:
                break
            continue
        seen += 1
        headers = [header_text(v) for v in cells[:MAX_COLUMNS]]
        while headers and not headers[-1]:
            headers.pop()
        keys = [table.get(header_key(h)) for h in headers]
        if first_nonblank is None:
            first_nonblank = (number, headers, keys)
        if anchor in keys or sum(1 for k in keys if k) >= 3:
            return _layout_from(number, headers, keys, schema)
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first_nonblank is None:
        raise file_error("empty_roster", _("The file holds no rows: fill in the roster under the header row."))
    number, headers, keys = first_nonblank
    if any(keys):
        return _layout_from(number, headers, keys, schema)  # a header row lacking columns: say which
    raise file_error(
        "no_header_row",
        _("No header row was found. The first row must hold the column names: {headers}.").format(
            headers="、".join(c.header for c in columns if c.required)
        ),
    )


def _layout_from(number, headers, keys, schema):
    by_key, columns = schema.by_key, schema.columns
    index = {}
    for position, key in enumerate(keys):
        if key is None:
            continue
        if key in index:
            raise file_error(
                "duplicate_column",
                _("The columns “{first}” and “{second}” both hold {column}: keep only one of them.").format(
                    first=headers[index[key]], second=headers[position], column=by_key[key].header
                ),
            )
        index[key] = position
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        raise file_error(
            "missing_columns",
            _("The header row lacks the column(s) {missing}. Add them (the template has every column).").format(
                missing="、".join(missing)
            ),
        )
    return Layout(header_row=number, headers=tuple(headers), index=index, schema=schema)


class SpreadsheetFile:
    """An opened spreadsheet read with a :class:`~core.tabular.schema.Schema`. ``data_rows()`` streams
    ``(row number, cells)`` of the non-blank rows below the header, each call from the start of the
    file; nothing is held but the current row."""

    format = ""

    def __init__(self, fileobj, *, schema=None, name="", row_limit=None):
        self.fileobj = fileobj
        self.name = name
        self.schema = schema
        self.row_limit = row_limit or MAX_ROWS
        self.layout = self.detect_layout()

    def detect_layout(self):
        """The :class:`Layout` of the sheet under ``self.schema`` (a reader of several kinds of
        sheets may choose the schema here first)."""
        rows = self.raw_rows()
        try:
            return find_layout(rows, schema=self.schema)
        finally:
            rows.close()

    def raw_rows(self):  # pragma: no cover - defined by each format
        """``(row number, cells)`` of every row of the sheet, blank ones included."""
        raise NotImplementedError

    @property
    def width(self):
        return len(self.layout.headers)

    def data_rows(self):
        """``(row number, cells)`` for each non-blank row below the header row; the cells are cut or
        padded to the header's width. More rows than the limit stop the file with an error."""
        width = self.width
        count = blank_run = 0
        for number, cells in self.raw_rows():
            if number <= self.layout.header_row:
                continue
            cells = tuple(cells[:width]) + (None,) * (width - len(cells))
            if row_is_blank(cells):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN:
                    return
                continue
            blank_run = 0
            for position, value in enumerate(cells):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise file_error(
                        "cell_too_long",
                        _(
                            "Row {row}, column “{column}” holds {n} characters, more than a spreadsheet cell can "
                            "(32,767). This does not look like a roster; check the file."
                        ).format(row=number, column=self.layout.headers[position] or position + 1, n=len(value)),
                    )
            count += 1
            if count > self.row_limit:
                raise file_error(
                    "too_many_rows",
                    _("The file has more than {limit} rows of enterprises. Split it into several files.").format(
                        limit=f"{self.row_limit:,}"
                    ),
                )
            yield number, cells

    def count_rows(self, limit=None):
        """The number of data rows, counting at most ``limit`` (reads only as far as needed)."""
        count = 0
        for _row in self.data_rows():
            count += 1
            if limit is not None and count >= limit:
                break
        return count

    def estimated_rows(self):
        """A cheap estimate of the data rows (for progress bars), or ``None``."""
        return None

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _RawReader(io.RawIOBase):
    """Lets ``io.TextIOWrapper`` decode any object with ``read(n)`` (Django's uploaded and stored files)."""

    def __init__(self, fileobj):
        self.fileobj = fileobj

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.fileobj.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _decodes(fileobj, encoding):
    """True when the whole file decodes strictly in ``encoding`` (one streaming pass, no copy kept)."""
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while chunk := fileobj.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class CsvFile(SpreadsheetFile):
    """A CSV file: its encoding and delimiter are detected first."""

    format = "csv"

    def __init__(self, fileobj, *, schema=None, name="", row_limit=None):
        self.fileobj = fileobj
        self.encoding = self._detect_encoding(fileobj)
        self.delimiter = self._detect_delimiter()
        super().__init__(fileobj, schema=schema, name=name, row_limit=row_limit)

    def _detect_encoding(self, fileobj):
        fileobj.seek(0)
        head = fileobj.read(4)
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"  # Excel's “Unicode text”
        else:
            encoding = next((e for e in ("utf-8", "gb18030") if _decodes(fileobj, e)), None)
            if encoding is None:
                raise file_error(
                    "unknown_encoding",
                    _(
                        "The text of this CSV file is neither UTF-8 nor GBK, so its Chinese cannot be read. "
                        "Open it in Excel or WPS and save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
                    ),
                )
            return encoding
        if not _decodes(fileobj, encoding):
            raise file_error(
                "unknown_encoding",
                _("Part of this CSV file is not valid {encoding} text. Save it again as “CSV UTF-8”.").format(
                    encoding="UTF-8" if encoding.startswith("utf-8") else "UTF-16"
                ),
            )
        return encoding

    def _text(self):
        self.fileobj.seek(0)
        return io.TextIOWrapper(
            io.BufferedReader(_RawReader(self.fileobj), 256 * 1024), encoding=self.encoding, newline=""
        )

    def _detect_delimiter(self):
        """Comma by default; a tab (Excel's “Unicode text”) or semicolon when the header line uses it."""
        text = self._text()
        line = ""
        for _i, raw in zip(range(HEADER_SEARCH_ROWS), text, strict=False):
            if raw.strip():
                line = raw
                if "," in raw or "\t" in raw or ";" in raw:
                    break
        counts = {d: line.count(d) for d in (",", "\t", ";")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","

    def raw_rows(self):
        text = self._text()
        reader = csv.reader(text, delimiter=self.delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise file_error(
                    "cell_too_long",
                    _(
                        "Row {row} holds a cell longer than a spreadsheet cell can be. This does not look like a "
                        "roster; check the file."
                    ).format(row=number + 1),
                ) from exc
            raise file_error(
                "malformed_csv",
                _("Row {row} of the CSV file cannot be read ({error}). Save the file again from Excel or WPS.").format(
                    row=number + 1, error=exc
                ),
            ) from exc

    def estimated_rows(self):
        self.fileobj.seek(0)
        lines = 0
        while chunk := self.fileobj.read(1024 * 1024):
            lines += chunk.count(b"\n")
        return max(0, lines - self.layout.header_row + 1)


def load_workbook(fileobj):
    """The workbook of a checked (:func:`check_zip`) ``.xlsx`` file, opened read-only for streaming:
    values, not formulas; no external links."""
    check_zip(fileobj)
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise file_error(
            "damaged_workbook",
            _("The workbook could not be read; it may be damaged. Open it in Excel or WPS and save it again."),
        ) from exc


class XlsxFile(SpreadsheetFile):
    """An Excel workbook: the active sheet is read, else the first other sheet whose header row the
    schema finds. :meth:`of_sheet` reads a given sheet of a workbook opened once for several."""

    format = "xlsx"

    def __init__(self, fileobj, *, schema=None, name="", row_limit=None):
        self.attach(load_workbook(fileobj), None, owns_workbook=True, schema=schema, fileobj=fileobj, name=name)
        self.row_limit = row_limit or MAX_ROWS
        sheets = self.workbook.worksheets
        if not sheets:
            raise file_error("empty_roster", _("The workbook has no worksheet."))
        active = self.workbook.active
        ordered = ([active] if active in sheets else []) + [s for s in sheets if s is not active]
        first_error = None
        for sheet in ordered:
            self.sheet = sheet
            # The declared size, before it is discarded (progress estimates only).
            self.declared_rows = sheet.max_row
            try:
                self.layout = self.detect_layout()
            except DomainError as exc:
                first_error = first_error or exc
                continue
            return
        raise first_error

    @classmethod
    def of_sheet(cls, workbook, sheet, *, schema=None, fileobj=None, name="", row_limit=None):
        """A reader of ``sheet`` of an open ``workbook`` (closed by its opener); its layout is not yet
        detected (call :meth:`detect_layout`)."""
        opened = cls.__new__(cls)
        opened.attach(workbook, sheet, owns_workbook=False, schema=schema, fileobj=fileobj, name=name)
        opened.row_limit = row_limit or MAX_ROWS
        opened.declared_rows = sheet.max_row
        opened.layout = None
        return opened

    def attach(self, workbook, sheet, *, owns_workbook, schema, fileobj, name):
        """Read ``sheet`` (``None``: not yet chosen) of ``workbook``, closed with this reader if it ``owns_workbook``."""
        self.workbook = workbook
        self.owns_workbook = owns_workbook
        self.sheet = sheet
        self.fileobj = fileobj
        self.name = name
        self.schema = schema

    def check_declared_size(self):
        """Refuse a sheet whose declared dimensions hold more rows than the limit allows, before reading it."""
        declared = self.declared_rows or 0
        if declared > self.row_limit + HEADER_SEARCH_ROWS * 5:
            raise file_error(
                "too_many_rows",
                _(
                    "The worksheet “{sheet}” declares {n} rows, more than the {limit} a file may hold. Delete the empty "
                    "rows below the data, or split the file."
                ).format(sheet=self.sheet.title, n=f"{declared:,}", limit=f"{self.row_limit:,}"),
            )

    def raw_rows(self):
        sheet = self.sheet
        self.check_declared_size()
        # Dimensions written by some programs are wrong: read every row the sheet really has.
        sheet.reset_dimensions()
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except DomainError:
            raise
        except Exception as exc:
            raise file_error(
                "damaged_workbook",
                _("The worksheet “{sheet}” could not be read; it may be damaged. Save the workbook again.").format(
                    sheet=sheet.title
                ),
            ) from exc

    def estimated_rows(self):
        if not self.declared_rows:
            return None
        return max(0, self.declared_rows - self.layout.header_row)

    def close(self):
        if self.owns_workbook:
            self.workbook.close()


def check_zip(fileobj):
    """Refuse a zip that is not an Excel workbook, or that would unpack to far more than it weighs
    (a zip bomb): the declared sizes are checked before any part is decompressed."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise file_error(
            "damaged_workbook",
            _("The workbook is damaged (its zip structure cannot be read). Save it again as .xlsx and upload it."),
        ) from exc
    with archive:
        entries = archive.infolist()
        names = {e.filename for e in entries}
        if "mimetype" in names and "xl/workbook.xml" not in names:
            raise file_error(
                "not_xlsx",
                _(
                    "This is an OpenDocument (WPS/LibreOffice .ods) or other office file, not an Excel workbook. "
                    "Save it as “Excel workbook (*.xlsx)” and upload that."
                ),
            )
        if "xl/workbook.xml" not in names:
            raise not_a_spreadsheet()
        total = 0
        too_big = file_error(
            "zip_bomb",
            _(
                "The workbook unpacks to far more data than a roster holds, so it was refused for safety. "
                "Save the roster in a new workbook and upload it again."
            ),
        )
        if len(entries) > MAX_ZIP_ENTRIES:
            raise too_big
        for entry in entries:
            total += entry.file_size
            if total > max_unzipped_bytes():
                raise too_big
            if entry.file_size > ZIP_RATIO_FLOOR_BYTES and entry.file_size > MAX_ZIP_RATIO * max(
                entry.compress_size, 1
            ):
                raise too_big


def sniff_format(fileobj, name=""):
    """``"xlsx"`` or ``"csv"`` from the file's first bytes (never from its name alone); raises for anything else."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    if not head:
        raise file_error("file_empty", _("The file is empty."))
    if head.startswith(OLE2_MAGIC):
        return _raise(old_xls())
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(BINARY_MAGICS):
        return _raise(not_a_spreadsheet())
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise file_error(
            "not_a_spreadsheet",
            _(
                "This file is a web page or XML file with a spreadsheet's name (some systems export “.xls” files "
                "this way). Open it in Excel or WPS and save it as “Excel workbook (*.xlsx)”."
            ),
        )
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if b"\x00" in head:
            return _raise(not_a_spreadsheet())
        controls = sum(1 for b in head if b < 9 or 13 < b < 32)
        if controls > len(head) // 100:
            return _raise(not_a_spreadsheet())
    if PurePath(name).suffix.lower() == ".xlsx":
        raise file_error(
            "not_xlsx",
            _("The file is named .xlsx but is not an Excel workbook. Save it again from Excel or WPS as .xlsx."),
        )
    return "csv"


def _raise(exc):
    raise exc


def check_size(size):
    if not size:
        raise file_error("file_empty", _("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise file_error(
            "file_too_large",
            _("The file is {size:.1f} MB; the limit is {limit:.0f} MB. Split the roster into several files.").format(
                size=size / 1048576, limit=limit / 1048576
            ),
        )


def file_size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    return size


def open_file(fileobj, *, schema, name="", row_limit=None):
    """Check and open an uploaded spreadsheet (a seekable binary file object) read with ``schema``;
    use as a context manager."""
    check_size(file_size(fileobj))
    kind = sniff_format(fileobj, name)
    if kind == "xlsx":
        return XlsxFile(fileobj, schema=schema, name=name, row_limit=row_limit)
    return CsvFile(fileobj, schema=schema, name=name, row_limit=row_limit)
