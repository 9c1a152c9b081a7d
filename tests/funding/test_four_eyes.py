"""Four eyes on every money movement, one payment per voucher, the money confirmations, double entry of
large amounts and the ledger's words (docs/domain.md "Four eyes and vouchers"), through the services,
the API and the pages, on PostgreSQL."""

import datetime
import importlib
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from core.errors import Conflict
from core.roles import Role
from funding import ledger_terms
from funding.choices import CommitmentStatus, DisbursementStatus
from funding.models import Commitment, Disbursement
from funding.services import ledger
from reports.rendering import documents as documents_pdf

D = Decimal
PAST = datetime.date(2025, 10, 1)


@pytest.fixture
def admin(users):
    return users[Role.ADMIN]


def _district_payment(world, amount="1000.00", *, actor=None):
    """A payment requested on the district's benchmark line (no acceptance gate)."""
    return ledger.disbursement_request(
        actor=actor or world["district"], commitment_line=world["district_cl"], amount=amount, requested_on=PAST
    )


def _state(payment):
    payment = Disbursement.objects.get(pk=payment.pk)
    return (payment.status, payment.approved_by_id, payment.paid_by_id, payment.voucher_no, payment.history.count())


# --- the services -------------------------------------------------------------------------------


def test_a_request_by_the_district_approval_by_one_officer_and_payment_by_another_go_through(world):
    payment = _district_payment(world)
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment, date=PAST)
    paid = ledger.disbursement_pay(actor=world["finance2"], disbursement=payment, voucher_no="SJ-1", date=PAST)
    assert paid.status == DisbursementStatus.PAID
    assert (paid.requested_by, paid.approved_by, paid.paid_by) == (
        world["district"],
        world["finance"],
        world["finance2"],
    )
    assert not paid.backfilled


def test_the_requester_may_record_the_payment_another_approved(world):
    payment = _district_payment(world, actor=world["finance"])
    ledger.disbursement_approve(actor=world["finance2"], disbursement=payment)
    paid = ledger.disbursement_pay(actor=world["finance"], disbursement=payment, voucher_no="SJ-2")
    assert paid.status == DisbursementStatus.PAID and paid.requested_by == paid.paid_by == world["finance"]


@pytest.mark.parametrize("who", ["finance", "admin"])
def test_nobody_approves_their_own_request_not_even_an_admin(world, admin, who):
    actor = admin if who == "admin" else world["finance"]
    payment = _district_payment(world, actor=actor)
    before = _state(payment)
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_approve(actor=actor, disbursement=payment)
    assert excinfo.value.code == "four_eyes" and "四眼原则" in excinfo.value.message
    assert _state(payment) == before


@pytest.mark.parametrize("who", ["finance", "admin"])
def test_nobody_pays_what_they_approved_not_even_an_admin(world, admin, who):
    actor = admin if who == "admin" else world["finance"]
    payment = _district_payment(world)
    ledger.disbursement_approve(actor=actor, disbursement=payment)
    before = _state(payment)
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_pay(actor=actor, disbursement=payment, voucher_no="SJ-3")
    assert excinfo.value.code == "four_eyes"
    assert _state(payment) == before


@pytest.mark.parametrize("who", ["finance", "admin"])
def test_nobody_reverses_their_own_payment_not_even_an_admin(world, admin, who):
    actor = admin if who == "admin" else world["finance2"]
    payment = _district_payment(world)
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment)
    ledger.disbursement_pay(actor=actor, disbursement=payment, voucher_no="SJ-4")
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_reverse(actor=actor, disbursement=payment, reason="账户错误")
    assert excinfo.value.code == "four_eyes"
    assert not Disbursement.objects.filter(reverses=payment).exists()
    reversal = ledger.disbursement_reverse(actor=world["finance"], disbursement=payment, reason="账户错误")
    assert reversal.amount == D("-1000.00") and reversal.voucher_no == "SJ-4"


@pytest.mark.parametrize("who", ["district", "admin"])
def test_nobody_releases_their_own_commitment_not_even_an_admin(world, admin, who):
    actor = admin if who == "admin" else world["district"]
    commitment = ledger.commitment_create(actor=actor, title="标杆示范", lines=[(world["benchmark_line"], "5000")])
    with pytest.raises(Conflict) as excinfo:
        ledger.commitment_cancel(actor=actor, commitment=commitment, reason="项目终止")
    assert excinfo.value.code == "four_eyes"
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.ACTIVE
    ledger.commitment_cancel(actor=world["district2"], commitment=commitment, reason="项目终止")
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.CANCELLED


def test_a_requester_may_withdraw_their_own_request_and_the_rejection_says_who_and_when(world):
    payment = _district_payment(world, actor=world["finance"])
    rejected = ledger.disbursement_reject(actor=world["finance"], disbursement=payment, reason="撤回", date=PAST)
    assert rejected.status == DisbursementStatus.REJECTED
    assert (rejected.rejected_by, rejected.rejected_on) == (world["finance"], PAST)


# --- vouchers -----------------------------------------------------------------------------------


def _approved(world, amount="1000.00"):
    payment = _district_payment(world, amount)
    return ledger.disbursement_approve(actor=world["finance"], disbursement=payment)


def test_a_voucher_pays_one_payment_and_the_refusal_names_the_one_that_used_it(world):
    first = ledger.disbursement_pay(
        actor=world["finance2"], disbursement=_approved(world), voucher_no="SJ-V1", date=PAST
    )
    second = _approved(world, "2000.00")
    before = _state(second)
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_pay(actor=world["finance2"], disbursement=second, voucher_no=" SJ-V1 ")
    error = excinfo.value
    assert error.code == "voucher_used" and error.field == "voucher_no"
    assert str(first.pk) in error.message and world["e2"].name in error.message
    assert "1,000.00 元" in error.message and PAST.isoformat() in error.message
    assert _state(second) == before


def test_the_database_refuses_a_second_payment_with_a_voucher_but_not_its_reversal(world):
    paid = ledger.disbursement_pay(actor=world["finance2"], disbursement=_approved(world), voucher_no="SJ-V2")
    other = _approved(world, "2000.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=other.pk).update(voucher_no="SJ-V2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.create(
            commitment_line=world["district_cl"],
            amount=D("5"),
            requested_on=PAST,
            status=DisbursementStatus.PAID,
            voucher_no="SJ-V2",
        )
    reversal = ledger.disbursement_reverse(actor=world["finance"], disbursement=paid, reason="账户错误")
    assert reversal.voucher_no == "SJ-V2"
    # Once reversed, the voucher still belongs to the payment it paid: a new payment takes a new one.
    with pytest.raises(Conflict) as excinfo:
        ledger.disbursement_pay(actor=world["finance2"], disbursement=other, voucher_no="SJ-V2")
    assert excinfo.value.code == "voucher_used"


# --- the API ------------------------------------------------------------------------------------


def test_three_people_move_a_payment_through_the_api_and_each_sees_who_did_what(api, world):
    official, approver, payer = (
        api.as_user(world["district"]),
        api.as_user(world["finance"]),
        api.as_user(world["finance2"]),
    )
    created = official.post("/api/v1/disbursements/", {"commitment_line": world["district_cl"].pk, "amount": "800"})
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert approver.post(f"/api/v1/disbursements/{pid}/approve/", {}).json()["status"] == "approved"
    refused = approver.post(f"/api/v1/disbursements/{pid}/pay/", {"voucher_no": "API-1"})
    assert refused.status_code == 409 and refused.json()["code"] == "four_eyes"
    assert Disbursement.objects.get(pk=pid).status == DisbursementStatus.APPROVED
    body = payer.post(f"/api/v1/disbursements/{pid}/pay/", {"voucher_no": "API-1"}).json()
    assert body["status"] == "paid"
    assert (body["requested_by"], body["approved_by"], body["paid_by"]) == (
        world["district"].username,
        world["finance"].username,
        world["finance2"].username,
    )
    assert body["backfilled"] is False and body["paid_by_name"] == ""
    refused = payer.post(f"/api/v1/disbursements/{pid}/reverse/", {"reason": "账户错误"})
    assert refused.status_code == 409 and refused.json()["code"] == "four_eyes"
    assert approver.post(f"/api/v1/disbursements/{pid}/reverse/", {"reason": "账户错误"}).status_code == 201


def test_the_api_refuses_an_admin_approving_their_own_request_and_a_voucher_used_twice(api, world, admin):
    own = api.as_user(admin)
    pid = own.post("/api/v1/disbursements/", {"commitment_line": world["district_cl"].pk, "amount": "800"}).json()["id"]
    refused = own.post(f"/api/v1/disbursements/{pid}/approve/", {})
    assert refused.status_code == 409 and refused.json()["code"] == "four_eyes"
    assert Disbursement.objects.get(pk=pid).status == DisbursementStatus.REQUESTED
    ledger.disbursement_pay(actor=world["finance2"], disbursement=_approved(world), voucher_no="API-V")
    second = _approved(world, "900.00")
    answer = api.as_user(world["finance2"]).post(f"/api/v1/disbursements/{second.pk}/pay/", {"voucher_no": "API-V"})
    assert answer.status_code == 409 and answer.json()["code"] == "voucher_used"
    assert Disbursement.objects.get(pk=second.pk).status == DisbursementStatus.APPROVED


def test_the_api_refuses_releasing_ones_own_commitment(api, world):
    commitment = ledger.commitment_create(
        actor=world["district"], title="标杆示范", lines=[(world["benchmark_line"], "5000")]
    )
    answer = api.as_user(world["district"]).post(f"/api/v1/commitments/{commitment.pk}/cancel/", {"reason": "x"})
    assert answer.status_code == 409 and answer.json()["code"] == "four_eyes"
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.ACTIVE


# --- the pages ----------------------------------------------------------------------------------


def test_the_pages_take_a_payment_through_three_people_each_step_confirmed(client, world):
    payment = _district_payment(world, "25000.00")
    approve = reverse("funding:disbursement_action", args=[payment.pk, "approve"])
    client.force_login(world["district"])
    assert client.post(approve, {"confirmed": "1"}).status_code == 403  # not a finance officer
    client.force_login(world["finance"])
    page = client.post(approve, {"approve-date": ""})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="money-confirm"' in html
    assert "2.50 万元" in html and "25,000.00 元" in html  # the amount in 万元 and in 元
    assert world["e2"].name in html and str(world["passed"]) in html and world["benchmark_line"].name in html
    effect = page.context["effects"][0]
    available = {f["key"]: (f["now"], f["after"]) for f in effect["figures"]}["available"]
    assert available == (D("20000000.00") - D("100000.00"),) * 2  # budget less committed, unchanged by approval
    assert str(ledger_terms.FIGURES["available"]) in html
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.REQUESTED  # not yet
    client.post(approve, {"approve-date": "", "confirmed": "1"})
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.APPROVED
    # The approver sees why they do not pay it, and a forced post is refused with nothing changed.
    html = client.get(reverse("funding:disbursement_detail", args=[payment.pk])).content.decode()
    assert 'id="four-eyes-pay"' in html and 'id="pay-form"' not in html
    pay = reverse("funding:disbursement_action", args=[payment.pk, "pay"])
    client.post(pay, {"pay-voucher_no": "PG-1", "confirmed": "1"})
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.APPROVED
    client.force_login(world["finance2"])
    page = client.post(pay, {"pay-voucher_no": "PG-1"})
    paid_now, paid_after = {f["key"]: (f["now"], f["after"]) for f in page.context["effects"][0]["figures"]}["paid"]
    assert paid_after - paid_now == D("25000.00")
    client.post(pay, {"pay-voucher_no": "PG-1", "confirmed": "1"})
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.PAID and payment.paid_by == world["finance2"]
    html = client.get(reverse("funding:disbursement_detail", args=[payment.pk])).content.decode()
    assert 'id="step-approved"' in html and world["finance"].username in html and 'id="four-eyes-reverse"' in html


def test_a_voucher_used_twice_is_shown_on_the_pay_form(client, world):
    ledger.disbursement_pay(actor=world["finance2"], disbursement=_approved(world), voucher_no="PG-V")
    second = _approved(world, "2000.00")
    client.force_login(world["finance2"])
    response = client.post(
        reverse("funding:disbursement_action", args=[second.pk, "pay"]), {"pay-voucher_no": "PG-V", "confirmed": "1"}
    )
    assert response.status_code == 409
    errors = response.context["form"].errors["voucher_no"]
    assert "PG-V" in errors[0] and world["e2"].name in errors[0]
    assert Disbursement.objects.get(pk=second.pk).status == DisbursementStatus.APPROVED


def test_releasing_a_commitment_is_confirmed_and_refused_to_who_made_it(client, world):
    commitment = ledger.commitment_create(
        actor=world["district"], title="标杆示范", lines=[(world["benchmark_line"], "5000")]
    )
    url = reverse("funding:commitment_action", args=[commitment.pk, "cancel"])
    client.force_login(world["district"])
    html = client.get(reverse("funding:commitment_detail", args=[commitment.pk])).content.decode()
    assert 'id="four-eyes-cancel"' in html
    client.post(url, {"cancel-reason": "项目终止", "confirmed": "1"})
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.ACTIVE
    client.force_login(world["district2"])
    page = client.post(url, {"cancel-reason": "项目终止"})
    html = page.content.decode()
    assert "0.50 万元" in html and "5,000.00 元" in html
    committed = {f["key"]: (f["now"], f["after"]) for f in page.context["effects"][0]["figures"]}["available"]
    assert committed[1] - committed[0] == D("5000.00")  # released: available again
    client.post(url, {"cancel-reason": "项目终止", "confirmed": "1"})
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.CANCELLED


@override_settings(PORTAL_DOUBLE_ENTRY_ABOVE_YUAN=50000)
def test_an_amount_above_the_threshold_is_typed_twice_on_the_page_but_not_in_the_api(client, api, world):
    url = reverse("funding:commitment_action", args=[world["commitment"].pk, "request"])
    data = {"pay-commitment_line": world["district_cl"].pk, "pay-amount": "60000", "pay-tranche": "1"}
    client.force_login(world["district"])
    html = client.get(reverse("funding:commitment_detail", args=[world["commitment"].pk])).content.decode()
    assert 'name="pay-amount_again"' in html and 'data-double-entry-of="pay-amount"' in html
    client.post(url, data)
    client.post(url, {**data, "pay-amount_again": "60001"})
    assert not Disbursement.objects.filter(amount=D("60000")).exists()
    client.post(url, {**data, "pay-amount_again": "60,000.00"})
    assert Disbursement.objects.filter(amount=D("60000")).count() == 1
    client.post(url, {**data, "pay-amount": "30000"})  # below the threshold: once is enough
    assert Disbursement.objects.filter(amount=D("30000")).count() == 1
    answer = api.as_user(world["district"]).post(
        "/api/v1/disbursements/", {"commitment_line": world["district_cl"].pk, "amount": "0.01"}
    )
    assert answer.status_code == 201  # the API takes one amount, whatever its size


def test_full_width_digits_are_refused_on_the_page_with_a_clear_message(client, world):
    url = reverse("funding:commitment_action", args=[world["commitment"].pk, "request"])
    client.force_login(world["district"])
    response = client.post(
        url, {"pay-commitment_line": world["district_cl"].pk, "pay-amount": "１０００", "pay-tranche": "1"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("请用数字填写" in m for m in messages), messages
    assert not Disbursement.objects.filter(commitment_line=world["district_cl"]).exists()


# --- the ledger's words -------------------------------------------------------------------------


def test_the_ledger_page_and_its_pdf_use_the_same_words_and_name_each_share_s_denominator(client, world):
    payment = _district_payment(world, "40000.00")
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment)
    ledger.disbursement_pay(actor=world["finance2"], disbursement=payment, voucher_no="L-1")
    client.force_login(world["finance"])
    html = client.get(reverse("funding:ledger")).content.decode()
    document = SimpleNamespace(params={"from": "2024-10-01", "to": datetime.date.today().isoformat()})
    rendered = documents_pdf.render_ledger_statement(document, world["finance"], lambda *a: None)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=rendered.content, capture_output=True, check=True
    ).stdout.decode()
    words = [str(word) for word in ledger_terms.FIGURES.values() if str(word) != str(ledger_terms.FIGURES["claimed"])]
    assert words == ["预算", "已承诺", "已拨付", "可用余额"]
    for word in words:
        assert word in html and word in text, word
    for other in ("已支付", "可用<"):  # the old, different words for the same figures
        assert other not in html.split('id="ledger-note"')[1].split("</table>")[0]
    # The 80/20 rule against the grant, and against what is committed and disbursed, each labelled.
    assert "占中央资金 10,000.00 万元的 80.0%" in html and "占中央资金 10,000.00 万元的 80.0%" in text
    assert "占中央资金已承诺 30.00 万元的 100.0%" in html and "中央资金已承诺" in text
    assert "中央资金已拨付" in html and "中央资金已拨付" in text


def test_the_voucher_migration_stops_on_duplicates_and_lists_them(world):
    """Before the unique constraint, the migration's data step refuses to go on while two payments share
    a voucher, naming them (which one is wrong is a finance officer's call, never the migration's)."""
    from django.apps import apps as django_apps
    from django.db import connection

    migration = importlib.import_module("funding.migrations.0006_four_eyes_and_vouchers")
    migration.refuse_duplicate_vouchers(django_apps, None)  # no duplicates: nothing to say
    constraint = next(c for c in Disbursement._meta.constraints if c.name == "fund_disbursement_voucher_unique")
    with connection.schema_editor() as editor:  # within the test's transaction: rolled back after it
        editor.remove_constraint(Disbursement, constraint)
    first = ledger.disbursement_pay(actor=world["finance2"], disbursement=_approved(world), voucher_no="DUP-1")
    second = ledger.disbursement_pay(actor=world["finance2"], disbursement=_approved(world, "5.00"), voucher_no="X")
    Disbursement.objects.filter(pk=second.pk).update(voucher_no="DUP-1")
    with pytest.raises(RuntimeError) as excinfo:
        migration.refuse_duplicate_vouchers(django_apps, None)
    assert (
        "DUP-1" in str(excinfo.value) and f"#{first.pk}" in str(excinfo.value) and f"#{second.pk}" in str(excinfo.value)
    )


def test_a_tranche_beyond_what_the_database_holds_is_a_400_not_a_500(api, world):
    """Found by the API fuzz: the tranche is a small integer in the database."""
    official = api.as_user(world["district"])
    before = Disbursement.objects.count()
    answer = official.post(
        "/api/v1/disbursements/", {"commitment_line": world["district_cl"].pk, "amount": "800", "tranche": 40000}
    )
    assert answer.status_code == 400 and "tranche" in answer.json()
    assert Disbursement.objects.count() == before
