"""Unified social credit codes (统一社会信用代码, GB 32100-2015): normalise and check.

The code is the natural key of enterprises, providers and evaluation bodies.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
FORM = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_SEPARATORS = re.compile(r"[\s\-_－—–·.]+")
#: A row's id as typed in a form or a link has at most 9 digits; a credit code has 18 characters.
ROW_ID_DIGITS = 9


def normalise(raw):
    """NFKC (full-width to half-width), upper case, separators (spaces, dashes) removed."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return _SEPARATORS.sub("", text).upper()


def check_character(first17):
    """The check character for the first 17 characters of a code."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code):
    """Why a normalised code is not valid, or ``None``.

    Returns ``(kind, message)``; ``kind`` is ``"form"`` (length or characters: never
    acceptable) or ``"check"`` (only the check character is wrong: a district official may
    accept it with a recorded reason).
    """
    if len(code) != 18:
        return "form", _("A credit code has 18 characters; this one has {n}.").format(n=len(code))
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        return "form", _("A credit code cannot contain {chars} (I, O, S, V and Z are never used).").format(
            chars="、".join(bad)
        )
    if not FORM.match(code):
        return "form", _("Characters 3 to 8 of a credit code are digits (the administrative division).")
    expected = check_character(code[:17])
    if code[17] != expected:
        return "check", _(
            "The check character (the 18th) should be {expected}, not {actual}: the code is mistyped."
        ).format(expected=expected, actual=code[17])
    return None


def is_valid(code):
    return problem(normalise(code)) is None


def as_row_id(text):
    """``text`` as a row's id when it is one (digits only, at most :data:`ROW_ID_DIGITS`), else ``None``:
    what tells an id typed or posted (``?provider=12``) from a credit code or a name in a typed field."""
    text = str(text or "").strip()
    return int(text) if text.isdigit() and len(text) <= ROW_ID_DIGITS else None
