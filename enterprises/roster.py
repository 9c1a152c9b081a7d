"""The roster file engine: read, check and write the enterprise roster spreadsheets (API_CONTRACT.md
"Roster files"). Pure: it reads reference data it is given and never writes to the database.

* :func:`open_roster` streams an uploaded ``.xlsx`` (openpyxl, read-only) or ``.csv`` (UTF-8 with or
  without BOM, GBK/GB18030, UTF-16 "Unicode text") and refuses hostile or malformed files with a
  :class:`~core.errors.DomainError` a clerk can act on: not a spreadsheet, an old ``.xls``, empty,
  oversized, a zip bomb, no header row, missing or duplicated columns, too many rows, absurd cells;
* :func:`parse_row` turns one row into normalised values and ``(column as written, message)`` errors;
* :func:`write_error_file` and :func:`write_template` write the error sheet and the blank template;
* :func:`safe_cell` neutralises spreadsheet formula injection in every file the portal writes.
"""

import codecs
import csv
import datetime
import functools
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core import credit_code as cc
from core.errors import DomainError

from .choices import Scale, Sector, Size, Tier

# --- Limits (each can be changed in settings) ---------------------------------------------------

#: Data rows one file may hold.
MAX_ROWS = 100_000
#: Characters one cell may hold: Excel's own limit. A longer cell means the file is not a roster.
MAX_CELL_CHARS = 32_767
#: Columns read from a header row.
MAX_COLUMNS = 200
#: Rows searched for the header row (a title row above the headers is tolerated).
HEADER_SEARCH_ROWS = 10
#: A workbook's parts, unpacked: openpyxl never sees a workbook declaring more than this.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
#: Compression ratio above which a (large) part is treated as a zip bomb.
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 4 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000

#: The column added to the error file.
ERROR_HEADER = "错误说明"


def max_upload_bytes():
    return getattr(settings, "PORTAL_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


def max_rows():
    return getattr(settings, "PORTAL_ROSTER_MAX_ROWS", MAX_ROWS)


def max_unzipped_bytes():
    return getattr(settings, "PORTAL_ROSTER_MAX_UNZIPPED_BYTES", MAX_UNZIPPED_BYTES)


# --- Columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One roster column: its key (the model field), its Chinese header, and the other names accepted."""

    key: str
    header: str
    required: bool
    aliases: tuple = ()
    max_length: int | None = None


COLUMNS = (
    Column(
        "credit_code",
        "统一社会信用代码",
        True,
        ("credit_code", "credit code", "unified social credit code", "USCC", "信用代码", "社会信用代码"),
        18,
    ),
    Column(
        "name", "企业名称", True, ("name", "enterprise name", "enterprise", "company name", "company", "企业名"), 200
    ),
    Column("unit", "所属街镇", True, ("unit", "street/town", "street or town", "town", "街镇", "所属街道", "属地")),
    Column("sector", "细分行业", True, ("sector", "sub-sector", "subsector", "industry", "行业")),
    Column("scale", "统计口径", True, ("scale", "statistical scale", "规上规下")),
    Column("size", "企业规模", True, ("size", "enterprise size", "company size", "规模")),
    # A blank tier means none; the column itself may be left out (new rows get none, updates keep theirs).
    Column("tier", "优质中小企业梯度", False, ("tier", "quality-SME tier", "quality SME tier", "梯度", "企业梯度")),
    Column("contact_name", "联系人", False, ("contact_name", "contact", "contact person", "contact name"), 64),
    Column("contact_phone", "联系电话", False, ("contact_phone", "contact phone", "phone", "telephone", "电话"), 32),
    Column(
        "registered_address",
        "注册地址",
        False,
        ("registered_address", "registered address", "address", "地址"),
        255,
    ),
    Column("main_products", "主营产品", False, ("main_products", "main products", "products"), 500),
    Column("employees", "从业人数", False, ("employees", "employee count", "number of employees", "staff")),
    Column("revenue", "营业收入（万元）", False, ("revenue", "revenue (10k yuan)", "营业收入")),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
HEADERS = tuple(c.header for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
#: Optional facts: on update, a blank cell keeps the stored value.
OPTIONAL_TEXT_KEYS = ("contact_name", "contact_phone", "registered_address", "main_products")
OPTIONAL_NUMBER_KEYS = ("employees", "revenue")
CODED_KEYS = ("sector", "scale", "size", "tier")

_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]+")


def header_key(text):
    """Normalise a header for matching: NFKC (full-width brackets), no spaces, dashes, stars; case-folded."""
    if text is None:
        return ""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


@functools.cache
def _header_table(columns=COLUMNS):
    """``{normalised header or alias: column key}`` for a set of columns (the roster's by default)."""
    table = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            table[header_key(name)] = column.key
    return table


# --- Coded values (labels or codes) --------------------------------------------------------------

#: The Chinese labels of API_CONTRACT.md "Codes" (the form rosters use), first label = the one written.
CHOICE_LABELS = {
    "sector": {
        Sector.HIGH_END_EQUIPMENT: ("高端装备", "高端装备制造"),
        Sector.AUTO_PARTS: ("汽车零部件",),
        Sector.ELECTRONICS: ("电子元器件及设备", "电子元器件和设备"),
        Sector.OTHER: ("其他",),
    },
    "scale": {Scale.ABOVE: ("规上", "规模以上"), Scale.BELOW: ("规下", "规模以下")},
    "size": {
        Size.LARGE: ("大型", "大"),
        Size.MEDIUM: ("中型", "中"),
        Size.SMALL: ("小型", "小"),
        Size.MICRO: ("微型", "微"),
    },
    "tier": {
        Tier.NONE: ("无",),
        Tier.INNOVATIVE: ("创新型中小企业", "创新型"),
        Tier.SRDI: ("专精特新中小企业", "专精特新"),
        Tier.LITTLE_GIANT: ('专精特新"小巨人"', '专精特新"小巨人"企业', "小巨人"),
    },
}
CHOICE_CLASSES = {"sector": Sector, "scale": Scale, "size": Size, "tier": Tier}

_QUOTES = re.compile(r"[\"'“”„‟「」『』‘’‚‛〝〞＂＇]")
_SPACES = re.compile(r"\s+")


def value_key(text):
    """Normalise a coded value for matching: NFKC, no quotation marks of any kind, no spaces, case-folded."""
    text = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub("", _QUOTES.sub("", text)).casefold()


@functools.cache
def choice_table(key):
    """``{normalised label or code: code}`` for a coded column: codes, the contract's Chinese labels,
    and the labels the interface shows in each language."""
    table = {}
    choices = CHOICE_CLASSES[key]
    for code in choices.values:
        table[value_key(code)] = code
    for code, labels in CHOICE_LABELS[key].items():
        for label in labels:
            table[value_key(label)] = str(code)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in choices.choices:
                table.setdefault(value_key(label), code)
    return table


def choice_label(key, code):
    """The Chinese label written for a code (templates, exports)."""
    labels = CHOICE_LABELS[key].get(code)
    return labels[0] if labels else code


def allowed_labels(key):
    return "、".join(labels[0] for labels in CHOICE_LABELS[key].values())


def unit_table(lookup):
    """``{normalised name: unit}`` from :func:`core.selectors.unit_lookup`'s table (codes, names, aliases)."""
    return {value_key(name): unit for name, unit in lookup.items()}


# --- Formula injection -----------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text starting like a formula (``= + - @``, tab, CR) gets a leading apostrophe, so that a
    spreadsheet shows it as text instead of running it. Numbers, dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _unescape(text):
    """Undo :func:`safe_cell` on read, so an exported file imports back unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


# --- Reading files ---------------------------------------------------------------------------------

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


def _file_error(code, message):
    return DomainError(code, message, field="file")


def _not_a_spreadsheet():
    return _file_error(
        "not_a_spreadsheet",
        _(
            "This file is not a spreadsheet. Upload the roster as an Excel workbook (.xlsx) or a CSV file (.csv); "
            "the template on this page has the right columns."
        ),
    )


def _old_xls():
    return _file_error(
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

    def header_for(self, key):
        """The header of a column as written in the uploaded file (errors name it)."""
        position = self.index.get(key)
        return self.headers[position] if position is not None else COLUMNS_BY_KEY[key].header


def _cell_is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _row_is_blank(cells):
    return all(_cell_is_blank(v) for v in cells)


def _header_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def find_layout(rows, *, columns=COLUMNS, anchor="credit_code"):
    """Find the header row among the first rows: the first that names the ``anchor`` column (the
    credit code) or at least three of ``columns`` (the roster's by default; other spreadsheets the
    portal reads pass theirs). ``rows`` yields ``(row number, cells)``; returns the :class:`Layout`.

    Raises ``DomainError`` when no header row is found, required columns are missing, or a column
    appears twice.
    """
    table = _header_table(tuple(columns))
    first_nonblank = None
    seen = 0
    for number, cells in rows:
        if _row_is_blank(cells):
            if number > HEADER_SEARCH_ROWS * 5:
                break
            continue
        seen += 1
        headers = [_header_text(v) for v in cells[:MAX_COLUMNS]]
        while headers and not headers[-1]:
            headers.pop()
        keys = [table.get(header_key(h)) for h in headers]
        if first_nonblank is None:
            first_nonblank = (number, headers, keys)
        if anchor in keys or sum(1 for k in keys if k) >= 3:
            return _layout_from(number, headers, keys, columns)
        if seen >= HEADER_SEARCH_ROWS:
            break
    if first_nonblank is None:
        raise _file_error("empty_roster", _("The file holds no rows: fill in the roster under the header row."))
    number, headers, keys = first_nonblank
    if any(keys):
        return _layout_from(number, headers, keys, columns)  # a header row lacking columns: say which
    raise _file_error(
        "no_header_row",
        _("No header row was found. The first row must hold the column names: {headers}.").format(
            headers="、".join(c.header for c in columns if c.required)
        ),
    )


def _layout_from(number, headers, keys, columns=COLUMNS):
    by_key = {c.key: c for c in columns}
    index = {}
    for position, key in enumerate(keys):
        if key is None:
            continue
        if key in index:
            raise _file_error(
                "duplicate_column",
                _("The columns “{first}” and “{second}” both hold {column}: keep only one of them.").format(
                    first=headers[index[key]], second=headers[position], column=by_key[key].header
                ),
            )
        index[key] = position
    missing = [c.header for c in columns if c.required and c.key not in index]
    if missing:
        raise _file_error(
            "missing_columns",
            _("The header row lacks the column(s) {missing}. Add them (the template has every column).").format(
                missing="、".join(missing)
            ),
        )
    return Layout(header_row=number, headers=tuple(headers), index=index)


class RosterFile:
    """An opened roster. ``data_rows()`` streams ``(row number, cells)`` of the non-blank rows below
    the header, each call from the start of the file; nothing is held but the current row."""

    format = ""
    #: The columns looked for, and the one whose header alone marks the header row.
    columns = COLUMNS
    anchor = "credit_code"

    def __init__(self, fileobj, *, name="", row_limit=None):
        self.fileobj = fileobj
        self.name = name
        self.row_limit = row_limit or max_rows()
        self.layout = self._find_layout()

    def _find_layout(self):
        rows = self._raw_rows()
        try:
            return find_layout(rows, columns=self.columns, anchor=self.anchor)
        finally:
            rows.close()

    def _raw_rows(self):  # pragma: no cover - defined by each format
        raise NotImplementedError

    @property
    def width(self):
        return len(self.layout.headers)

    def data_rows(self):
        """``(row number, cells)`` for each non-blank row below the header row; the cells are cut or
        padded to the header's width. More rows than the limit stop the file with an error."""
        width = self.width
        count = 0
        for number, cells in self._raw_rows():
            if number <= self.layout.header_row:
                continue
            cells = tuple(cells[:width]) + (None,) * (width - len(cells))
            if _row_is_blank(cells):
                continue
            for position, value in enumerate(cells):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise _file_error(
                        "cell_too_long",
                        _(
                            "Row {row}, column “{column}” holds {n} characters, more than a spreadsheet cell can "
                            "(32,767). This does not look like a roster; check the file."
                        ).format(row=number, column=self.layout.headers[position] or position + 1, n=len(value)),
                    )
            count += 1
            if count > self.row_limit:
                raise _file_error(
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


class CsvRoster(RosterFile):
    format = "csv"

    def __init__(self, fileobj, *, name="", row_limit=None):
        self.fileobj = fileobj
        self.encoding = self._detect_encoding(fileobj)
        self.delimiter = self._detect_delimiter()
        super().__init__(fileobj, name=name, row_limit=row_limit)

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
                raise _file_error(
                    "unknown_encoding",
                    _(
                        "The text of this CSV file is neither UTF-8 nor GBK, so its Chinese cannot be read. "
                        "Open it in Excel or WPS and save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
                    ),
                )
            return encoding
        if not _decodes(fileobj, encoding):
            raise _file_error(
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

    def _raw_rows(self):
        text = self._text()
        reader = csv.reader(text, delimiter=self.delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _file_error(
                    "cell_too_long",
                    _(
                        "Row {row} holds a cell longer than a spreadsheet cell can be. This does not look like a "
                        "roster; check the file."
                    ).format(row=number + 1),
                ) from exc
            raise _file_error(
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


class XlsxRoster(RosterFile):
    format = "xlsx"

    def __init__(self, fileobj, *, name="", row_limit=None):
        import openpyxl

        check_zip(fileobj)
        fileobj.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise _file_error(
                "damaged_workbook",
                _("The workbook could not be read; it may be damaged. Open it in Excel or WPS and save it again."),
            ) from exc
        self.sheet = None
        self.fileobj = fileobj
        self.name = name
        self.row_limit = row_limit or max_rows()
        sheets = self.workbook.worksheets
        if not sheets:
            raise _file_error("empty_roster", _("The workbook has no worksheet."))
        active = self.workbook.active
        ordered = ([active] if active in sheets else []) + [s for s in sheets if s is not active]
        first_error = None
        for sheet in ordered:
            self.sheet = sheet
            # The declared size, before it is discarded (progress estimates only).
            self.declared_rows = sheet.max_row
            try:
                self.layout = self._find_layout()
            except DomainError as exc:
                first_error = first_error or exc
                continue
            return
        raise first_error

    def _raw_rows(self):
        sheet = self.sheet
        # Dimensions written by some programs are wrong: read every row the sheet really has.
        sheet.reset_dimensions()
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        except DomainError:
            raise
        except Exception as exc:
            raise _file_error(
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
        self.workbook.close()


def check_zip(fileobj):
    """Refuse a zip that is not an Excel workbook, or that would unpack to far more than it weighs
    (a zip bomb): the declared sizes are checked before any part is decompressed."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _file_error(
            "damaged_workbook",
            _("The workbook is damaged (its zip structure cannot be read). Save it again as .xlsx and upload it."),
        ) from exc
    with archive:
        entries = archive.infolist()
        names = {e.filename for e in entries}
        if "mimetype" in names and "xl/workbook.xml" not in names:
            raise _file_error(
                "not_xlsx",
                _(
                    "This is an OpenDocument (WPS/LibreOffice .ods) or other office file, not an Excel workbook. "
                    "Save it as “Excel workbook (*.xlsx)” and upload that."
                ),
            )
        if "xl/workbook.xml" not in names:
            raise _not_a_spreadsheet()
        total = 0
        too_big = _file_error(
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
        raise _file_error("file_empty", _("The file is empty."))
    if head.startswith(OLE2_MAGIC):
        return _raise(_old_xls())
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(BINARY_MAGICS):
        return _raise(_not_a_spreadsheet())
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise _file_error(
            "not_a_spreadsheet",
            _(
                "This file is a web page or XML file with a spreadsheet's name (some systems export “.xls” files "
                "this way). Open it in Excel or WPS and save it as “Excel workbook (*.xlsx)”."
            ),
        )
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if b"\x00" in head:
            return _raise(_not_a_spreadsheet())
        controls = sum(1 for b in head if b < 9 or 13 < b < 32)
        if controls > len(head) // 100:
            return _raise(_not_a_spreadsheet())
    if PurePath(name).suffix.lower() == ".xlsx":
        raise _file_error(
            "not_xlsx",
            _("The file is named .xlsx but is not an Excel workbook. Save it again from Excel or WPS as .xlsx."),
        )
    return "csv"


def _raise(exc):
    raise exc


def check_size(size):
    if not size:
        raise _file_error("file_empty", _("The file is empty."))
    limit = max_upload_bytes()
    if size > limit:
        raise _file_error(
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


def open_roster(fileobj, *, name="", row_limit=None):
    """Check and open an uploaded roster (a seekable binary file object); use as a context manager."""
    check_size(file_size(fileobj))
    kind = sniff_format(fileobj, name)
    if kind == "xlsx":
        return XlsxRoster(fileobj, name=name, row_limit=row_limit)
    return CsvRoster(fileobj, name=name, row_limit=row_limit)


# --- Parsing rows ------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One data row: its spreadsheet row number, normalised values, and errors ``(column, message)``.

    ``values`` holds the columns present in the file: required ones always (when valid), optional
    ones only when filled in (a blank optional cell keeps the stored value on update); ``tier`` is
    ``none`` when its column is present and blank.
    """

    row: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    credit_code: str = ""

    def error(self, column, message):
        self.errors.append((column, str(message)))


_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)


def _number_lost_digits():
    return _(
        "The credit code was typed into a number cell and has lost its last digits (Excel keeps only 15). "
        "Format the column as Text, type the full 18-character code again, and upload the file."
    )


def cell_text(value):
    """A cell as trimmed text: whole numbers without “.0”, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _unescape(str(value)).strip()


def parse_credit_code(value):
    """``(normalised code, error message or None)``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_text(value), _number_lost_digits()
    raw = cell_text(value)
    if not raw:
        return "", _("Fill in the enterprise's 18-character unified social credit code.")
    code = cc.normalise(raw)
    problem = cc.problem(code)
    if problem is None:
        return code, None  # (a valid code may look like a number in E notation: 9131011700908085E9)
    if _SCIENTIFIC.match(raw.replace(" ", "")):
        return raw, _number_lost_digits()
    kind, message = problem
    if kind == "check":
        if code.isdigit() and code.endswith("000"):
            return code, _number_lost_digits()
        return code, _(
            "{problem} If the code is genuine (some codes issued before 2015 fail this check), leave this row out: "
            "a district official can accept the code on the enterprise's page."
        ).format(problem=message)
    return code, message


def _parse_text(column, value, row, header):
    text = cell_text(value)
    if column.max_length and len(text) > column.max_length:
        row.error(
            header,
            _("At most {max} characters fit here; this cell has {n}. Shorten it.").format(
                max=column.max_length, n=len(text)
            ),
        )
        return None
    return text


def _parse_choice(key, value, row, header):
    text = cell_text(value)
    if not text:
        if key == "tier":
            return Tier.NONE.value
        row.error(header, _("Fill in this column with one of: {allowed}.").format(allowed=allowed_labels(key)))
        return None
    code = choice_table(key).get(value_key(text))
    if code is None:
        row.error(
            header,
            _("“{value}” is not an allowed value. Use one of: {allowed}.").format(
                value=text, allowed=allowed_labels(key)
            ),
        )
    return code


def _parse_unit(value, row, header, units):
    text = cell_text(value)
    if not text:
        row.error(header, _("Fill in the street/town: its name (such as 岳阳街道) or its 9-digit code."))
        return None
    unit = units.get(value_key(text))
    if unit is None:
        row.error(
            header,
            _(
                "“{value}” is not one of the district's streets/towns. Use a name or code from the list in the "
                "template (for example 岳阳街道 or 310117001)."
            ).format(value=text),
        )
    return unit


def _plain_number_text(value):
    return unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").replace(" ", "")


def _parse_employees(value, row, header):
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(_plain_number_text(value))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number < 0 or number != number.to_integral_value():
        row.error(
            header,
            _("The number of employees must be a whole number, 0 or more (such as 120); “{value}” is not.").format(
                value=cell_text(value)
            ),
        )
        return None
    if number > 2_147_483_647:
        row.error(header, _("This number of employees is too large; check the cell."))
        return None
    return int(number)


def _parse_revenue(value, row, header):
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        try:
            number = Decimal(_plain_number_text(value))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number < 0:
        row.error(
            header,
            _("Revenue must be a number, 0 or more, in 10,000 yuan (such as 3500.5); “{value}” is not.").format(
                value=cell_text(value)
            ),
        )
        return None
    if number >= Decimal("1000000000000"):
        row.error(header, _("This revenue is too large; it is entered in 10,000 yuan. Check the cell."))
        return None
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_row(number, cells, layout, *, units):
    """Check one data row and normalise its values. ``units`` is :func:`unit_table`'s mapping."""
    row = ParsedRow(row=number)
    for key, position in layout.index.items():
        value = cells[position]
        header = layout.headers[position]
        column = COLUMNS_BY_KEY[key]
        if key == "credit_code":
            code, message = parse_credit_code(value)
            row.credit_code = code
            if message:
                row.error(header, message)
            else:
                row.values["credit_code"] = code
        elif key == "name":
            text = _parse_text(column, value, row, header)
            if text == "":
                row.error(header, _("Fill in the enterprise's name."))
            elif text:
                row.values["name"] = text
        elif key == "unit":
            unit = _parse_unit(value, row, header, units)
            if unit is not None:
                row.values["unit"] = unit
        elif key in CODED_KEYS:
            code = _parse_choice(key, value, row, header)
            if code is not None:
                row.values[key] = code
        elif _cell_is_blank(value):
            continue  # a blank optional cell: nothing to write (updates keep the stored value)
        elif key == "employees":
            parsed = _parse_employees(value, row, header)
            if parsed is not None:
                row.values[key] = parsed
        elif key == "revenue":
            parsed = _parse_revenue(value, row, header)
            if parsed is not None:
                row.values[key] = parsed
        else:
            text = _parse_text(column, value, row, header)
            if text:
                row.values[key] = text
    return row


# --- Writing files -----------------------------------------------------------------------------------


def _write_only_workbook():
    import openpyxl

    return openpyxl.Workbook(write_only=True)


def _workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_error_file(headers, rows, *, credit_code_position=None):
    """The error sheet: row 1 = the upload's headers plus 错误说明; then each error row as uploaded,
    with what to fix in the last column. ``rows`` yields ``(cells, explanation)``. Returns xlsx bytes."""
    positions = () if credit_code_position is None else (credit_code_position,)
    return write_error_workbook([("错误行", headers, rows, positions)])


def write_error_workbook(sheets):
    """Error sheets in one workbook: ``sheets`` yields ``(title, headers, rows, text_positions)``,
    ``rows`` as for :func:`write_error_file`; the cells at ``text_positions`` (credit codes) are kept
    as text. Returns xlsx bytes."""
    workbook = _write_only_workbook()
    for title, headers, rows, text_positions in sheets:
        _append_error_sheet(workbook, title, headers, rows, frozenset(text_positions))
    return _workbook_bytes(workbook)


def _append_error_sheet(workbook, title, headers, rows, text_positions):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    header_cells = []
    for text in (*headers, ERROR_HEADER):
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header_cells.append(cell)
    header_cells[-1].fill = PatternFill("solid", fgColor="FDE2E1")
    header_cells[-1].font = Font(bold=True, color="A4161A")
    sheet.column_dimensions["A"].width = 22
    sheet.append(header_cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells, explanation in rows:
        out = []
        for position, value in enumerate(cells):
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if position in text_positions:
                # The code is text: keep it so when the clerk types it again (no lost digits).
                cell.number_format = "@"
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.value = cell_text(value)
            out.append(cell)
        note = WriteOnlyCell(sheet, value=safe_cell(explanation))
        note.font = Font(color="A4161A")
        note.alignment = wrap
        out.append(note)
        sheet.append(out)


def example_row(credit_code):
    """A valid example row, in the order of :data:`COLUMNS`."""
    return (
        credit_code,
        "上海松江示例精密机械有限公司",
        "岳阳街道",
        choice_label("sector", Sector.HIGH_END_EQUIPMENT),
        choice_label("scale", Scale.ABOVE),
        choice_label("size", Size.SMALL),
        choice_label("tier", Tier.SRDI),
        "张伟",
        "13912345678",
        "上海市松江区岳阳街道示例路1号",
        "数控加工中心、精密减速机",
        120,
        3500.5,
    )


EXAMPLE_CREDIT_CODE_BODY = "91310117MA1J00001"


def example_credit_code():
    return EXAMPLE_CREDIT_CODE_BODY + cc.check_character(EXAMPLE_CREDIT_CODE_BODY)


def write_template(units):
    """The blank roster. Sheet 1 (企业名单) has the headers, credit codes formatted as text and drop-down
    lists for the coded columns; sheet 2 (填写说明) explains each column and shows an example row with a
    valid credit code; sheet 3 (允许值) lists the allowed values and the units. Returns xlsx bytes."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    units = list(units)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "企业名单"
    notes = workbook.create_sheet("填写说明")
    allowed = workbook.create_sheet("允许值")
    bold = Font(bold=True)

    required_fill = PatternFill("solid", fgColor="FDE2E1")
    optional_fill = PatternFill("solid", fgColor="EEF2F7")
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = Font(bold=True, color="A4161A" if column.required else "000000")
        cell.fill = required_fill if column.required else optional_fill
        sheet.column_dimensions[get_column_letter(position)].width = max(12, len(column.header) * 2 + 4)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 34
    # Typed credit codes stay text: Excel would turn an all-digit code into a rounded number.
    # (a column style, not styled cells: rows appended below the header still start at row 2).
    sheet.column_dimensions["A"].number_format = "@"
    sheet["A1"].comment = Comment("18 位统一社会信用代码，请以文本格式填写。", "松江区")
    sheet.freeze_panes = "A2"

    notes.append(["试点企业名单填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([])
    notes.append(["列名", "是否必填", "填写要求"])
    for cell in notes[3]:
        cell.font = bold
    guidance = {
        "credit_code": "18 位统一社会信用代码；请设为文本格式，避免 Excel 把代码变成数字、丢失末尾数位",
        "name": "企业全称",
        "unit": "街镇名称或 9 位代码，见“允许值”工作表",
        "sector": "见“允许值”工作表，可填名称或代码",
        "scale": "规上 或 规下",
        "size": "大型、中型、小型 或 微型",
        "tier": "见“允许值”工作表；留空表示“无”",
        "contact_name": "",
        "contact_phone": "",
        "registered_address": "",
        "main_products": "",
        "employees": "0 或正整数",
        "revenue": "单位：万元；0 或正数",
    }
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", guidance[column.key]])
    notes.append([])
    notes.append(["信用代码已登记的企业将被更新：选填列留空表示保留原值。同一文件中信用代码不得重复。"])
    notes.append(["街镇工作人员只能导入本街镇的企业；企业变更属地请由区级管理人员在企业页面办理。"])
    notes.append([])
    notes.append(["示例行（仅供参考，请在“企业名单”工作表中填写真实企业）："])
    notes.append(list(HEADERS))
    for cell in notes[notes.max_row]:
        cell.font = bold
    notes.append(list(example_row(example_credit_code())))
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 30
    notes.column_dimensions["C"].width = 60

    lists = [
        ("sector", "细分行业", [labels[0] for labels in CHOICE_LABELS["sector"].values()]),
        ("scale", "统计口径", [labels[0] for labels in CHOICE_LABELS["scale"].values()]),
        ("size", "企业规模", [labels[0] for labels in CHOICE_LABELS["size"].values()]),
        ("tier", "优质中小企业梯度", [labels[0] for labels in CHOICE_LABELS["tier"].values()]),
        ("unit", "所属街镇", [u.name for u in units]),
        (None, "街镇代码", [u.code for u in units]),
    ]
    for position, (key, title, values) in enumerate(lists, start=1):
        letter = get_column_letter(position)
        allowed.cell(row=1, column=position, value=title).font = bold
        for index, value in enumerate(values, start=2):
            allowed.cell(row=index, column=position, value=value)
        allowed.column_dimensions[letter].width = 30 if key in ("unit", "tier") else 18
        if key:
            source = f"'允许值'!${letter}$2:${letter}${1 + len(values)}"
            target = get_column_letter(list(COLUMNS_BY_KEY).index(key) + 1)
            # A drop-down as a help, not a lock: codes typed by hand are accepted too.
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=False)
            validation.add(f"{target}2:{target}2001")
            sheet.add_data_validation(validation)
    workbook.active = 0
    return _workbook_bytes(workbook)


def write_rows_xlsx(headers, rows, *, sheet_title="Sheet1"):
    """A plain sheet (headers in row 1) streamed with openpyxl's write-only mode; every cell through
    :func:`safe_cell`. Returns xlsx bytes."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = _write_only_workbook()
    sheet = workbook.create_sheet(title=sheet_title)
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    return _workbook_bytes(workbook)
