"""The chain's arithmetic: the canonical content of a history row and the digest that chains it.

Pure functions over plain values, so that sealing (``services``) and verification (``selectors``) compute the same
bytes from the same stored row: the row is always read back from the database through the ORM's ``values()`` before
it is hashed, never taken from the Python object that was saved.
"""

import datetime
import hashlib
import json

from django.utils import timezone


def canonical_value(value):
    """The JSON form of a stored value JSON has no type for (called by ``json.dumps`` for those only)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)  # Decimal, UUID


def canonical_content(*, position, source, source_pk, row):
    """The bytes one entry's digest covers: its place, the row it names and every stored column of that row."""
    payload = {"position": position, "source": source, "source_pk": source_pk, "row": row}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=canonical_value)


def digest(previous, content):
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()
