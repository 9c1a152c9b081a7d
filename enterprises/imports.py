"""Roster import: the service behind the import page and ``POST /api/v1/enterprises/import/``.

Every upload is an :class:`~enterprises.models.ImportBatch`. A file of up to
:data:`INLINE_MAX_ROWS` rows is processed during the request; a larger one by
``enterprises.tasks.roster_import_task`` under a background job whose progress the page shows.
Each row is classified create / update / unchanged / error (docs/api.md "Roster files"); a
commit writes the valid rows in one transaction, in bulk, with their history (change reason
``import:<batch id>``, the uploader as actor) and a *created* status change for each new enterprise.
On SQLite (the embedded profile), whose one write lock a long transaction would hold against every page, a
commit writes each chunk of :data:`CHUNK_ROWS` rows in a transaction of its own: pages write between chunks.
A commit stopped half-way there keeps the chunks before; running the batch again is safe (rows already written
are *unchanged*, and no row is written twice, since rows are matched by credit code).
The file is streamed and processed in chunks, so memory stays bounded whatever its length.
"""

import logging
from decimal import Decimal
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.errors import Conflict, DomainError, PermissionDenied
from core.files import safe_file_name
from core.models import OrgUnit
from core.roles import DISTRICT_ROLES, Role, role_of
from core.selectors import unit_lookup
from core.tabular import batches, writing
from core.tabular.batches import ACTIONS, BatchFailed, BatchImport, ProgressReporter, error_note, forget_queries
from notifications.choices import NotificationKind as Notice
from notifications.services import notify_event, users
from trail.services import seal_on_commit

from . import permissions, roster
from .models import Enterprise, EnterpriseStatusChange, ImportBatch, ImportRow
from .names import normalised_name
from .services import initial_status

logger = logging.getLogger(__name__)

#: Files with more data rows than this are processed in the background (API: 202).
INLINE_MAX_ROWS = 5_000
#: Rows validated, compared and written together: one query reads the chunk's existing enterprises.
CHUNK_ROWS = 2_000
#: Batch size of the bulk INSERT/UPDATE statements.
WRITE_BATCH = 500

TASK_NAME = "enterprises.tasks.roster_import_task"
JOB_KIND = "roster_import"

#: Facts an import writes: the roster's columns but the two that identify the enterprise (credit code, unit).
FACT_KEYS = tuple(key for key in roster.KEYS if key not in ("credit_code", "unit"))


class RosterImportFailed(BatchFailed):
    """The batch ended in failure (its ``error`` says why); raised by the task so the job is failed too."""


def change_reason(batch):
    return f"import:{batch.pk}"


class RosterImport(BatchImport):
    """The roster's batches: :data:`ROSTER_IMPORT` drives them through the shared batch engine."""

    model = ImportBatch
    job_kind = JOB_KIND
    task_name = TASK_NAME
    label = "Roster import"
    failed_exception = RosterImportFailed
    errors_kind = "roster_errors"

    @property
    def no_longer_allowed(self):
        return _("The person who uploaded this file may no longer import rosters.")

    @property
    def unexpected_error(self):
        return _(
            "The import stopped on an unexpected error ({error}) and nothing was written. Try again; if it "
            "happens again, send the file to the district office."
        )

    @property
    def not_finished(self):
        return _("This import has not finished; its error sheet is not ready yet.")

    def can_run(self, actor):
        return permissions.can_import(actor)

    def process(self, batch, *, job_id=None):
        return _process(batch, job_id=job_id)

    def error_file(self, batch):
        return import_error_file(batch=batch)

    def finish(self, batch, result):
        """A finished background import tells the person who uploaded the file (an inline one answered them)."""
        with transaction.atomic():
            batch = super().finish(batch, result)
            if batch.job_id:
                notify_event(
                    users(batch.uploaded_by),
                    Notice.IMPORT_DONE,
                    batch.file_name,
                    link=reverse("enterprises:import_batch", args=[batch.pk]),
                )
        return batch

    def failure_message(self, batch, exc):
        if isinstance(exc, IntegrityError):
            logger.warning("Roster import %s hit a conflicting write", batch.pk, exc_info=True)
            return _(
                "Someone registered some of these enterprises while the file was being imported, so nothing was "
                "written. Upload the file again."
            )
        return None


ROSTER_IMPORT = RosterImport()


# --- Starting an import ---------------------------------------------------------------------------


def roster_import(*, actor, upload, commit=False):
    """Check ``upload`` and import it as a new batch of ``actor``.

    A file that cannot be read as a roster raises ``DomainError`` (nothing is recorded). Otherwise
    the batch is stored with its file; up to :data:`INLINE_MAX_ROWS` rows are processed now and the
    finished (or failed) batch is returned; a larger file gets a background job (enqueued on commit)
    and the batch is returned *pending*. With ``commit`` false nothing but the batch is written.
    """
    ROSTER_IMPORT.check_allowed(actor)
    name = safe_file_name(getattr(upload, "name", "") or "roster")
    with roster.open_roster(upload, name=name) as opened:
        file_format = opened.format
        rows = opened.count_rows(limit=INLINE_MAX_ROWS + 1)
    if rows == 0:
        raise DomainError("empty_roster", _("The file has a header row but no enterprises below it."), field="file")
    batch = ROSTER_IMPORT.batch_of(
        upload,
        actor=actor,
        name=name,
        file_format=file_format,
        commit=commit,
        row_count=rows if rows <= INLINE_MAX_ROWS else 0,
    )
    return ROSTER_IMPORT.start(batch, background=rows > INLINE_MAX_ROWS)


def roster_import_commit(*, actor, batch):
    """Write the valid rows of a previewed batch as a new, committing batch.

    A staged preview (every preview since rows are staged) is written from its :class:`ImportRow` rows,
    without reading the file again: exactly what the clerk saw. If an enterprise it plans to create or update
    changed since (registered meanwhile, edited, or gone), nothing is written and :class:`Conflict`
    ``preview_changed`` names the rows: preview the file again. An older preview, without staged rows, has its
    stored file imported again (every row checked again)."""
    ROSTER_IMPORT.check_allowed(actor)
    if not ImportBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        raise DomainError("not_found", _("Not found."), status=404)
    if batch.uploaded_by_id != actor.pk and role_of(actor) not in DISTRICT_ROLES:
        raise PermissionDenied(_("Only the person who uploaded this file may write it."))
    ROSTER_IMPORT.check_committable(batch)
    total_rows = sum((batch.totals or {}).get(action, 0) for action in ACTIONS)
    if not batch.staged:
        return ROSTER_IMPORT.start(ROSTER_IMPORT.commit_of(batch, actor=actor), background=total_rows > INLINE_MAX_ROWS)
    stale = stale_rows(batch)
    if stale:
        raise Conflict("preview_changed", preview_changed_message(stale))
    new = ROSTER_IMPORT.commit_of(batch, actor=actor, preview=batch)
    return ROSTER_IMPORT.start(new, background=total_rows > INLINE_MAX_ROWS)


# --- Running it -----------------------------------------------------------------------------------


def roster_import_run(batch_id, *, job_id=None):
    """Process a batch (inline, or from its task); see :meth:`core.tabular.batches.BatchImport.run`."""
    return ROSTER_IMPORT.run(batch_id, job_id=job_id)


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Run:
    """The state of one pass over a file: codes seen so far, totals, and one compact outcome per row."""

    def __init__(self, batch, *, job_id=None):
        self.batch = batch
        self.actor = batch.uploaded_by
        self.role = role_of(self.actor)
        self.commit = batch.commit
        self.job_id = job_id
        self.units = roster.unit_table(unit_lookup())
        self.status = initial_status(self.actor)
        self.today = timezone.localdate()
        self.reason = change_reason(batch)
        self.seen = {}  # credit code -> first row number
        self.outcomes = []  # (row, action, credit code, errors or None)
        self.totals = dict.fromkeys(ACTIONS, 0)
        # On SQLite one transaction holds the database's only write lock: a commit of a long file writes chunk by
        # chunk there, each chunk in a transaction of its own (see _pass).
        self.per_chunk = self.commit and connection.vendor == "sqlite"
        # A preview stages every row (ImportRow) for its commit.
        self.stage = not self.commit


def _process(batch, *, job_id=None):
    if batch.preview_id:
        return _process_staged(batch, job_id=job_id)
    if not batch.commit:
        # A run taken over from a dead worker starts again: drop what the first attempt staged.
        ImportRow.objects.filter(batch=batch).delete()
    result = _process_file(batch, job_id=job_id)
    if not batch.commit:
        ImportBatch.objects.filter(pk=batch.pk).update(staged=True)
        batch.staged = True
    return result


def _result(run):
    return {
        "batch": str(run.batch.pk),
        "committed": bool(run.commit),
        "totals": run.totals,
        "rows": [
            {
                "row": row,
                "action": action,
                "credit_code": code,
                "errors": [{"column": column, "message": message} for column, message in errors or ()],
            }
            for row, action, code, errors in run.outcomes
        ],
    }


def _process_file(batch, *, job_id=None):
    run = _Run(batch, job_id=job_id)
    with batch.file.open("rb") as handle, roster.open_roster(handle, name=batch.file_name) as opened:
        estimate = opened.estimated_rows() if job_id else None
        if run.commit and not run.per_chunk:
            with transaction.atomic():
                _pass(run, opened, estimate)
                # Bulk writes send no history signal: the worker seals them into the audit trail on commit.
                seal_on_commit(Enterprise.history.model, EnterpriseStatusChange)
        else:
            _pass(run, opened, estimate)
    return _result(run)


def _pass(run, opened, estimate):
    done = 0
    reporter = ProgressReporter(run.job_id, in_transaction=run.commit) if run.job_id else None
    try:
        for chunk in _chunks(opened.data_rows(), CHUNK_ROWS):
            if run.per_chunk:
                with transaction.atomic():
                    _chunk(run, opened.layout, chunk)
                    seal_on_commit(Enterprise.history.model, EnterpriseStatusChange)
            else:
                _chunk(run, opened.layout, chunk)
            forget_queries()
            done += len(chunk)
            if reporter:
                progress = min(99, int(done * 100 / estimate)) if estimate else 50
                reporter.report(progress, _("{n} rows processed").format(n=done))
    finally:
        if reporter:
            reporter.close()


def _chunk(run, layout, chunk):
    """Classify (and, committing, write) one chunk: one query reads the chunk's existing enterprises."""
    positions = {header: position for position, header in enumerate(layout.headers)}
    unit_header = layout.header_for("unit")
    code_header = layout.header_for("credit_code")
    parsed = [roster.parse_row(number, cells, layout, units=run.units) for number, cells in chunk]
    for row in parsed:
        code = row.credit_code
        if not code:
            continue
        if code in run.seen:
            row.error(
                code_header,
                _("This credit code is already on row {row} of this file: keep one row per enterprise.").format(
                    row=run.seen[code]
                ),
            )
        else:
            run.seen[code] = row.row
    codes = {row.values["credit_code"] for row in parsed if "credit_code" in row.values}
    existing = {}
    if codes:
        queryset = Enterprise.objects.filter(credit_code__in=codes).select_related("unit")
        if run.commit:
            queryset = queryset.select_for_update(of=("self",))
        existing = {enterprise.credit_code: enterprise for enterprise in queryset}

    creates, updates, changed_fields, staged = [], [], set(), []
    for row in parsed:
        enterprise = existing.get(row.values.get("credit_code"))
        unit = row.values.get("unit")
        _check_scope(run, row, enterprise, unit, unit_header)
        action, changes, previous = "error", {}, {}
        if not row.errors:
            if enterprise is None:
                allowed, reason = permissions.can_create_in_unit(run.actor, unit)
                if not allowed:
                    row.error(unit_header, reason)
                else:
                    action = "create"
                    creates.append(_new_enterprise(run, row))
            else:
                changes = _changes(enterprise, row.values)
                previous = {name: getattr(enterprise, name) for name in changes}
                if not changes:
                    action = "unchanged"
                else:
                    allowed, reason = permissions.can_edit(run.actor, enterprise)
                    if not allowed:
                        row.error(code_header, reason)
                    else:
                        action = "update"
                        for name, value in changes.items():
                            setattr(enterprise, name, value)
                        changed_fields.update(changes)
                        updates.append(enterprise)
        run.totals[action] += 1
        if len(row.errors) > 1:
            row.errors.sort(key=lambda error: positions.get(error[0], len(positions)))  # in the file's order
        run.outcomes.append((row.row, action, row.credit_code, row.errors or None))
        if run.stage:
            staged.append(_staged_row(run.batch, row, action, enterprise, changes, previous))
    if run.commit:
        _write(run, creates, updates, changed_fields)
    if staged:
        ImportRow.objects.bulk_create(staged, batch_size=WRITE_BATCH)


def _json(value):
    """A checked value as staged JSON: a unit by its id, an amount as decimal text."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def _from_json(name, value):
    if value is None:
        return None
    return Enterprise._meta.get_field(name).to_python(value)


def _staged_row(batch, row, action, enterprise, changes, previous):
    values = {}
    if action in ("create", "update"):
        values = {name: _json(value) for name, value in row.values.items()}
    return ImportRow(
        batch=batch,
        row=row.row,
        action=action,
        credit_code=row.credit_code or "",
        values=values,
        changes={name: [_json(previous[name]), _json(value)] for name, value in changes.items()}
        if action == "update"
        else {},
        errors=[list(error) for error in row.errors],
        seen_at=enterprise.updated_at if enterprise is not None and action == "update" else None,
    )


# --- Committing a staged preview ------------------------------------------------------------------


def _planned(preview):
    return ImportRow.objects.filter(batch=preview, action__in=("create", "update")).order_by("row")


def stale_rows(preview, *, lock=False):
    """The rows of staged ``preview`` the registry has overtaken since: ``[(row, credit code), ...]``. A row
    to create whose code is registered now; a row to update whose enterprise is gone, was edited since (its
    ``updated_at`` moved) or no longer holds the previewed old values."""
    stale = []
    for chunk in _chunks(_planned(preview).iterator(chunk_size=CHUNK_ROWS), CHUNK_ROWS):
        queryset = Enterprise.objects.filter(credit_code__in=[staged.credit_code for staged in chunk])
        if lock and connection.vendor != "sqlite":
            queryset = queryset.select_for_update()
        existing = {enterprise.credit_code: enterprise for enterprise in queryset}
        for staged in chunk:
            enterprise = existing.get(staged.credit_code)
            if staged.action == "create":
                changed = enterprise is not None
            else:
                changed = (
                    enterprise is None
                    or enterprise.updated_at != staged.seen_at
                    or any(_json(getattr(enterprise, name)) != old for name, (old, _new) in staged.changes.items())
                )
            if changed:
                stale.append((staged.row, staged.credit_code))
    return stale


#: Rows a "preview changed" message names; the rest are counted.
STALE_NAMED = 20


def preview_changed_message(stale):
    named = "、".join(f"{row}（{code}）" for row, code in stale[:STALE_NAMED])
    if len(stale) > STALE_NAMED:
        named += _(" and {n} more").format(n=len(stale) - STALE_NAMED)
    return _(
        "The registry has changed since this preview: the enterprises of rows {rows} were registered or edited "
        "meanwhile. Nothing was written; preview the file again."
    ).format(rows=named)


def _process_staged(batch, *, job_id=None):
    """Write a staged preview's rows (the file is not read). On PostgreSQL in one transaction that locks the
    planned enterprises first; on SQLite chunk by chunk, as a file's commit (see the module's text)."""
    run = _Run(batch, job_id=job_id)
    run.stage = False
    preview = batch.preview
    if not run.per_chunk:
        with transaction.atomic():
            _staged_pass(run, preview)
            seal_on_commit(Enterprise.history.model, EnterpriseStatusChange)
    else:
        _staged_pass(run, preview)
    return _result(run)


def _staged_pass(run, preview):
    stale = stale_rows(preview, lock=True)
    if stale:
        raise DomainError("preview_changed", preview_changed_message(stale))
    done, total = 0, sum(preview.totals.get(action, 0) for action in ACTIONS) if preview.totals else 0
    reporter = ProgressReporter(run.job_id, in_transaction=not run.per_chunk) if run.job_id else None
    try:
        rows = ImportRow.objects.filter(batch=preview).order_by("row").iterator(chunk_size=CHUNK_ROWS)
        for chunk in _chunks(rows, CHUNK_ROWS):
            if run.per_chunk:
                with transaction.atomic():
                    _staged_chunk(run, chunk)
                    seal_on_commit(Enterprise.history.model, EnterpriseStatusChange)
            else:
                _staged_chunk(run, chunk)
            forget_queries()
            done += len(chunk)
            if reporter:
                progress = min(99, int(done * 100 / total)) if total else 50
                reporter.report(progress, _("{n} rows processed").format(n=done))
    finally:
        if reporter:
            reporter.close()


def _staged_chunk(run, chunk):
    codes = [staged.credit_code for staged in chunk if staged.action in ("create", "update")]
    existing = {}
    if codes:
        queryset = Enterprise.objects.filter(credit_code__in=codes).select_related("unit")
        if connection.vendor != "sqlite":
            queryset = queryset.select_for_update(of=("self",))
        existing = {enterprise.credit_code: enterprise for enterprise in queryset}
    units = {}
    unit_ids = {staged.values.get("unit") for staged in chunk if staged.action == "create"}
    if unit_ids:
        units = {unit.pk: unit for unit in OrgUnit.objects.filter(pk__in=unit_ids)}
    creates, updates, changed_fields = [], [], set()
    for staged in chunk:
        action = staged.action
        errors = [tuple(error) for error in staged.errors]
        if action == "create":
            if staged.credit_code in existing:
                raise DomainError("preview_changed", preview_changed_message([(staged.row, staged.credit_code)]))
            unit = units.get(staged.values.get("unit"))
            allowed, reason = permissions.can_create_in_unit(run.actor, unit)
            if not allowed:
                action, errors = "error", [(roster.COLUMNS_BY_KEY["unit"].header, reason)]
            else:
                facts = {name: _from_json(name, staged.values[name]) for name in FACT_KEYS if name in staged.values}
                enterprise = Enterprise(
                    credit_code=staged.credit_code, unit=unit, status=run.status, created_by=run.actor, **facts
                )
                enterprise.name_key = normalised_name(enterprise.name)
                creates.append(enterprise)
        elif action == "update":
            enterprise = existing.get(staged.credit_code)
            if enterprise is None or enterprise.updated_at != staged.seen_at:
                raise DomainError("preview_changed", preview_changed_message([(staged.row, staged.credit_code)]))
            allowed, reason = permissions.can_edit(run.actor, enterprise)
            if not allowed:
                action, errors = "error", [(roster.COLUMNS_BY_KEY["credit_code"].header, reason)]
            else:
                for name, (_old, new) in staged.changes.items():
                    setattr(enterprise, name, _from_json(name, new))
                changed_fields.update(staged.changes)
                updates.append(enterprise)
        run.totals[action] += 1
        run.outcomes.append((staged.row, action, staged.credit_code or None, errors or None))
    _write(run, creates, updates, changed_fields)


def _check_scope(run, row, enterprise, unit, unit_header):
    """Unit staff import their own unit's enterprises only; no import moves an enterprise between units."""
    if run.role == Role.UNIT_STAFF:
        if unit is not None and unit.pk != run.actor.unit_id:
            row.error(
                unit_header,
                _(
                    "You may only import enterprises of {own}; this row names {other}. Remove the row or send it "
                    "to that street/town."
                ).format(own=run.actor.unit, other=unit),
            )
        elif enterprise is not None and enterprise.unit_id != run.actor.unit_id:
            row.error(
                unit_header,
                _(
                    "This credit code belongs to an enterprise registered under another street/town, and an import "
                    "never moves an enterprise. If it has moved to {own}, ask the district office to move it."
                ).format(own=run.actor.unit),
            )
    elif enterprise is not None and unit is not None and enterprise.unit_id != unit.pk:
        row.error(
            unit_header,
            _(
                "This enterprise is registered under {current}; an import never moves an enterprise between units. "
                "Correct this cell, or use “Move to another unit” on the enterprise's page."
            ).format(current=enterprise.unit),
        )


def _changes(enterprise, values):
    """The facts a row changes: every provided (non-blank) value that differs from the stored one."""
    return {
        name: values[name]
        for name in FACT_KEYS
        if name in values and values[name] is not None and getattr(enterprise, name) != values[name]
    }


def _new_enterprise(run, row):
    values = row.values
    facts = {name: values[name] for name in FACT_KEYS if name in values}
    enterprise = Enterprise(
        credit_code=values["credit_code"],
        unit=values["unit"],
        status=run.status,
        created_by=run.actor,
        **facts,
    )
    enterprise.name_key = normalised_name(enterprise.name)  # bulk_create calls no save()
    return enterprise


def _write(run, creates, updates, changed_fields):
    """Bulk writes with their history rows, inside the run's transaction."""
    if creates:
        created = bulk_create_with_history(
            creates,
            Enterprise,
            batch_size=WRITE_BATCH,
            default_user=run.actor,
            default_change_reason=run.reason,
        )
        EnterpriseStatusChange.objects.bulk_create(
            [
                EnterpriseStatusChange(
                    enterprise=enterprise,
                    kind=EnterpriseStatusChange.Kind.CREATED,
                    to_status=run.status,
                    happened_on=run.today,
                    batch=run.batch,
                    actor=run.actor,
                )
                for enterprise in created
            ],
            batch_size=WRITE_BATCH,
        )
    if updates:
        now = timezone.now()
        for enterprise in updates:
            enterprise.updated_at = now
            enterprise.name_key = normalised_name(enterprise.name)
        if "name" in changed_fields:
            changed_fields = changed_fields | {"name_key"}
        bulk_update_with_history(
            updates,
            Enterprise,
            fields=sorted(changed_fields | {"updated_at"}),
            batch_size=WRITE_BATCH,
            default_user=run.actor,
            default_change_reason=run.reason,
        )


# --- Reading results ------------------------------------------------------------------------------


def import_status(batch):
    """What ``GET /api/v1/enterprises/import/{batch}/`` answers: the batch's state and, when done, its result."""
    return ROSTER_IMPORT.status(batch)


def error_rows(batch):
    """``[(row, [(column, message), ...]), ...]`` of a finished batch's error rows."""
    rows = (batch.result or {}).get("rows", ())
    return [(r["row"], [(e["column"], e["message"]) for e in r["errors"]]) for r in rows if r["action"] == "error"]


def import_error_file(*, batch):
    """The error sheet of a finished batch: its error rows as uploaded (read again from the stored file,
    so nothing but the row numbers is kept), under the same headers, with 错误说明 last. xlsx bytes."""
    wanted = dict(error_rows(batch))
    with batch.file.open("rb") as handle, roster.open_roster(handle, name=batch.file_name) as opened:
        layout = opened.layout
        rows = (
            (cells, error_note(wanted[number], row=number), batches.bad_positions(layout.headers, wanted[number]))
            for number, cells in opened.data_rows()
            if number in wanted
        )
        return writing.write_error_file(layout.headers, rows, credit_code_position=layout.index.get("credit_code"))


def changes_shown(staged):
    """The changes of a staged update as the preview page shows them: ``[(header, old, new), ...]``, in the
    roster's column order, coded values by their labels."""
    shown = []
    for name in FACT_KEYS:
        if name not in staged.changes:
            continue
        old, new = staged.changes[name]
        shown.append((roster.COLUMNS_BY_KEY[name].header, _value_shown(name, old), _value_shown(name, new)))
    return shown


def _value_shown(name, value):
    if value is None or value == "":
        return "—"
    field = Enterprise._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


error_file_name = batches.error_file_name
