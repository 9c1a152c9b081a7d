"""A PATCH that changes nothing it says: a field the client may not change is a 400 unless sent back unchanged.

The REST framework drops a body's keys that the write serializer does not declare (and read-only ones), so
``PATCH /units/…`` with another ``unit`` answered 200 and changed nothing. ``refuse_unwritable_changes`` compares
each such key with the record as the view reads it (the view's serializer): the value that was read is accepted,
so a client may send back what it got; anything else is 400 ``read_only_field`` (the field is read) or
``unknown_field`` (no such field), with ``field`` naming it. ``ServiceViewSet.validated`` calls it on every PATCH
of a record, so every API serializer is covered once."""

import json
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from core.errors import DomainError


def writable_fields(serializer_class):
    return {name for name, field in serializer_class().fields.items() if not field.read_only}


def _plain(value):
    """``value`` as JSON would carry it (dates and decimals as text, tuples as lists)."""
    return json.loads(json.dumps(value, cls=JSONEncoder))


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def same_value(sent, stored):
    """True when ``sent`` (from the body) is ``stored`` (from the read representation), allowing for how JSON and
    forms spell it: ``"12.50"`` is ``12.5``, a form's ``"true"`` is ``true``, ``""`` is ``null``."""
    sent, stored = _plain(sent), _plain(stored)
    if sent == stored:
        return True
    if isinstance(sent, list) or isinstance(stored, list) or isinstance(sent, dict) or isinstance(stored, dict):
        return False
    a, b = _number(sent), _number(stored)
    if a is not None and b is not None:
        return a == b
    if isinstance(stored, bool) and isinstance(sent, str):
        return sent.strip().lower() == str(stored).lower()
    return stored in (None, "") and sent in (None, "")


def refuse_unwritable_changes(view, write_serializer_class, record):
    """Raise 400 for the first key of the request body that ``write_serializer_class`` does not write and whose
    value differs from ``record``'s as the view's serializer reads it."""
    body = view.request.data
    keys = list(body.keys()) if hasattr(body, "keys") else []
    if not keys:
        return
    writable = writable_fields(write_serializer_class)
    extra = [key for key in keys if key not in writable]
    if not extra:
        return
    read_class = view.get_serializer_class()
    read = read_class(view.answer_object(record), context={"request": view.request}).data
    for key in extra:
        sent = body.get(key) if isinstance(body, QueryDict) else body[key]
        if key not in read:
            raise DomainError(
                "unknown_field",
                _("{field} is not a field of this record: nothing was changed.").format(field=key),
                field=key,
            )
        if not same_value(sent, read[key]):
            raise DomainError(
                "read_only_field",
                _("{field} cannot be changed here (send it unchanged or leave it out): nothing was changed.").format(
                    field=key
                ),
                field=key,
            )
