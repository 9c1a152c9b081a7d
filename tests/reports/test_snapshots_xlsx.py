"""A finished snapshot as an XLSX workbook: the summary, the per-unit annex and the named records behind
each number, for those who may read the snapshot; a pending one sends the reader back to its page."""

import datetime
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from core.models import DownloadLog
from core.roles import Role
from reports.models import ReportingPeriod, ReportSnapshot
from reports.services.snapshots import snapshot_compute, snapshot_request

pytestmark = pytest.mark.django_db
D = datetime.date


def sheets(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


@pytest.fixture
def done(users, dash):
    first = dash.transformed(D(2025, 5, 1), name="上海甲精密机械有限公司")
    dash.transformed(D(2025, 6, 1), unit="310117001", name="上海乙电子有限公司")
    snapshot = snapshot_request(
        actor=users[Role.DISTRICT_OFFICIAL], period=ReportingPeriod.objects.get(code="2025"), as_of="2025-12-31"
    )
    assert snapshot_compute(snapshot.pk) == "done"
    return snapshot, first


def test_the_workbook_holds_the_summary_the_annex_and_the_named_records(client, users, done):
    snapshot, first = done
    client.force_login(users[Role.AUDITOR])
    response = client.get(reverse("reports:snapshot_xlsx", args=[snapshot.pk]))
    assert response.status_code == 200
    # A Chinese file name, like every other download (issue 18 item 6).
    assert unquote(response["Content-Disposition"]).endswith("指标完成情况_2025_全区_2025-12-31.xlsx")
    book = sheets(response)
    assert list(book) == ["说明", "指标汇总", "分街镇", "计入记录"]
    assert ["快照编号", str(snapshot.pk)] in book["说明"] and ["统计截止日", "2025-12-31"] in book["说明"]
    summary = {row[0]: row for row in book["指标汇总"][1:]}
    assert len(summary) == 17
    assert summary["1+2"][4] == 2 and summary["1+2"][6] == 2
    assert summary["6"][4] == 0
    annex = {row[0]: row for row in book["分街镇"][1:]}
    assert len(annex) == 18
    header = book["分街镇"][0]
    column = header.index("1+2 完成值")
    assert annex["310117104"][column] == 1 and annex["310117001"][column] == 1 and annex["310117002"][column] == 0
    counted = [row for row in book["计入记录"][1:] if row[0] == "1+2"]
    assert {row[3] for row in counted} == {"上海甲精密机械有限公司", "上海乙电子有限公司"}
    assert any(row[2] == first.pk and row[1] == "试点企业" for row in counted)
    assert DownloadLog.objects.filter(user=users[Role.AUDITOR], kind="report_snapshot_xlsx").count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.DISTRICT_OFFICIAL, 200),
        (Role.FINANCE_OFFICER, 200),
        (Role.ADMIN, 200),
        (Role.UNIT_STAFF, 404),  # a district snapshot is not a unit's
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
    ],
)
def test_who_downloads_a_district_snapshot(client, users, done, role, status):
    client.force_login(users[role])
    assert client.get(reverse("reports:snapshot_xlsx", args=[done[0].pk])).status_code == status


def test_unit_staff_download_their_units_snapshot_only(client, users, dash, units):
    dash.transformed(D(2025, 5, 1), unit="310117001")
    period = ReportingPeriod.objects.get(code="2025")
    own = snapshot_request(actor=users[Role.UNIT_STAFF], period=period, as_of="2025-12-31")
    other = snapshot_request(
        actor=users[Role.DISTRICT_OFFICIAL], period=period, unit=units["310117002"], as_of="2025-12-31"
    )
    for snapshot in (own, other):
        assert snapshot_compute(snapshot.pk) == "done"
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(reverse("reports:snapshot_xlsx", args=[own.pk]))
    book = sheets(response)
    assert "分街镇" not in book  # a unit's snapshot has no annex
    assert {row[0]: row for row in book["指标汇总"][1:]}["1+2"][4] == 1
    assert client.get(reverse("reports:snapshot_xlsx", args=[other.pk])).status_code == 404


def test_anonymous_visitors_go_to_log_in_and_a_pending_snapshot_goes_back_to_its_page(client, users):
    pending = ReportSnapshot.objects.create(period=ReportingPeriod.objects.get(code="2025"), as_of=D(2025, 12, 31))
    url = reverse("reports:snapshot_xlsx", args=[pending.pk])
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(users[Role.AUDITOR])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("reports:snapshot_detail", args=[pending.pk])
