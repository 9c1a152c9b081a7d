"""The chain's arithmetic: the canonical content of a history row and the digest that chains it.

Pure functions over plain values, so that sealing (``services``) and verification (``selectors``) compute the same
bytes from the same stored row: the row is always read back from the database through the ORM's ``values()`` before
it is hashed, never taken from the Python object that was saved.
"""

import datetime
import decimal
import hashlib
import json
import uuid

from django.utils import timezone


def canonical_value(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def canonical_content(*, position, source, source_pk, row):
    """The bytes one entry's digest covers: its place, the row it names and every stored column of that row."""
    payload = {
        "position": position,
        "source": source,
        "source_pk": source_pk,
        "row": {name: canonical_value(value) for name, value in row.items()},
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(previous, content):
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()
