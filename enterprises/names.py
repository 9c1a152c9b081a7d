"""The normalised name under which two registrations are the same enterprise (docs/domain.md "Data quality").

Two names are equal when they are equal after NFKC (full-width letters, digits, brackets and spaces become
their half-width forms), with every space removed and one leading ``上海市`` or ``上海`` dropped. The key is
stored on the enterprise (``Enterprise.name_key``) by every path that writes a name, so that the duplicate
search is one grouped query on an index, on PostgreSQL and on SQLite alike.
"""

import re
import unicodedata

#: Leading prefixes dropped, longest first (so that 上海市X gives X, not 市X).
PREFIXES = ("上海市", "上海")
_SPACES = re.compile(r"\s+")


def normalised_name(name):
    """The comparison key of an enterprise name ("" for an empty one)."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", name or ""))
    for prefix in PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key[:200]
