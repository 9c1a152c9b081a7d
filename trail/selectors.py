"""Reading the chain: verification, the head, and the entries of one record (docs/architecture.md "The audit
trail").

Verification streams the entries in position order in chunks (plain value tuples, no model objects), reads the
history rows each chunk names with one query per history table, recomputes every digest from the stored rows and
stops at the first entry that does not match: a changed column, a deleted history row, a missing or reordered
entry, or a head that the newest entry does not reach.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from .chain import canonical_content, digest
from .models import GENESIS, ChainEntry, ChainHead, ChainLayout
from .services import SealedColumnMissing, chained_models, read_rows, record_of

VERIFY_CHUNK = 5000


@dataclass
class Verification:
    ok: bool
    entries: int
    head: str
    first_broken: dict | None

    def as_dict(self):
        return {"ok": self.ok, "entries": self.entries, "head": self.head, "first_broken": self.first_broken}


def chain_head(using=DEFAULT_DB_ALIAS):
    """``(position, digest)`` of the newest entry as the head keeps it."""
    head = ChainHead.objects.using(using).filter(pk=1).values_list("position", "digest").first()
    return head or (0, GENESIS)


def _broken(position, record_model, record_id, reason):
    record = {"model": record_model, "id": record_id} if record_model else None
    return {"entry": position, "record": record, "reason": reason}


def _rows_for(batch, models, layouts, using):
    """``{(source, pk): (model, row)}`` of the rows a batch of ``(position, source, source_pk, layout_id, …)``
    entries seals, each read with its layout's columns; ``(source, pk): None`` where a sealed column is gone."""
    wanted = {}
    for _position, source, source_pk, layout_id, *_rest in batch:
        wanted.setdefault((source, layout_id), []).append(source_pk)
    rows = {}
    for (source, layout_id), pks in wanted.items():
        model = models.get(source)
        if model is None:
            continue
        try:
            found = read_rows(model, pks, layouts[layout_id], using)
        except SealedColumnMissing:
            rows.update({(source, pk): (model, None) for pk in pks})
            continue
        for pk, row in found.items():
            rows[(source, pk)] = (model, row)
    return rows


def _layouts(using):
    return {layout.pk: layout.attnames for layout in ChainLayout.objects.using(using).all()}


def _failed(using, head_digest, broken):
    return Verification(False, ChainEntry.objects.using(using).count(), head_digest, broken)


def verify_chain(*, using=DEFAULT_DB_ALIAS, chunk=VERIFY_CHUNK):
    """Recompute the whole chain; a :class:`Verification` naming the first entry that does not match."""
    head_position, head_digest = chain_head(using)
    models, layouts = chained_models(), _layouts(using)
    previous, expected, last = GENESIS, 1, 0
    columns = ("position", "source", "source_pk", "layout_id", "record_model", "record_id", "digest")
    while True:
        batch = list(
            ChainEntry.objects.using(using).filter(position__gt=last).order_by("position").values_list(*columns)[:chunk]
        )
        if not batch:
            break
        rows = _rows_for(batch, models, layouts, using)
        for position, source, source_pk, _layout, record_model, record_id, stored in batch:
            if position != expected:
                reason = _("Entries before this one are missing from the chain.")
                return _failed(using, head_digest, _broken(position, record_model, record_id, reason))
            found = rows.get((source, source_pk))
            if found is None:
                reason = _("The history row this entry seals is missing.")
                return _failed(using, head_digest, _broken(position, record_model, record_id, reason))
            model, row = found
            if row is None:
                reason = _("A column this entry sealed is no longer in its table.")
                return _failed(using, head_digest, _broken(position, record_model, record_id, reason))
            content = canonical_content(position=position, source=source, source_pk=source_pk, row=row)
            if digest(previous, content) != stored or record_of(model, row) != (record_model, record_id):
                reason = _("The history row or the entry was changed after it was sealed.")
                return _failed(using, head_digest, _broken(position, record_model, record_id, reason))
            previous, expected = stored, expected + 1
        last = batch[-1][0]
    entries = expected - 1
    if head_position != entries or head_digest != previous:
        if head_position > entries:
            reason = _("The newest entries of the chain are missing (the head is further on).")
            return _failed(using, head_digest, _broken(entries + 1, None, None, reason))
        reason = _("The head does not match the newest entry.")
        return _failed(using, head_digest, _broken(max(entries, 1), None, None, reason))
    return Verification(True, entries, head_digest, None)


@dataclass
class RecordEntry:
    """One chain entry of a record, with what its row says: a version (``history_type`` +, ~ or -) or a
    workflow event (``history_type`` "event", its kind as the reason where it has no reason of its own)."""

    position: int
    sealed_at: object
    digest: str
    source: str
    source_pk: int
    history_date: object = None
    history_type: str = ""
    history_user_id: int | None = None
    history_change_reason: str = ""


def _describe(entry, row):
    if row is None:
        return
    if "history_type" in row:
        entry.history_date, entry.history_type = row["history_date"], row["history_type"]
        entry.history_user_id, entry.history_change_reason = row["history_user_id"], row["history_change_reason"] or ""
    else:
        entry.history_date, entry.history_type, entry.history_user_id = row["recorded_at"], "event", row["actor_id"]
        kind = row.get("kind") or row.get("action") or ""
        entry.history_change_reason = " · ".join(str(p) for p in (kind, row.get("reason") or row.get("note")) if p)


def record_entries(record_model, record_id, *, using=DEFAULT_DB_ALIAS, limit=None):
    """The chain entries of one record, oldest first, each with the row it seals (where it still exists)."""
    entries = ChainEntry.objects.using(using).filter(record_model=record_model, record_id=str(record_id))
    columns = ("position", "sealed_at", "digest", "source", "source_pk", "layout_id")
    listed = list(entries.order_by("position").values_list(*columns)[:limit])
    entries = [RecordEntry(*values[:5]) for values in listed]
    batch = [(position, source, source_pk, layout_id) for position, _at, _d, source, source_pk, layout_id in listed]
    rows = _rows_for(batch, chained_models(), _layouts(using), using)
    for entry in entries:
        found = rows.get((entry.source, entry.source_pk))
        _describe(entry, found[1] if found else None)
    return entries


def chained_record_types():
    """``[(label, verbose name)]`` of every model whose history joins the chain."""
    types = {}
    for model in chained_models().values():
        tracked = getattr(model, "instance_type", None)
        if tracked is not None:
            types[tracked._meta.label_lower] = tracked._meta.verbose_name
    return sorted(types.items(), key=lambda item: str(item[1]))


#: How many record ids one query of :func:`entries_of_records` names.
RECORDS_CHUNK = 1000


def entries_of_records(records, *, up_to=None, using=DEFAULT_DB_ALIAS):
    """The chain entries of many records, oldest first: ``(position, source, record_model, record_id, sealed_at,
    digest)`` tuples. ``records`` maps a model label (``funding.project``) to the ids of its records; ``up_to``
    keeps the entries at or before that position (an extract that ends at a head read earlier). One query per
    label and thousand ids."""
    columns = ("position", "source", "record_model", "record_id", "sealed_at", "digest")
    found = []
    for label, ids in records.items():
        ids = sorted({str(pk) for pk in ids})
        for start in range(0, len(ids), RECORDS_CHUNK):
            entries = ChainEntry.objects.using(using).filter(
                record_model=label, record_id__in=ids[start : start + RECORDS_CHUNK]
            )
            if up_to is not None:
                entries = entries.filter(position__lte=up_to)
            found.extend(entries.order_by().values_list(*columns))
    found.sort()
    return found
