"""A reason longer than the history column (100 characters) is accepted on every funding step, on the
page and in the API, on PostgreSQL: the history keeps what fits, the event keeps the whole reason."""

import datetime

from django.urls import reverse

from funding.choices import CommitmentStatus, DisbursementStatus, ProjectStatus
from funding.models import Commitment, Disbursement, Project, ProjectTransition, Recognition
from funding.services import ledger, projects, recognitions

#: 138 characters: more than the 100 the history's change-reason column holds.
LONG = "付款凭证与合同金额不符，" * 10 + "请核对后重新提交。" + "x" * 9
assert len(LONG) == 138


def _history_reason(record):
    reason = record.history.first().history_change_reason
    assert reason and len(reason) <= 100 and LONG.startswith(reason.rstrip("…"))
    return reason


def _paid(world):
    """A payment of the district's line (no acceptance gate), approved and paid."""
    payment = ledger.disbursement_request(
        actor=world["district"], commitment_line=world["district_cl"], amount="1000.00"
    )
    ledger.disbursement_approve(actor=world["finance"], disbursement=payment)
    return ledger.disbursement_pay(actor=world["finance2"], disbursement=payment, voucher_no="PZ-9")


def test_rejecting_a_payment_with_a_long_reason_through_the_api(api, world):
    finance = api.as_user(world["finance"])
    response = finance.post(f"/api/v1/disbursements/{world['payment'].pk}/reject/", {"reason": LONG})
    assert response.status_code == 200, response.content
    payment = Disbursement.objects.get(pk=world["payment"].pk)
    assert payment.status == DisbursementStatus.REJECTED and payment.reason == LONG
    _history_reason(payment)


def test_rejecting_a_payment_with_a_long_reason_on_the_page(client, world):
    client.force_login(world["finance"])
    response = client.post(
        reverse("funding:disbursement_action", args=[world["payment"].pk, "reject"]),
        {"reject-reason": LONG, "confirmed": "1"},
    )
    assert response.status_code == 302
    payment = Disbursement.objects.get(pk=world["payment"].pk)
    assert payment.status == DisbursementStatus.REJECTED and payment.reason == LONG


def _releasable(world):
    """A commitment of the benchmark line with nothing claimed on it."""
    return ledger.commitment_create(
        actor=world["district"], title="标杆示范", lines=[(world["benchmark_line"], "5000.00")], enterprise=world["e1"]
    )


def test_cancelling_a_commitment_with_a_long_reason_through_the_api(api, world):
    commitment = _releasable(world)
    response = api.as_user(world["district2"]).post(f"/api/v1/commitments/{commitment.pk}/cancel/", {"reason": LONG})
    assert response.status_code == 200, response.content
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.CANCELLED and LONG in commitment.note
    _history_reason(commitment)


def test_cancelling_a_commitment_with_a_long_reason_on_the_page(client, world):
    commitment = _releasable(world)
    client.force_login(world["district2"])
    response = client.post(
        reverse("funding:commitment_action", args=[commitment.pk, "cancel"]), {"cancel-reason": LONG, "confirmed": "1"}
    )
    assert response.status_code == 302
    assert Commitment.objects.get(pk=commitment.pk).status == CommitmentStatus.CANCELLED


def test_reversing_a_payment_with_a_long_reason(api, world):
    paid = _paid(world)
    response = api.as_user(world["finance"]).post(f"/api/v1/disbursements/{paid.pk}/reverse/", {"reason": LONG})
    assert response.status_code == 201, response.content
    assert Disbursement.objects.get(reverses=paid).reason == LONG


def test_project_steps_keep_the_whole_reason_in_their_transition(api, client, world):
    district = api.as_user(world["district"])
    assert district.post(f"/api/v1/projects/{world['filed'].pk}/approve/", {"reason": LONG}).status_code == 200
    step = ProjectTransition.objects.filter(project=world["filed"]).latest("pk")
    assert step.reason == LONG
    _history_reason(Project.objects.get(pk=world["filed"].pk))
    client.force_login(world["district"])
    cancel = reverse("funding:project_action", args=[world["filed"].pk, "cancel"])
    asked = client.post(cancel, {"cancel-reason": LONG})
    # Restated first (issue 18 item 3), the whole reason carried to the confirmation; nothing changes yet.
    assert 'id="action-confirm"' in asked.content.decode() and LONG in asked.content.decode()
    assert Project.objects.get(pk=world["filed"].pk).status != ProjectStatus.CANCELLED
    response = client.post(cancel, {"cancel-reason": LONG, "confirmed": "1"})
    assert response.status_code == 302
    project = Project.objects.get(pk=world["filed"].pk)
    assert project.status == ProjectStatus.CANCELLED
    assert ProjectTransition.objects.filter(project=project).latest("pk").reason == LONG


def test_an_acceptance_correction_keeps_the_whole_reason(api, client, world):
    acceptance = world["acceptance"]
    client.force_login(world["district"])
    response = client.post(
        reverse("funding:acceptance_correct", args=[acceptance.pk]),
        {"correct-passed": "no", "correct-findings": "资料不全", "correct-reason": LONG},
    )
    assert response.status_code == 302
    acceptance.refresh_from_db()
    assert acceptance.passed is False and acceptance.corrections.get().reason == LONG
    _history_reason(acceptance)
    response = api.as_user(world["district"]).post(
        f"/api/v1/acceptances/{acceptance.pk}/correct/", {"passed": True, "reason": LONG}, format="json"
    )
    assert response.status_code == 200, response.content


def test_removing_a_recognition_with_a_long_reason(world):
    recognition = recognitions.recognition_create(
        actor=world["district"], kind="digital_workshop", level="district",
        recognised_on=datetime.date(2025, 6, 1), title="岳阳甲数字化车间", enterprise=world["e1"],
    )  # fmt: skip
    pk = recognition.pk
    recognitions.recognition_delete(actor=world["district"], recognition=recognition, reason=LONG)
    assert not Recognition.objects.filter(pk=pk).exists()
    removed = Recognition.history.filter(id=pk, history_type="-").get()
    assert len(removed.history_change_reason) <= 100


def test_a_long_reason_on_progress_and_acceptance_request(world):
    project = world["filed"]
    projects.project_approve(actor=world["district"], project=project)
    projects.project_progress(actor=world["pa"], project=project, progress=50, note=LONG)
    projects.project_request_acceptance(actor=world["pa"], project=project, reason=LONG)
    assert list(ProjectTransition.objects.filter(project=project).values_list("reason", flat=True))[-2:] == [LONG, LONG]
