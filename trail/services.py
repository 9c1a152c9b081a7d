"""Sealing: history rows join the chain (docs/architecture.md "The audit trail").

Every history row django-simple-history writes is noted (``note_history_row``, connected in ``apps.py``) and
sealed once its transaction commits: under a lock on the head, the row is read back from the database, its
canonical content is chained to the head's digest, and the entry and the new head are stored. Writes that create
history rows in bulk (imports) call ``seal_on_commit(history_model)``; ``seal_unsealed`` (hourly, and
``manage.py seal_audit_chain``) seals any row still outside the chain, e.g. after a crash between a commit and its
seal. A row that is gone by then (its transaction rolled back) is simply not chained.
"""

import functools
import logging

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from simple_history.models import registered_models

from core.jobs import send_task

from .chain import canonical_content, digest
from .models import ChainEntry, ChainHead, ChainLayout

logger = logging.getLogger(__name__)

SEAL_BATCH = 2000

#: The workflow's event tables (append-only, without field history of their own), each with the foreign key
#: naming the record the event is about (docs/architecture.md "History and events"). Named by label: the
#: trail sits below the apps and imports none of them.
EVENT_MODELS = {
    "enterprises.enterprisestatuschange": "enterprise",
    "providers.providerevent": "provider",
    "diagnostics.diagnosistransition": "diagnosis",
    "funding.projecttransition": "project",
    "funding.acceptancecorrection": "acceptance",
}


def chained_models():
    """Every model whose rows join the chain, by label: each historical model of django-simple-history
    (``enterprises.historicalenterprise``) and the event tables of ``EVENT_MODELS``."""
    models = {}
    for model in registered_models.values():
        history = getattr(model, "history", None)
        if history is not None:
            models[history.model._meta.label_lower] = history.model
    for label in EVENT_MODELS:
        models[label] = apps.get_model(label)
    return dict(sorted(models.items()))


def source_of(model):
    return model._meta.label_lower


def record_of(model, row):
    """The (model label, id) of the record a chained row is about: the record a history row is a version of,
    or the subject of an event."""
    tracked = getattr(model, "instance_type", None)
    if tracked is not None:
        return tracked._meta.label_lower, str(row[tracked._meta.pk.attname])
    subject = model._meta.get_field(EVENT_MODELS[source_of(model)])
    return subject.related_model._meta.label_lower, str(row[subject.attname])


class SealedColumnMissing(LookupError):
    """A column an entry sealed is no longer in its table."""


def read_rows(model, pks, attnames, using=DEFAULT_DB_ALIAS):
    """``{pk: {attname: value}}`` of the stored rows ``pks`` of ``model``, the columns ``attnames`` only, read
    with plain SQL.

    Sealing and verification both read rows through this one function, so that they hash the same values (the
    database driver's own types, without the ORM's per-field conversions: verification of a million entries
    stays under a minute)."""
    if not pks:
        return {}
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    missing = [name for name in attnames if name not in by_attname]
    if missing:
        raise SealedColumnMissing(", ".join(missing))
    connection = connections[using]
    quote = connection.ops.quote_name
    names = ", ".join(quote(by_attname[name]) for name in attnames)
    marks = ", ".join(["%s"] * len(pks))
    pk_column = quote(model._meta.pk.column)
    sql = f"SELECT {names} FROM {quote(model._meta.db_table)} WHERE {pk_column} IN ({marks})"  # noqa: S608
    pk_index = attnames.index(model._meta.pk.attname)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(pks))
        return {values[pk_index]: dict(zip(attnames, values, strict=True)) for values in cursor.fetchall()}


def current_layout(model, using=DEFAULT_DB_ALIAS):
    """The :class:`ChainLayout` of ``model``'s columns as they are now."""
    columns = ",".join(f.attname for f in model._meta.concrete_fields)
    layout, _created = ChainLayout.objects.using(using).get_or_create(source=source_of(model), columns=columns)
    return layout


def _pending(using):
    return connections[using].__dict__.setdefault("trail_pending", {})


def _drain(using):
    pending = _pending(using)
    items = list(pending)
    pending.clear()
    if not items:
        return
    try:
        for start in range(0, len(items), SEAL_BATCH):
            seal(items[start : start + SEAL_BATCH], using=using)
    except Exception:  # the write itself has committed; seal_unsealed picks the rows up later
        logger.exception("Could not seal %d history rows; seal_unsealed will retry", len(items))


def note_history_row(sender, history_instance, using=None, **kwargs):
    """Signal handler: seal ``history_instance`` once the transaction that wrote it commits.

    Each row registers a drain of its own (Django drops the callbacks of a savepoint that rolls back, so a
    single drain per transaction could be lost with it); the first drain to run seals every pending row and
    the others find nothing left to do."""
    using = using or DEFAULT_DB_ALIAS
    _pending(using)[(source_of(sender), history_instance.pk)] = None
    drain = functools.partial(_drain, using)
    drain.trail_drain = True  # lets tests that count on-commit callbacks tell the trail's apart
    transaction.on_commit(drain, using=using)


def note_event_row(sender, instance, created, raw=False, using=None, **kwargs):
    """Signal handler (``post_save`` of the event tables): seal a new event once its transaction commits."""
    if created and not raw and source_of(sender) in EVENT_MODELS:
        note_history_row(sender, instance, using=using)


def seal_on_commit(*models, using=DEFAULT_DB_ALIAS):
    """For writes that create rows of ``models`` in bulk (no signal): once the transaction commits, the worker
    seals every unsealed row of those tables (``trail.tasks.seal_unsealed_task``; in-process where tasks run
    eagerly). If the broker is down, the hourly pass seals them."""
    labels = [source_of(model) for model in models]
    transaction.on_commit(lambda: send_task("trail.tasks.seal_unsealed_task", [labels]), using=using)


def _locked_head(using):
    head = ChainHead.objects.using(using).select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.using(using).get_or_create(pk=1)
        head = ChainHead.objects.using(using).select_for_update().get(pk=1)
    return head


def seal(items, *, using=DEFAULT_DB_ALIAS):
    """Chain the history rows ``items`` (``(source label, pk)`` pairs, in the order they were written).

    Rows already in the chain and rows that no longer exist are skipped. Returns the number of entries added."""
    by_source = {}
    for source, pk in items:
        by_source.setdefault(source, []).append(pk)
    with transaction.atomic(using=using):
        head = _locked_head(using)
        rows, layouts = {}, {}
        for source, pks in by_source.items():
            model = apps.get_model(source)
            layouts[source] = layout = current_layout(model, using)
            chained = set(
                ChainEntry.objects.using(using)
                .filter(source=source, source_pk__in=pks)
                .values_list("source_pk", flat=True)
            )
            wanted = [pk for pk in pks if pk not in chained]
            for pk, row in read_rows(model, wanted, layout.attnames, using).items():
                rows[(source, pk)] = (model, row)
        entries = []
        position, previous = head.position, head.digest
        for key in dict.fromkeys(items):
            if key not in rows:
                continue
            model, row = rows[key]
            position += 1
            source, source_pk = key
            previous = digest(
                previous, canonical_content(position=position, source=source, source_pk=source_pk, row=row)
            )
            record_model, record_id = record_of(model, row)
            entries.append(
                ChainEntry(
                    position=position,
                    source=source,
                    layout=layouts[source],
                    source_pk=source_pk,
                    record_model=record_model,
                    record_id=record_id,
                    digest=previous,
                )
            )
        if entries:
            ChainEntry.objects.using(using).bulk_create(entries, batch_size=SEAL_BATCH)
            head.position, head.digest = position, previous
            head.save(update_fields=["position", "digest", "updated_at"])
    return len(entries)


def seal_unsealed(models=None, *, using=DEFAULT_DB_ALIAS):
    """Seal every row of ``models`` (default: every chained model) not yet in the chain, in the order of their ids."""
    added = 0
    for model in models or chained_models().values():
        source = source_of(model)
        chained = ChainEntry.objects.using(using).filter(source=source).values("source_pk")
        pk_name = model._meta.pk.attname
        unsealed = model.objects.using(using).exclude(pk__in=chained).order_by(pk_name).values_list(pk_name, flat=True)
        last = None
        while True:  # keyset pages in the order the rows were written (ids grow)
            page = unsealed if last is None else unsealed.filter(pk__gt=last)
            batch = list(page[:SEAL_BATCH])
            if not batch:
                break
            added += seal([(source, pk) for pk in batch], using=using)
            last = batch[-1]
            if len(batch) < SEAL_BATCH:
                break
    return added


def seal_after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` handler: history written before the trail existed (or by a data migration) joins it."""
    seal_unsealed(using=using)
