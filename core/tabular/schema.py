"""Column schemas: what an import's spreadsheet holds.

A :class:`Column` is one column: its key (where its value goes), its header as the template writes
it, the other headers accepted for it (Chinese and English), whether it must be present, the most
characters it may hold and the parser that turns a cell into a value. A :class:`Schema` is the
columns of one sheet plus the *anchor*, the column whose header alone marks the header row.

An import is a schema and a row writer: :mod:`core.tabular.reading` finds the header row with the
schema, :meth:`Schema.read_row` checks every cell, and the import's own code writes the rows.
"""

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import cells

_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]+")


def header_key(text):
    """Normalise a header for matching: NFKC (full-width brackets), no spaces, dashes, stars; case-folded."""
    if text is None:
        return ""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


@dataclass(frozen=True)
class Column:
    """One column: its key, its header, whether it is required, the other headers accepted for it,
    the most characters its text may hold, and its parser: ``parse(value) -> (value, message)``
    (``None``: trimmed text, at most ``max_length`` characters)."""

    key: str
    header: str
    required: bool
    aliases: tuple = ()
    max_length: int | None = None
    parse: Callable | None = field(default=None, compare=False)

    def read(self, value):
        """``(value, None)`` or ``(None, message)`` for a non-blank cell of this column."""
        if self.parse is not None:
            return self.parse(value)
        return cells.parse_text(value, max_length=self.max_length)


@functools.cache
def header_table(columns):
    """``{normalised header or alias: column key}`` for a tuple of columns."""
    table = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            table[header_key(name)] = column.key
    return table


@dataclass(frozen=True)
class Schema:
    """The columns of one sheet and the key of its anchor column."""

    columns: tuple
    anchor: str

    @functools.cached_property
    def by_key(self):
        return {c.key: c for c in self.columns}

    @property
    def headers(self):
        return tuple(c.header for c in self.columns)

    @property
    def required_keys(self):
        return tuple(c.key for c in self.columns if c.required)

    def column(self, key):
        return self.by_key[key]

    def table(self):
        return header_table(tuple(self.columns))

    def read_row(self, cells_, layout, *, error):
        """Check every cell of a data row with its column's parser.

        Returns ``{key: value}`` of the non-blank valid cells; ``error(key, message)`` is called for
        a required column left blank and for each cell its parser refuses."""
        values = {}
        for column in self.columns:
            position = layout.index.get(column.key)
            value = cells_[position] if position is not None else None
            if cells.is_blank(value):
                if column.required:
                    error(column.key, _("Fill in this column."))
                continue
            parsed, message = column.read(value)
            if message:
                error(column.key, message)
            elif parsed != []:  # (a list cell of separators only is blank)
                values[column.key] = parsed
        return values
