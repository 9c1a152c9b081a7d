"""Period close (docs/api.md "Period close"): a closure through 2025-06-30 refuses writes dated in it, lets later
ones through, an approved exception lets one record's correction through, marked in its history; reopening and
exceptions take a second person."""

import datetime

import pytest

from books import selectors, services
from books.models import Closure, ClosureException
from core.roles import Role
from enterprises.models import Enterprise, EnterpriseStatusChange
from funding.models import Acceptance, Disbursement, Project, Recognition
from funding.services import recognitions

CLOSED = "2025-06-30"


@pytest.fixture
def closure(users):
    return services.close_books(actor=users[Role.FINANCE_OFFICER], through=CLOSED, reason="上半年结账")


def _exception(record, users, *, approve=True):
    exception = services.request_exception(actor=users[Role.DISTRICT_OFFICIAL], record=record, reason="更正录入错误")
    if approve:
        exception = services.approve_exception(actor=users[Role.FINANCE_OFFICER], exception=exception)
    return exception


def _refused(response):
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "period_closed"
    return response.json()["message"]


def test_closing_through_a_day_answers_201_and_lists_it(api, users):
    finance = api.as_user(users[Role.FINANCE_OFFICER])
    response = finance.post("/api/v1/closures/", {"through": CLOSED, "reason": "上半年结账"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] and body["through"] == CLOSED and body["in_force"] is True
    assert body["closed_by"] == users[Role.FINANCE_OFFICER].username
    listed = api.as_user(users[Role.AUDITOR]).get("/api/v1/closures/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    assert selectors.closed_through() == datetime.date(2025, 6, 30)


def test_a_through_after_today_is_a_400(api, users):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(
        "/api/v1/closures/", {"through": tomorrow, "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert not Closure.objects.exists()


def test_a_closure_needs_a_reason(api, users):
    response = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/closures/", {"through": CLOSED, "reason": " "}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR])
def test_only_the_district_finance_and_admins_close(api, users, role):
    client = api.as_user(users[role])
    assert client.post("/api/v1/closures/", {"through": CLOSED, "reason": "x"}, format="json").status_code == 403
    expected = 200 if role == Role.AUDITOR else 403
    assert client.get("/api/v1/closures/").status_code == expected
    assert client.get("/api/v1/closure-exceptions/").status_code == expected


def test_a_withdrawal_dated_in_the_closed_period_is_refused_and_a_later_one_passes(api, users, world, closure):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    e1 = world["e1"]
    events = EnterpriseStatusChange.objects.count()
    url = f"/api/v1/enterprises/{e1.pk}/withdraw/"
    message = _refused(district.post(url, {"reason": "other", "date": "2025-06-30"}, format="json"))
    assert "2025-06-30" in message and f"#{closure.pk}" in message and "上半年结账" in message
    e1.refresh_from_db()
    assert e1.status == "active" and e1.withdrawn_on is None
    assert EnterpriseStatusChange.objects.count() == events
    assert district.post(url, {"reason": "other", "date": "2025-07-01"}, format="json").status_code == 200
    assert Enterprise.objects.get(pk=e1.pk).withdrawn_on == datetime.date(2025, 7, 1)


def test_an_acceptance_dated_in_the_closed_period_is_refused(api, users, world, closure):
    evaluator = api.as_user(world["ex"])
    project = world["requested"]
    url = f"/api/v1/projects/{project.pk}/acceptance/"
    _refused(evaluator.post(url, {"passed": True, "accepted_on": "2025-06-01"}, format="json"))
    assert not Acceptance.objects.filter(project=project).exists()
    assert Project.objects.get(pk=project.pk).status == "acceptance_requested"
    assert evaluator.post(url, {"passed": True, "accepted_on": "2025-07-05"}, format="json").status_code in (200, 201)
    assert Project.objects.get(pk=project.pk).accepted_on == datetime.date(2025, 7, 5)


def test_a_payment_dated_in_the_closed_period_is_refused(api, users, world, closure):
    approver = api.as_user(users[Role.FINANCE_OFFICER])
    finance = api.as_user(world["finance2"])  # four eyes: another officer records the payment
    pid = world["payment"].pk
    assert approver.post(f"/api/v1/disbursements/{pid}/approve/", {"date": "2025-09-26"}).status_code == 200
    _refused(finance.post(f"/api/v1/disbursements/{pid}/pay/", {"voucher_no": "PZ-1", "date": "2025-06-15"}))
    payment = Disbursement.objects.get(pk=pid)
    assert payment.status == "approved" and payment.paid_on is None and payment.voucher_no == ""
    paid = finance.post(f"/api/v1/disbursements/{pid}/pay/", {"voucher_no": "PZ-1", "date": "2025-09-27"})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"


def test_a_recognition_dated_in_the_closed_period_is_refused(api, users, world, closure):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    body = {"kind": "smart_factory", "level": "municipal", "title": "上海市智能工厂", "enterprise": world["e1"].pk}
    _refused(district.post("/api/v1/recognitions/", {**body, "recognised_on": "2025-03-01"}, format="json"))
    assert not Recognition.objects.exists()
    assert (
        district.post("/api/v1/recognitions/", {**body, "recognised_on": "2025-07-01"}, format="json").status_code
        == 201
    )


def test_moving_a_date_into_or_out_of_the_closed_period_is_refused(api, users, world):
    district = users[Role.DISTRICT_OFFICIAL]
    facts = {"kind": "smart_factory", "level": "municipal", "title": "上海市智能工厂", "enterprise": world["e1"]}
    open_one = recognitions.recognition_create(actor=district, recognised_on=datetime.date(2025, 7, 1), **facts)
    closed_one = recognitions.recognition_create(actor=district, recognised_on=datetime.date(2025, 5, 1), **facts)
    services.close_books(actor=district, through=CLOSED, reason="上半年结账")
    for recognition, day in ((open_one, "2025-06-01"), (closed_one, "2025-08-01")):
        with pytest.raises(services.Conflict) as refused:
            recognitions.recognition_update(actor=district, recognition=recognition, recognised_on=day)
        assert refused.value.code == "period_closed"
    assert Recognition.objects.get(pk=open_one.pk).recognised_on == datetime.date(2025, 7, 1)
    assert Recognition.objects.get(pk=closed_one.pk).recognised_on == datetime.date(2025, 5, 1)
    with pytest.raises(services.Conflict):
        recognitions.recognition_delete(actor=district, recognition=closed_one, reason="误录")
    assert Recognition.objects.filter(pk=closed_one.pk).exists()
    recognitions.recognition_update(actor=district, recognition=open_one, recognised_on="2025-08-01")
    assert Recognition.objects.get(pk=open_one.pk).recognised_on == datetime.date(2025, 8, 1)


def test_an_approved_exception_lets_one_records_correction_through_marked_in_its_history(api, users, world, closure):
    e1, e2 = world["e1"], world["e2"]
    exception = _exception(e1, users)
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    body = {"reason": "other", "date": "2025-05-10"}
    assert district.post(f"/api/v1/enterprises/{e1.pk}/withdraw/", body, format="json").status_code == 200
    _refused(district.post(f"/api/v1/enterprises/{e2.pk}/withdraw/", body, format="json"))
    e1.refresh_from_db()
    assert e1.withdrawn_on == datetime.date(2025, 5, 10)
    assert f"#{exception.pk}" in e1.history.latest().history_change_reason
    exception.refresh_from_db()
    assert exception.uses == 1 and exception.used_by == users[Role.DISTRICT_OFFICIAL] and exception.used_at
    assert Enterprise.objects.get(pk=e2.pk).status == "active"


def test_an_exception_not_yet_approved_or_expired_lets_nothing_through(api, users, world, closure):
    e1 = world["e1"]
    pending = _exception(e1, users, approve=False)
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    url = f"/api/v1/enterprises/{e1.pk}/withdraw/"
    _refused(district.post(url, {"reason": "other", "date": "2025-05-10"}, format="json"))
    approved = services.approve_exception(actor=users[Role.ADMIN], exception=pending)
    ClosureException.objects.filter(pk=approved.pk).update(
        valid_until=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    _refused(district.post(url, {"reason": "other", "date": "2025-05-10"}, format="json"))


def test_exceptions_through_the_api_need_a_second_person(api, users, world, closure):
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    asked = district.post(
        "/api/v1/closure-exceptions/",
        {"record_model": "funding.disbursement", "record_id": str(world["payment"].pk), "reason": "凭证号录错"},
        format="json",
    )
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    pk = asked.json()["id"]
    same = district.post(f"/api/v1/closure-exceptions/{pk}/approve/", {}, format="json")
    assert same.status_code == 409 and same.json()["code"] == "four_eyes"
    assert ClosureException.objects.get(pk=pk).approved_at is None
    assert api.as_user(users[Role.AUDITOR]).post(f"/api/v1/closure-exceptions/{pk}/approve/", {}).status_code == 403
    approved = api.as_user(users[Role.FINANCE_OFFICER]).post(f"/api/v1/closure-exceptions/{pk}/approve/", {})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == users[Role.FINANCE_OFFICER].username and approved.json()["valid_until"]
    unknown = district.post(
        "/api/v1/closure-exceptions/",
        {"record_model": "funding.nothing", "record_id": "1", "reason": "x"},
        format="json",
    )
    assert unknown.status_code == 400


def test_reopening_needs_a_second_person_and_then_writes_go_through(api, users, world, closure):
    finance = api.as_user(users[Role.FINANCE_OFFICER])
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    url = f"/api/v1/closures/{closure.pk}"
    assert finance.post(f"{url}/reopen/", {}, format="json").status_code == 400
    asked = finance.post(f"{url}/reopen/", {"reason": "补录上半年认定"}, format="json")
    assert asked.status_code == 200 and asked.json()["reopen_requested_by"] == users[Role.FINANCE_OFFICER].username
    same = finance.post(f"{url}/approve-reopen/", {}, format="json")
    assert same.status_code == 409 and same.json()["code"] == "four_eyes"
    assert selectors.closed_through() == datetime.date(2025, 6, 30)
    body = {"kind": "smart_factory", "level": "municipal", "title": "上海市智能工厂", "enterprise": world["e1"].pk}
    _refused(district.post("/api/v1/recognitions/", {**body, "recognised_on": "2025-03-01"}, format="json"))
    reopened = district.post(f"{url}/approve-reopen/", {}, format="json")
    assert reopened.status_code == 200 and reopened.json()["in_force"] is False
    assert selectors.closed_through() is None
    assert (
        district.post("/api/v1/recognitions/", {**body, "recognised_on": "2025-03-01"}, format="json").status_code
        == 201
    )


def test_the_greatest_through_among_closures_in_force_decides(users):
    finance, district = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    services.close_books(actor=finance, through="2025-03-31", reason="一季度")
    later = services.close_books(actor=finance, through="2025-06-30", reason="二季度")
    assert selectors.closed_through() == datetime.date(2025, 6, 30)
    services.request_reopen(actor=finance, closure=later, reason="更正")
    services.approve_reopen(actor=district, closure=later)
    assert selectors.closed_through() == datetime.date(2025, 3, 31)
    services.guard(datetime.date(2025, 4, 1))
    with pytest.raises(services.Conflict):
        services.guard(datetime.date(2025, 3, 31), None)


def test_closures_and_exceptions_join_the_audit_trail():
    from trail.services import chained_models

    labels = set(chained_models())
    assert {"books.historicalclosure", "books.historicalclosureexception"} <= labels


def test_a_refused_backfill_row_says_which_row_column_and_why(users):
    from django.utils import translation

    from funding.backfill import services as backfill
    from funding.models import BackfillBatch
    from tests.funding.backfill_files import errors_of, make_world, project_row, upload, workbook_bytes

    world = make_world(users)
    services.close_books(actor=users[Role.FINANCE_OFFICER], through="2025-03-31", reason="一季度结账")
    rows = [project_row(world, 0), project_row(world, 1, filed_on=datetime.date(2025, 4, 1))]
    with translation.override("en"):
        batch = backfill.backfill_import(
            actor=users[Role.ADMIN], upload=upload(workbook_bytes({"项目": rows})), commit=True
        )
    assert batch.status == BackfillBatch.Status.DONE, batch.error
    errors = errors_of(batch.result)
    [(column, message)] = errors[("项目", 2)]
    assert "2025-03-31" in message and "一季度结账" in message and column == "备案日期"
    assert ("项目", 3) not in errors
    assert Project.objects.filter(contract_no="HT-2025-002").exists()
    assert not Project.objects.filter(contract_no="HT-2025-001").exists()
