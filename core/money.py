"""Money: one way to read an amount and one way to show it.

The programme budgets and pays in 元 (yuan), stored as ``Decimal`` with two places; officials read
large sums in 万元 (ten thousand yuan). Every amount shown carries its unit (docs/domain.md, "Money").

Reading (``parse_amount`` raises, ``read_amount`` returns a message for import cells):

- text is ASCII digits with at most one decimal point and at most two decimals (fen); thousands
  separators are allowed where they group by three (``1,200,000.50``); surrounding spaces are
  ignored; full-width digits, currency signs, units, exponents, ``NaN`` and ``Infinity`` are refused;
- ``int`` and ``Decimal`` values follow the same rules; a ``float`` (a spreadsheet cell) is read
  from its shortest representation, and only the binary noise below a millionth of a fen is
  rounded away (``300000.01`` stays ``300000.01``; ``0.125`` is refused);
- the sign rule is named by each use: ``POSITIVE`` (a payment, a commitment line: above zero) or
  ``NON_NEGATIVE`` (a budget, a cost, an investment: zero or more);
- at most ``MAX_AMOUNT`` (what a ``DecimalField(max_digits=16, decimal_places=2)`` holds).
"""

import enum
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import DomainError

CENT = Decimal("0.01")
WAN = Decimal(10000)
MAX_AMOUNT = Decimal("99999999999999.99")
_FLOAT_NOISE = Decimal("0.000001")
_AMOUNT_TEXT = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z", re.ASCII)


class Sign(enum.Enum):
    """Which amounts a use accepts."""

    POSITIVE = "positive"  # above zero: payments, disbursements, commitment lines
    NON_NEGATIVE = "non_negative"  # zero or more: budgets, costs, investments


def _to_decimal(value):
    """The value as a Decimal, or None when it is not written as an amount at all."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        number = Decimal(repr(value))
        rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
        return rounded if abs(number - rounded) < _FLOAT_NOISE else number
    text = str(value).strip()
    negative = text.startswith("-")
    if negative:
        text = text[1:].lstrip()
    if not _AMOUNT_TEXT.match(text):
        return None
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return None
    return -number if negative else number


def read_amount(value, *, sign=Sign.NON_NEGATIVE):
    """``(Decimal, None)`` or ``(None, message)``: ``value`` as an amount in 元 under the rules above."""
    number = _to_decimal(value)
    if number is None:
        return None, _("Enter an amount in yuan in digits, such as 1200000 or 1,200,000.50.")
    if sign is Sign.POSITIVE and number <= 0:
        return None, _("The amount must be above zero.")
    if number < 0:
        return None, _("Amounts are 0 or more.")
    if number != number.quantize(CENT):
        return None, _("Amounts are in yuan with at most two decimals.")
    if number > MAX_AMOUNT:
        return None, _("This amount is too large; amounts are in yuan.")
    return (number + 0).quantize(CENT), None  # + 0 turns a "-0" into 0


def parse_amount(value, *, sign=Sign.NON_NEGATIVE, field="amount", allow_none=False):
    """``value`` as a Decimal amount in 元, or ``DomainError("invalid_amount")`` naming ``field``.

    With ``allow_none``, ``None`` and the empty string read as ``None``."""
    if allow_none and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    number, message = read_amount(value, sign=sign)
    if message:
        raise DomainError("invalid_amount", message, field=field)
    return number


def to_wan(value):
    """元 → 万元, rounded half up to two places."""
    return (Decimal(value) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value, *, unit=True):
    """``12345.6`` → ``"12,345.60 元"`` (``""`` for no value)."""
    if value in (None, ""):
        return ""
    text = f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    return f"{text} 元" if unit else text


def format_wan(value, *, unit=True):
    """``123456`` → ``"12.35 万元"`` (``""`` for no value)."""
    if value in (None, ""):
        return ""
    text = f"{to_wan(value):,.2f}"
    return f"{text} 万元" if unit else text


def format_percent(fraction, *, places=1, empty="—"):
    """A fraction as a percent: ``0.9`` → ``"90.0%"``; completion and ratios are shown this way everywhere:
    one decimal, half up (docs/style.md "Percentages")."""
    if fraction in (None, ""):
        return empty
    quantum = Decimal(1).scaleb(-places)
    return f"{(Decimal(str(fraction)) * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"


def percent_of_hundred(value, *, empty="—"):
    """A figure already in percent (a derived rate such as 33.3334, kept exact for scoring) shown by the same rule
    as :func:`format_percent`: ``"33.3%"``."""
    if value in (None, ""):
        return empty
    return format_percent(Decimal(str(value)) / 100, empty=empty)
