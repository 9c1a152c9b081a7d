"""Report snapshots say which periods were closed when they were made, keep the audit trail's head, and flag the
numbers that changed after the close (docs/architecture.md "Period close")."""

import datetime
import subprocess

from django.urls import reverse

from books import services
from core.roles import Role
from funding.services import recognitions
from reports.models import ReportingPeriod, ReportSnapshot
from reports.services.snapshots import snapshot_compute
from trail.selectors import chain_head
from trail.services import seal_unsealed

AS_OF = datetime.date(2025, 12, 31)


def _computed(period):
    snapshot = ReportSnapshot.objects.create(period=period, as_of=AS_OF)
    assert snapshot_compute(snapshot.pk) == "done"
    snapshot.refresh_from_db()
    return snapshot


def _pdf_text(snapshot, tmp_path):
    path = tmp_path / "snapshot.pdf"
    path.write_bytes(snapshot.pdf.read())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_a_snapshot_records_the_close_and_the_chain_head_and_flags_a_changed_number(users, world, client, tmp_path):
    period = ReportingPeriod.objects.get(code="2025")
    district, finance = users[Role.DISTRICT_OFFICIAL], users[Role.FINANCE_OFFICER]
    open_books = _computed(period)
    assert open_books.closed_through is None and open_books.closure_id is None
    assert open_books.audit_head and open_books.changed_after_close == []

    closure = services.close_books(actor=finance, through="2025-06-30", reason="上半年结账")
    seal_unsealed()
    entries, head = chain_head()
    at_close = _computed(period)
    assert at_close.closed_through == datetime.date(2025, 6, 30) and at_close.closure_id == closure.pk
    assert (at_close.audit_entries, at_close.audit_head) == (entries, head)
    assert at_close.changed_after_close == [] and at_close.close_baseline_id is None

    exception = services.request_exception(actor=district, record=world["e1"], reason="漏录智能工厂认定")
    services.approve_exception(actor=finance, exception=exception)
    recognitions.recognition_create(
        actor=district,
        kind="smart_factory",
        level="municipal",
        recognised_on=datetime.date(2025, 3, 1),
        title="上海市智能工厂",
        enterprise=world["e1"],
    )
    later = _computed(period)
    assert later.close_baseline_id == at_close.pk
    changed = {row["number"]: row for row in later.changed_after_close}
    assert changed, "the late recognition changes a number of the closed period"
    before = {row["number"]: row["actual"] for row in at_close.indicators}
    for number, row in changed.items():
        assert row["old"] == before[number] and row["new"] != row["old"]

    client.force_login(users[Role.AUDITOR])
    page = client.get(reverse("reports:snapshot_detail", args=[later.pk])).content.decode()
    assert "2025-06-30" in page and f"#{closure.pk}" in page and later.audit_head in page
    assert "changed-after-close" in page
    text = _pdf_text(later, tmp_path)
    assert "2025-06-30" in text and "结账后变动" in text
    assert later.audit_head[:20] in text.replace("\n", "")
