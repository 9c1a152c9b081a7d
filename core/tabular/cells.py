"""Typed cells: each parser takes one spreadsheet cell (text, a number, a date, a boolean, as
openpyxl or the CSV reader gives it) and returns ``(value, None)`` or ``(None, message)``, the
message saying what to write instead. Parsers are called for non-blank cells only.
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import credit_code as cc
from core.money import Sign, read_amount

#: A text starting like one of these runs as a formula in a spreadsheet (see writing.safe_cell).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_QUOTES = re.compile(r"[\"'“”„‟「」『』‘’‚‛〝〞＂＇]")
_SPACES = re.compile(r"\s+")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
#: Day 0 of Excel's date serial numbers (1900 system, with its leap-year bug).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
TRUE_WORDS = {"是", "通过", "合格", "验收通过", "true", "yes", "y", "1", "√", "pass", "passed"}
FALSE_WORDS = {"否", "不通过", "未通过", "不合格", "验收不通过", "false", "no", "n", "0", "×", "fail", "failed"}


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def unescape(text):
    """Undo :func:`core.tabular.writing.safe_cell` on read, so an exported file imports back unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


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
    return unescape(str(value)).strip()


def plain_text(value):
    """The cell's text, NFKC-normalised (full-width digits and letters made half-width)."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def plain_number_text(value):
    """The cell's text as a plain number: NFKC, no thousands commas, no spaces."""
    return unicodedata.normalize("NFKC", cell_text(value)).replace(",", "").replace(" ", "")


def value_key(text):
    """Normalise a coded value for matching: NFKC, no quotation marks of any kind, no spaces, case-folded."""
    text = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub("", _QUOTES.sub("", text)).casefold()


def parse_text(value, *, max_length=None):
    """Trimmed text of at most ``max_length`` characters."""
    text = cell_text(value)
    if max_length and len(text) > max_length:
        return None, _("At most {max} characters fit here; this cell has {n}. Shorten it.").format(
            max=max_length, n=len(text)
        )
    return text, None


def number_lost_digits():
    return _(
        "The credit code was typed into a number cell and has lost its last digits (Excel keeps only 15). "
        "Format the column as Text, type the full 18-character code again, and upload the file."
    )


def parse_credit_code(value):
    """``(normalised code, error message or None)``: the code is returned even when refused, so a
    row can be reported by the code it was written with."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_text(value), number_lost_digits()
    raw = cell_text(value)
    if not raw:
        return "", _("Fill in the enterprise's 18-character unified social credit code.")
    code = cc.normalise(raw)
    problem = cc.problem(code)
    if problem is None:
        return code, None  # (a valid code may look like a number in E notation: 9131011700908085E9)
    if _SCIENTIFIC.match(raw.replace(" ", "")):
        return raw, number_lost_digits()
    kind, message = problem
    if kind == "check":
        if code.isdigit() and code.endswith("000"):
            return code, number_lost_digits()
        return code, _(
            "{problem} If the code is genuine (some codes issued before 2015 fail this check), leave this row out: "
            "a district official can accept the code on the enterprise's page."
        ).format(problem=message)
    return code, message


def parse_date(value):
    """``(date, None)`` or ``(None, message)``: spreadsheet dates, Excel serial numbers (2000–2099),
    YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 and YYYYMMDD; a time of day is ignored."""
    day = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and 36526 <= value <= 73051:
        day = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = plain_text(value).replace(" ", "")
        if " " in cell_text(value) and ":" in text:
            text = text.split(" ", 1)[0]
        text = re.sub(r"\d{1,2}:\d{2}(:\d{2})?$", "", text)
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    day = datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    day = None
                break
    if day is None:
        return None, _("“{value}” is not a date. Write dates as 2025-03-18.").format(value=cell_text(value))
    return day, None


def parse_bool(value):
    """``(bool, None)`` or ``(None, message)``: 是/否, 通过/不通过, true/false …"""
    if isinstance(value, bool):
        return value, None
    word = plain_text(value).casefold()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, _("Write 是 or 否 (or 通过 / 不通过); “{value}” is neither.").format(value=cell_text(value))


def parse_whole(value, low, high, *, words=None, strip=None):
    """``(int, None)`` or ``(None, message)``: a whole number from ``low`` to ``high``. ``words`` maps
    written words to numbers (一级 → 1); ``strip`` is a pattern removed first (a unit such as 级)."""
    text = plain_text(value)
    if words and text in words:
        return words[text], None
    if strip is not None:
        text = re.sub(strip, "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value() or not low <= number <= high:
        return None, _("Write a whole number from {low} to {high}; “{value}” is not.").format(
            low=low, high=high, value=cell_text(value)
        )
    return int(number), None


def parse_money(value, *, sign=Sign.NON_NEGATIVE):
    """``(Decimal, None)`` or ``(None, message)``: an amount in 元 read by :func:`core.money.read_amount`
    (ASCII digits, at most two decimals); a cell not written as an amount is quoted in the message."""
    number, message = read_amount(value, sign=sign)
    if message is not None and message == read_amount(None)[1]:
        message = _("Amounts are in yuan, 0 or more, such as 1200000 or 1,200,000.50; “{value}” is not.").format(
            value=cell_text(value)
        )
    return number, message


def split_list(value):
    """The parts of a list cell, separated by 、 , ， ; ； / or line breaks."""
    return [p.strip() for p in re.split(r"[、,，;；/\n]+", plain_text(value)) if p.strip()]
