"""The events that notify, and whom: each service writes its notifications in its own transaction."""

import datetime

import pytest
from django.db import transaction

from accounts.models import User
from books import services as books
from core.roles import Role
from diagnostics.services.diagnoses import diagnosis_accept, diagnosis_create, diagnosis_return, diagnosis_submit
from enterprises.services import enterprise_create, enterprise_withdraw
from funding.services import projects
from notifications.models import Notification
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory, make_credit_code
from tests.funding.helpers import build_world

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def served(users, units, make_user):
    provider_user = users[Role.PROVIDER_USER]
    colleague = make_user(Role.PROVIDER_USER, username="colleague", provider=provider_user.provider)
    enterprise = EnterpriseFactory(unit=units["310117001"], name="上海岳阳通知公司")
    ProviderAssignment.objects.create(
        enterprise=enterprise, provider=provider_user.provider, assigned_on=datetime.date(2025, 1, 1)
    )
    second_official = make_user(Role.DISTRICT_OFFICIAL, username="district_two")
    return {"enterprise": enterprise, "provider_user": provider_user, "colleague": colleague, "two": second_official}


def test_a_submitted_report_tells_the_district_and_its_return_and_acceptance_tell_the_providers_users(users, served):
    provider_user, district = served["provider_user"], users[Role.DISTRICT_OFFICIAL]
    report = diagnosis_create(actor=provider_user, enterprise=served["enterprise"], provider=provider_user.provider)
    diagnosis_submit(actor=provider_user, diagnosis=report)
    assert told("diagnosis_submitted") == ["district_two", "district_user"]
    note = Notification.objects.filter(kind="diagnosis_submitted").first()
    assert (
        note.link == f"/diagnoses/{report.pk}/" and "上海岳阳通知公司" in note.title and "诊断报告已提交" in note.title
    )

    diagnosis_return(actor=district, diagnosis=report, reason="缺少签字页")
    assert told("diagnosis_returned") == ["colleague", "provider_user"]
    assert Notification.objects.filter(kind="diagnosis_returned").first().body == "缺少签字页"

    diagnosis_submit(actor=provider_user, diagnosis=report)
    diagnosis_accept(actor=district, diagnosis=report)
    assert told("diagnosis_accepted") == ["colleague", "provider_user"]
    assert not Notification.objects.filter(recipient__role=Role.UNIT_STAFF).exists()


def test_projects_tell_the_district_the_provider_and_the_assigned_evaluators(users, make_user, units):
    w = build_world(users, make_user, units)
    # Filed by the providers' users: each district official hears of all three projects.
    assert told("project_filed") == sorted(["district_b", "district_user"] * 3)
    # Approved by the district: the provider's users.
    assert told("project_approved") == ["prov_a", "prov_b"]
    # Put to acceptance: the evaluation body assigned to each enterprise.
    assert told("acceptance_requested") == ["eval_x", "eval_y"]
    # Passed (inspected by eval_y): the provider's users and the district.
    assert told("project_passed") == ["district_b", "district_user", "prov_b"]
    assert Notification.objects.get(kind="project_passed", recipient=w["pb"]).link == (
        f"/funding/projects/{w['passed'].pk}/"
    )
    projects.project_accept(
        actor=w["ex"], project=w["requested"], passed=False, accepted_on=datetime.date(2025, 6, 1), findings="未联网"
    )
    assert told("project_failed") == ["district_b", "district_user", "prov_a"]
    assert Notification.objects.get(kind="project_failed", recipient=w["pa"]).body == "未联网"


def test_acceptance_without_an_assigned_evaluator_tells_the_district(users, make_user, units):
    w = build_world(users, make_user, units)
    w["e1"].evaluator_assignments.all().delete()
    Notification.objects.all().delete()
    project = w["filed"]
    projects.project_approve(actor=w["district"], project=project)
    projects.project_request_acceptance(actor=w["pa"], project=project)
    assert told("acceptance_requested") == ["district_b", "district_user"]


def test_an_enterprise_proposed_by_a_unit_and_a_withdrawal_tell_the_district(users, units):
    unit_user, district = users[Role.UNIT_STAFF], users[Role.DISTRICT_OFFICIAL]
    proposed = enterprise_create(
        actor=unit_user,
        credit_code=make_credit_code(90001),
        name="上海岳阳新提名公司",
        unit=units["310117001"],
        sector="other",
        scale="above",
        size="small",
    )
    assert told("enterprise_proposed") == ["district_user"]
    # The district's own additions are active at once: nobody to ask.
    enterprise_create(
        actor=district,
        credit_code=make_credit_code(90002),
        name="上海区级直接入库公司",
        unit=units["310117001"],
        sector="other",
        scale="above",
        size="small",
    )
    assert told("enterprise_proposed") == ["district_user"]
    active = EnterpriseFactory(unit=units["310117001"])
    enterprise_withdraw(actor=users[Role.ADMIN], enterprise=active, reason="moved_out")
    assert told("enterprise_withdrawn") == ["district_user"]
    assert proposed.status == "proposed"


def test_nothing_is_told_when_the_event_is_rolled_back(users, served):
    provider_user = served["provider_user"]
    report = diagnosis_create(actor=provider_user, enterprise=served["enterprise"], provider=provider_user.provider)
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
        diagnosis_submit(actor=provider_user, diagnosis=report)
        raise RuntimeError("boom")
    assert not Notification.objects.exists()


def test_a_background_roster_import_tells_its_uploader_when_it_is_done(users, monkeypatch):
    from django.test import TestCase

    from enterprises import imports
    from enterprises.tasks import roster_import_task
    from tests.enterprises.rosters import row, upload, xlsx_bytes

    clerk = users[Role.UNIT_STAFF]
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 2)
    with TestCase.captureOnCommitCallbacks(execute=False):
        batch = imports.roster_import(actor=clerk, upload=upload(xlsx_bytes([row(i) for i in range(3)]), "r.xlsx"))
    assert not Notification.objects.filter(kind="import_done").exists()
    roster_import_task(str(batch.job.pk))
    note = Notification.objects.get(kind="import_done")
    assert note.recipient == clerk and note.link == f"/enterprises/import/batches/{batch.pk}/"


def test_a_finished_report_snapshot_tells_whoever_asked_for_it(users):
    from reports.models import ReportingPeriod
    from reports.services.snapshots import snapshot_compute, snapshot_request

    district = users[Role.DISTRICT_OFFICIAL]
    snapshot = snapshot_request(actor=district, period=ReportingPeriod.objects.get(code="2025"), as_of="2025-12-31")
    snapshot_compute(snapshot.pk)
    (note,) = Notification.objects.filter(kind="report_done")
    assert note.recipient == district and note.link == f"/reports/snapshots/{snapshot.pk}/"


def test_each_step_of_a_period_close_tells_finance_and_the_district_but_not_who_took_it(users, make_user):
    finance_two = make_user(Role.FINANCE_OFFICER, username="finance_two")
    finance, district = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    closure = books.close_books(actor=finance, through=datetime.date(2025, 6, 30), reason="上半年结账")
    assert told("closure") == ["district_user", "finance_two"]
    assert "2025-06-30" in Notification.objects.filter(kind="closure").first().title
    Notification.objects.all().delete()
    record = EnterpriseFactory()
    exception = books.request_exception(actor=district, record=record, reason="更正录入错误")
    assert told("closure") == ["finance_two", "finance_user"]
    Notification.objects.all().delete()
    books.approve_exception(actor=finance_two, exception=exception)
    assert told("closure") == ["district_user", "finance_user"]
    Notification.objects.all().delete()
    books.request_reopen(actor=finance, closure=closure, reason="补录")
    books.approve_reopen(actor=district, closure=closure)
    titles = list(Notification.objects.filter(recipient=finance_two).values_list("title", flat=True))
    assert len(titles) == 2 and any("重新打开" in t or "reopened" in t for t in titles)


def test_each_step_of_a_payment_tells_the_people_who_read_the_ledger(users, make_user, units):
    from funding.services import ledger

    world = build_world(users, make_user, units)
    Notification.objects.all().delete()  # what the world's own payments told
    on = datetime.date(2025, 10, 1)
    payment = ledger.disbursement_request(
        actor=world["district"], commitment_line=world["district_cl"], amount="1000.00", requested_on=on
    )
    finance, finance2 = world["finance"].username, world["finance2"].username
    officers = sorted(User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).values_list("username", flat=True))
    assert told("payment_requested") == officers and {finance, finance2} <= set(officers)
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment, date=on)
    assert told("payment_approved") == sorted([world["district"].username, *(o for o in officers if o != finance)])
    ledger.disbursement_pay(actor=world["finance2"], disbursement=payment, voucher_no="SJ-N-1", date=on)
    paid_to = told("payment_paid")
    assert world["district"].username in paid_to and finance in paid_to and finance2 not in paid_to
    assert (
        not Notification.objects.filter(recipient__role__in=[Role.PROVIDER_USER, Role.EVALUATOR])
        .filter(kind__startswith="payment_")
        .exists()
    )
    note = Notification.objects.filter(kind="payment_paid").first()
    assert note.link == f"/funding/payments/{payment.pk}/" and "1,000.00" in note.title
    other = ledger.disbursement_request(
        actor=world["district"], commitment_line=world["district_cl"], amount="10.00", requested_on=on
    )
    ledger.disbursement_reject(actor=world["finance"], disbursement=other, reason="材料不全", date=on)
    assert told("payment_rejected") == [world["district"].username]
