"""Unit reports (定期上报) through the real stack: a unit's staff draft and submit their report with the figures
the indicator engine counts for their unit; the district accepts or returns it; the period close freezes it; the
overview, its xlsx and the timeliness selector count on time, late and missing; the API is scoped."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from books import services as books
from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from notifications.models import Notification
from tests.factories import EnterpriseFactory
from unitreports import services
from unitreports.models import UnitReport
from unitreports.selectors import unit_report_timeliness

from .conftest import days_from_today

pytestmark = pytest.mark.django_db

SECTIONS = {
    "work_done": "走访企业12家，组织培训1场。",
    "dynamic_management": "无迁出企业。",
    "problems": "部分企业改造意愿不足。",
    "next_steps": "下月完成诊断回访。",
}


def submitted(report, when):
    UnitReport.objects.filter(pk=report.pk).update(first_submitted_at=when, submitted_at=when)


def test_a_unit_drafts_submits_and_the_district_accepts(users, units, make_round):
    staff, district = users[Role.UNIT_STAFF], users[Role.DISTRICT_OFFICIAL]
    EnterpriseFactory(unit=units["310117001"])
    rnd = make_round("2026-T1", due_in=3)
    report = services.report_start(actor=staff, round=rnd)
    assert report.status == "draft" and report.unit == units["310117001"]
    assert set(report.figures) >= {"1", "1+2", "R3"} and report.figures_as_of == rnd.period_end
    # Starting again gives the same report.
    assert services.report_start(actor=staff, round=rnd).pk == report.pk
    services.report_save(actor=staff, report=report, work_done="草稿")
    with pytest.raises(DomainError) as refused:
        services.report_save(actor=staff, report=report, submit=True, work_done="")
    assert refused.value.field == "work_done"
    report = services.report_save(actor=staff, report=report, submit=True, **SECTIONS)
    assert report.status == "submitted" and report.first_submitted_at and report.complete
    assert Notification.objects.filter(recipient=district, kind="unit_report_submitted").count() == 1
    # Submitted: the unit cannot change it any more.
    with pytest.raises(PermissionDenied):
        services.report_save(actor=staff, report=report, work_done="改")
    report = services.report_accept(actor=district, report=report)
    assert report.status == "accepted" and report.reviewed_by == district
    assert Notification.objects.filter(recipient=staff, kind="unit_report_accepted").count() == 1
    assert [t.action for t in report.transitions.all()] == ["created", "saved", "submitted", "accepted"]
    assert report.history.count() >= 4


def test_returned_with_a_reason_then_resubmitted(users, make_round):
    staff, district = users[Role.UNIT_STAFF], users[Role.DISTRICT_OFFICIAL]
    report = services.report_start(actor=staff, round=make_round("2026-T2", due_in=3))
    report = services.report_save(actor=staff, report=report, submit=True, work_done="做了")
    with pytest.raises(DomainError):
        services.report_return(actor=district, report=report, reason="  ")
    report = services.report_return(actor=district, report=report, reason="缺少问题与下一步")
    assert report.status == "returned" and report.return_reason == "缺少问题与下一步"
    note = Notification.objects.get(recipient=staff, kind="unit_report_returned")
    assert "缺少问题与下一步" in note.body
    first = report.first_submitted_at
    report = services.report_save(actor=staff, report=report, submit=True, **SECTIONS)
    assert report.status == "submitted" and report.first_submitted_at == first and report.return_reason == ""
    with pytest.raises(Conflict):
        services.report_accept(actor=district, report=services.report_accept(actor=district, report=report))


def test_only_the_units_own_staff_fill_and_only_the_district_reviews(users, units, make_user, make_round):
    rnd = make_round("2026-T3", due_in=3)
    other = make_user(Role.UNIT_STAFF, unit=units["310117102"])
    for role in (Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.PROVIDER_USER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            services.report_start(actor=users[role], round=rnd)
    with pytest.raises(PermissionDenied):
        services.report_start(actor=other, round=rnd, unit=units["310117001"])
    report = services.report_start(actor=users[Role.UNIT_STAFF], round=rnd)
    with pytest.raises(PermissionDenied):
        services.report_save(actor=other, report=report, work_done="x")
    services.report_save(actor=users[Role.UNIT_STAFF], report=report, submit=True, work_done="x")
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=users[Role.UNIT_STAFF], report=report)


def test_the_period_close_freezes_a_report_of_a_closed_period(users, make_round, make_user):
    staff = users[Role.UNIT_STAFF]
    rnd = make_round("2026-T4", due_in=-10)
    report = services.report_start(actor=staff, round=rnd)
    books.close_books(actor=users[Role.FINANCE_OFFICER], through=rnd.period_end, reason="月结")
    with pytest.raises(Conflict) as closed:
        services.report_save(actor=staff, report=report, submit=True, work_done="迟交")
    assert closed.value.code == "period_closed"
    report.refresh_from_db()
    assert report.status == "draft" and report.work_done == ""


def test_timeliness_counts_on_time_late_missing_and_complete(users, units, make_round, make_user):
    staff = users[Role.UNIT_STAFF]
    early, late, missing = (make_round(c, due_in=d) for c, d in [("2026-A", -40), ("2026-B", -20), ("2026-C", -2)])
    make_round("2026-D", due_in=10)  # not yet due: does not count
    on_time = services.report_save(
        actor=staff, report=services.report_start(actor=staff, round=early), submit=True, **SECTIONS
    )
    submitted(on_time, timezone.make_aware(datetime.datetime.combine(early.due_on, datetime.time(17))))
    tardy = services.report_save(
        actor=staff, report=services.report_start(actor=staff, round=late), submit=True, work_done="迟"
    )
    submitted(
        tardy,
        timezone.make_aware(datetime.datetime.combine(late.due_on + datetime.timedelta(days=1), datetime.time(9))),
    )
    services.report_start(actor=staff, round=missing)  # a draft only: missing
    figures = unit_report_timeliness("2026")
    mine = figures["310117001"]
    assert mine == {"score": Decimal("50.00"), "due": 3, "on_time": 1, "late": 1, "missing": 1, "complete": 1}
    assert figures["310117102"] == {
        "score": Decimal("0.00"),
        "due": 3,
        "on_time": 0,
        "late": 0,
        "missing": 3,
        "complete": 0,
    }
    assert set(figures) == set(units)
    assert unit_report_timeliness("2025")["310117001"]["due"] == 0
    assert unit_report_timeliness("2025")["310117001"]["score"] == Decimal("100.00")
    assert unit_report_timeliness("1999") == {}
    # Seen from a later day, the round not yet due falls due too.
    assert unit_report_timeliness("2026", today=days_from_today(11))["310117001"]["missing"] == 2


def test_overview_page_and_its_xlsx(client, users, make_round):
    staff = users[Role.UNIT_STAFF]
    rnd = make_round("2026-E", due_in=-3)
    services.report_save(actor=staff, report=services.report_start(actor=staff, round=rnd), submit=True, **SECTIONS)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get("/unit-reports/?period=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "unit-310117001" in html and "state-late" in html and "state-missing" in html
    response = client.get("/unit-reports/export/?period=2026")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "街镇代码" and "及时性得分" in rows[0]
    yueyang = next(r for r in rows if r[0] == "310117001")
    assert "逾期" in yueyang and yueyang[-1] == 0.0 + 50.0 * 1  # one late of one due: 50
    # Hostile or unknown period: the current one, never a 500.
    assert client.get("/unit-reports/?period=%00").status_code == 200


def test_the_unit_fills_through_the_pages_and_the_district_returns(client, users, make_round):
    rnd = make_round("2026-F", due_in=5)
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(f"/unit-reports/rounds/{rnd.pk}/fill/").status_code == 200
    response = client.post(f"/unit-reports/rounds/{rnd.pk}/fill/")
    report = UnitReport.objects.get(round=rnd)
    assert response.status_code == 302 and response["Location"] == f"/unit-reports/{report.pk}/edit/"
    form = client.get(f"/unit-reports/{report.pk}/edit/")
    assert form.status_code == 200 and "figures-table" in form.content.decode()
    response = client.post(f"/unit-reports/{report.pk}/edit/", {**SECTIONS, "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    client.post(f"/unit-reports/{report.pk}/review/", {"decision": "return", "reason": "请补充数据"})
    report.refresh_from_db()
    assert report.status == "returned"
    detail = client.get(f"/unit-reports/{report.pk}/").content.decode()
    assert "请补充数据" in detail
    # The finance officer and a provider see no unit report.
    for role in (Role.FINANCE_OFFICER, Role.PROVIDER_USER):
        client.force_login(users[role])
        assert client.get(f"/unit-reports/{report.pk}/").status_code == 404


def test_the_district_sets_a_round_through_its_form(client, users, period):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    data = {
        "code": "2026-Q9",
        "name": "2026年第九期",
        "cadence": "quarterly",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "due_on": "2025-12-01",
        "indicator_period": period.pk,
    }
    response = client.post("/unit-reports/rounds/new/", data)
    assert response.status_code == 200 and "2026-Q9" in response.content.decode()  # due before its period: refused
    response = client.post("/unit-reports/rounds/new/", {**data, "due_on": "2026-04-10"})
    assert response.status_code == 302
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get("/unit-reports/rounds/new/").status_code == 403


def test_the_api_is_scoped(api, users, units, make_user, make_round):
    staff = users[Role.UNIT_STAFF]
    other = make_user(Role.UNIT_STAFF, unit=units["310117102"])
    rnd = make_round("2026-G", due_in=3)
    mine = services.report_start(actor=staff, round=rnd)
    theirs = services.report_start(actor=other, round=rnd)
    body = api.as_user(staff).get("/api/v1/unit-reports/").json()
    assert [r["id"] for r in body["results"]] == [mine.pk]
    assert body["results"][0]["unit"] == "310117001" and body["results"][0]["round"] == "2026-G"
    assert api.as_user(staff).get(f"/api/v1/unit-reports/{theirs.pk}/").status_code == 404
    for role in (Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.ADMIN):
        assert api.as_user(users[role]).get("/api/v1/unit-reports/").json()["count"] == 2
    for role in (Role.FINANCE_OFFICER, Role.PROVIDER_USER, Role.EVALUATOR):
        assert api.as_user(users[role]).get("/api/v1/unit-reports/").json()["count"] == 0
    assert api.as_user(users[Role.DISTRICT_OFFICIAL]).get("/api/v1/unit-reports/?status=nope").status_code == 400
    detail = api.as_user(users[Role.AUDITOR]).get(f"/api/v1/unit-reports/{mine.pk}/").json()
    assert detail["status"] == "draft" and "1" in detail["figures"]
