"""The sign-in sheet import (签到表): the service behind the event's import pages and its API, on the one import
engine (``core.tabular``).

Every upload is a :class:`~events.models.SignInBatch` of one event. Each row names an enterprise (by its credit
code, else by its name, compared without spaces, quotation marks and width differences) and a person (姓名,
职务, 手机号, 签到时间). A row is *create* (a new attendee), *update* (the attendee is recorded with another
title, phone or time), *unchanged*, or *error*: a required cell blank, a cell that cannot be read, an
enterprise the uploader does not see (unmatched), the same person twice in the file. A preview writes nothing;
a commit writes every valid row in one transaction (or nothing, when it fails), marks the event held and its
sheet received. Sheets are short (a few hundred rows), so every upload is processed during the request.
"""

import datetime
import re
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.files import safe_file_name
from core.history import save_with_history
from core.permissions import require
from core.roles import DISTRICT_ROLES, role_of
from core.tabular import batches, cells, reading, writing
from core.tabular.batches import ACTIONS, BatchImport, error_note
from core.tabular.schema import Column, Schema
from enterprises.models import Enterprise

from . import permissions, services
from .choices import AttendanceSource, EventStatus
from .models import Attendance, Event, SignInBatch

#: Rows a sign-in sheet may hold.
MAX_ROWS = 5_000


def parse_phone(value):
    text = cells.plain_number_text(value).replace("-", "").replace("+86", "")
    if not re.fullmatch(r"\d{7,15}", text):
        return None, _("“{value}” is not a phone number.").format(value=cells.cell_text(value))
    return text, None


def parse_time(value):
    """``(value, None)``: a datetime, a time of day, or a date; the row's reader puts it on the event's day."""
    if isinstance(value, (datetime.datetime, datetime.time, datetime.date)):
        return value, None
    text = cells.plain_text(value)
    match = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?::(\d{2}))?", text)
    if match:
        try:
            return datetime.time(*(int(g) for g in match.groups() if g is not None)), None
        except ValueError:
            pass
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?::(\d{2}))?)?", text)
    if match:
        parts = [int(g) for g in match.groups() if g is not None]
        try:
            return datetime.datetime(*parts), None
        except ValueError:
            pass
    return None, _("“{value}” is not a time. Write 09:05 or 2026-12-01 09:05.").format(value=cells.cell_text(value))


COLUMNS = (
    Column("enterprise_name", "企业名称", False, ("enterprise", "enterprise name", "单位名称"), 200),
    Column("credit_code", "统一社会信用代码", False, ("credit code", "信用代码"), parse=cells.parse_credit_code),
    Column("attendee_name", "姓名", True, ("name", "attendee", "参会人"), 64),
    Column("attendee_title", "职务", False, ("title", "position", "职位"), 64),
    Column("phone", "手机号", False, ("phone", "mobile", "手机", "联系电话"), parse=parse_phone),
    Column("signed_in_at", "签到时间", False, ("signed in at", "time", "时间"), parse=parse_time),
)
SCHEMA = Schema(columns=COLUMNS, anchor="attendee_name")


def name_key(text):
    """An enterprise name for matching: NFKC, no spaces or quotation marks, brackets of either width alike."""
    return cells.value_key(unicodedata.normalize("NFKC", str(text or "")))


def open_sheet(fileobj, *, name=""):
    return reading.open_file(fileobj, schema=SCHEMA, name=name, row_limit=MAX_ROWS)


class SignInImport(BatchImport):
    """The sign-in sheets' batches on the shared engine."""

    model = SignInBatch
    job_kind = "sign_in_import"
    task_name = ""  # sheets are short: every upload runs during the request
    label = "Sign-in sheet import"
    errors_kind = "sign_in_errors"

    @property
    def no_longer_allowed(self):
        return _("The person who uploaded this sheet may no longer manage this event.")

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
        return permissions.can_import_sign_in(actor)

    def process(self, batch, *, job_id=None):
        allowed, reason = permissions.can_change(batch.uploaded_by, batch.event)
        if not allowed:
            raise DomainError("not_allowed", reason)
        return process(batch)

    def error_file(self, batch):
        return error_file(batch)


SIGN_IN_IMPORT = SignInImport()


def sign_in_import(*, actor, event, upload, commit=False):
    """Check ``upload`` as ``event``'s sign-in sheet and import it as a new batch of ``actor`` (processed now)."""
    SIGN_IN_IMPORT.check_allowed(actor)
    require(permissions.can_change(actor, event))
    name = safe_file_name(getattr(upload, "name", "") or "sign-in")
    with open_sheet(upload, name=name) as opened:
        file_format = opened.format
        rows = opened.count_rows(limit=MAX_ROWS + 1)
    if rows == 0:
        raise DomainError("empty_sheet", _("The file has a header row but no one signed in below it."), field="file")
    batch = SIGN_IN_IMPORT.batch_of(
        upload, actor=actor, name=name, file_format=file_format, commit=commit, row_count=rows, event=event
    )
    return SIGN_IN_IMPORT.start(batch, background=False)


def sign_in_import_commit(*, actor, batch):
    """Write a previewed sheet's valid rows: the stored file is read again, with commit, as a new batch."""
    SIGN_IN_IMPORT.check_allowed(actor)
    if not SignInBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        raise DomainError("not_found", _("Not found."), status=404)
    if batch.uploaded_by_id != actor.pk and role_of(actor) not in DISTRICT_ROLES:
        raise PermissionDenied(_("Only the person who uploaded this file may write it."))
    require(permissions.can_change(actor, batch.event))
    SIGN_IN_IMPORT.check_committable(batch)
    return SIGN_IN_IMPORT.start(SIGN_IN_IMPORT.commit_of(batch, actor=actor, event=batch.event), background=False)


def combine(value, day):
    """The sign-in moment as an aware datetime: a time of day falls on the event's day."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.time):
        moment = datetime.datetime.combine(day, value)
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(0, 0))
    else:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Row:
    def __init__(self, number):
        self.row = number
        self.errors = []
        self.unmatched = False

    def error(self, column, message):
        self.errors.append((column, str(message)))


def process(batch):
    """Classify every row (and, committing, write the valid ones in one transaction)."""
    event = Event.objects.select_related("organiser_unit").get(pk=batch.event_id)
    actor = batch.uploaded_by
    day = timezone.localtime(event.starts_at).date()
    visible = Enterprise.objects.visible_to(actor)
    totals = dict.fromkeys(ACTIONS, 0)
    outcomes = []
    unmatched = 0
    with batch.file.open("rb") as handle, open_sheet(handle, name=batch.file_name) as opened:
        layout = opened.layout
        parsed = []
        for number, row_cells in opened.data_rows():
            row = Row(number)
            values = SCHEMA.read_row(
                row_cells, layout, error=lambda key, msg, row=row: row.error(layout.header_for(key), msg)
            )
            parsed.append((row, values))
    codes = {v["credit_code"] for _r, v in parsed if v.get("credit_code")}
    by_code = {e.credit_code: e for e in visible.filter(credit_code__in=codes)}
    names = {
        name_key(v["enterprise_name"]) for _r, v in parsed if v.get("enterprise_name") and not v.get("credit_code")
    }
    by_name = {}
    if names:
        for enterprise in visible.only("pk", "name", "credit_code"):
            key = name_key(enterprise.name)
            if key in names:
                by_name.setdefault(key, []).append(enterprise)
    existing = {(a.enterprise_id, a.attendee_name): a for a in Attendance.objects.filter(event=event)}
    seen = {}
    writes = []
    for row, values in parsed:
        enterprise = None
        code_header, name_header = layout.header_for("credit_code"), layout.header_for("enterprise_name")
        if not row.errors or all(column != code_header for column, _m in row.errors):
            code = values.get("credit_code")
            if code:
                enterprise = by_code.get(code)
                if enterprise is None:
                    row.unmatched = True
                    row.error(code_header, _("No enterprise you can see has this credit code (unmatched)."))
            elif values.get("enterprise_name"):
                found = by_name.get(name_key(values["enterprise_name"]), [])
                if len(found) == 1:
                    enterprise = found[0]
                elif found:
                    row.error(name_header, _("Several enterprises have this name: give the credit code."))
                else:
                    row.unmatched = True
                    row.error(
                        name_header, _("No enterprise you can see has this name (unmatched): give the credit code.")
                    )
            else:
                row.error(code_header, _("Give the enterprise's credit code or its name."))
        action = "error"
        person = values.get("attendee_name")
        if enterprise is not None and person and not row.errors:
            key = (enterprise.pk, person)
            if key in seen:
                row.error(
                    layout.header_for("attendee_name"),
                    _("This person of this enterprise is already on row {row} of this file.").format(row=seen[key]),
                )
            else:
                seen[key] = row.row
                signed = combine(values.get("signed_in_at"), day)
                facts = {
                    "attendee_title": values.get("attendee_title", ""),
                    "phone": values.get("phone", ""),
                    "signed_in_at": signed,
                }
                old = existing.get(key)
                if old is None:
                    action = "create"
                elif any(getattr(old, f) != v for f, v in facts.items() if v not in ("", None)):
                    action = "update"
                else:
                    action = "unchanged"
                writes.append((action, enterprise, person, facts, old))
        totals[action] += 1
        unmatched += row.unmatched
        outcomes.append(
            {
                "row": row.row,
                "action": action,
                "credit_code": enterprise.credit_code if enterprise else values.get("credit_code", ""),
                "enterprise": enterprise.name if enterprise else values.get("enterprise_name", ""),
                "attendee": person or "",
                "errors": [{"column": c, "message": m} for c, m in row.errors],
            }
        )
    if batch.commit:
        with transaction.atomic():
            write(batch, event, actor, writes)
    return {
        "batch": str(batch.pk),
        "event": event.pk,
        "committed": bool(batch.commit),
        "totals": totals,
        "unmatched": unmatched,
        "rows": outcomes,
    }


def write(batch, event, actor, writes):
    """The valid rows as attendance, with their history (reason ``sign-in:<batch>``); the event is held."""
    reason = f"sign-in:{batch.pk}"
    for action, enterprise, person, facts, old in writes:
        if action == "create":
            row = Attendance(
                event=event,
                enterprise=enterprise,
                attendee_name=person,
                source=AttendanceSource.SIGN_IN_SHEET,
                batch=batch,
                recorded_by=actor,
                **facts,
            )
            save_with_history(row, actor=actor, reason=reason, validate_unique=False)
        elif action == "update":
            for field, value in facts.items():
                if value not in ("", None):
                    setattr(old, field, value)
            old.batch = batch
            save_with_history(old, actor=actor, reason=reason, validate_unique=False)
    if event.status != EventStatus.CANCELLED:
        services.sign_in_recorded(actor=actor, event=event)


def error_rows(batch):
    rows = (batch.result or {}).get("rows", ())
    return {r["row"]: [(e["column"], e["message"]) for e in r["errors"]] for r in rows if r["action"] == "error"}


def error_file(batch):
    """The error rows as uploaded, under the same headers, with 错误说明 last (xlsx bytes)."""
    wanted = {row: error_note(errors) for row, errors in error_rows(batch).items()}
    with batch.file.open("rb") as handle, open_sheet(handle, name=batch.file_name) as opened:
        layout = opened.layout
        rows = ((row_cells, wanted[number]) for number, row_cells in opened.data_rows() if number in wanted)
        return writing.write_error_file(layout.headers, rows, credit_code_position=layout.index.get("credit_code"))


error_file_name = batches.error_file_name

GUIDANCE = {
    "enterprise_name": "企业全称；填写信用代码时可不填（用于核对）。",
    "credit_code": "18 位统一社会信用代码，以文本格式填写；不填时按企业名称匹配。",
    "attendee_name": "参会人姓名，必填。",
    "attendee_title": "职务，选填。",
    "phone": "手机号，选填。",
    "signed_in_at": "签到时间，如 09:05 或 2026-12-01 09:05；只填时间时按活动当天计。",
}


def write_template():
    """The blank sign-in sheet: 签到表 with credit codes and phones formatted as text, then 填写说明."""
    template = writing.TemplateWorkbook()
    template.data_sheet("签到表", COLUMNS, text_keys=("credit_code", "phone"))
    template.note("活动签到表填写说明")
    template.note()
    template.column_help(COLUMNS, GUIDANCE)
    return template.to_bytes()
