"""The funding pages' forms: what they write through the services, and the messages people get for bad
input (nothing is lost, nothing is a 500)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment
from core.roles import Role
from funding.choices import DisbursementStatus, ProjectStatus
from funding.models import (
    AcceptanceCorrection,
    Commitment,
    Disbursement,
    FinancialProduct,
    InterestSubsidy,
    Project,
    Recognition,
    SubsidyPolicy,
)
from funding.services import ledger

from .helpers import FILING, post_evaluation

D = Decimal
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English (the language switch's cookie), so messages read the same whatever the
    state of the Chinese catalogue."""
    client.cookies["sjp_language"] = "en"


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- projects ---------------------------------------------------------------------------------


def test_a_provider_files_a_project_for_an_enterprise_it_serves(client, world):
    client.force_login(world["pa"])
    form = client.get(reverse("funding:project_create")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [world["e1"]]  # only enterprises it serves
    assert list(form.fields["provider"].queryset) == [world["provider_a"]]
    response = client.post(
        reverse("funding:project_create"), {**FILING, "enterprise": world["e1"].pk, "provider": world["provider_a"].pk}
    )
    project = Project.objects.get(contract_no="HT-NEW-1")
    assert response.status_code == 302 and response["Location"] == reverse("funding:project_detail", args=[project.pk])
    assert project.filed_on == datetime.date(2025, 5, 6) and project.other_amount == D("300000.00")
    assert project.scenes == ["production_control", "quality_management"]
    assert project.transitions.get().actor == world["pa"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"contract_no": ""}, "contract_no", "This field is required."),
        ({"total_investment": "-5"}, "total_investment", "Amounts are 0 or more."),
        ({"total_investment": "100", "software_amount": "200"}, "total_investment", "cannot exceed the total"),
        ({"date": TOMORROW}, "date", "cannot be in the future"),
        ({"is_chain_project": "on", "software_amount": "400000"}, "software_amount", "at least 60%"),
        ({"planned_start_on": "2025-06-01", "planned_end_on": "2025-05-01"}, "planned_end_on", "comes after"),
    ],
)
def test_a_bad_filing_shows_a_message_on_its_field_and_keeps_the_input(client, world, changes, field, message):
    client.force_login(world["pa"])
    data = {**FILING, "enterprise": world["e1"].pk, "provider": world["provider_a"].pk, **changes}
    response = client.post(reverse("funding:project_create"), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert 'value="HT-NEW-1"' in response.content.decode() or field == "contract_no"
    assert not Project.objects.filter(contract_no="HT-NEW-1").exists()


def test_a_provider_cannot_file_for_an_enterprise_it_does_not_serve(client, world):
    client.force_login(world["pa"])
    response = client.post(
        reverse("funding:project_create"), {**FILING, "enterprise": world["e2"].pk, "provider": world["provider_a"].pk}
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors


def test_the_district_approves_and_the_provider_reports_progress_and_asks_for_acceptance(client, world):
    project = world["filed"]
    client.force_login(world["district"])
    client.post(
        reverse("funding:project_action", args=[project.pk, "approve"]),
        {"approve-date": "2025-05-01", "approve-reason": "材料齐全"},
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED and project.approved_on == datetime.date(2025, 5, 1)
    client.force_login(world["pa"])
    response = client.post(
        reverse("funding:project_action", args=[project.pk, "progress"]),
        {"progress-progress": "140", "progress-note": "x"},
        follow=True,
    )
    assert any("Progress" in m for m in messages_of(response))
    client.post(
        reverse("funding:project_action", args=[project.pk, "progress"]),
        {"progress-progress": "60", "progress-note": "MES 上线", "progress-date": "2025-07-01"},
    )
    response = client.post(
        reverse("funding:project_action", args=[project.pk, "request_acceptance"]),
        {"request-date": TOMORROW},
        follow=True,
    )
    assert any("future" in m for m in messages_of(response))
    client.post(reverse("funding:project_action", args=[project.pk, "request_acceptance"]), {"request-date": ""})
    project.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTANCE_REQUESTED and project.progress == 60
    html = page(client, world["district"], reverse("funding:project_detail", args=[project.pk]))
    assert 'data-action="progress"' in html and "MES 上线" in html and 'id="progress-reports"' in html
    assert html.count('data-action="') == 4  # file, approve, progress, request acceptance


def test_the_dossier_lists_missing_evidence_and_takes_files(client, world):
    project = world["requested"]
    url = reverse("funding:project_detail", args=[project.pk])
    html = page(client, world["pa"], url)
    assert 'id="evidence-missing"' in html and html.count("data-missing=") == 5
    response = client.post(
        reverse("funding:project_action", args=[project.pk, "evidence"]),
        {"evidence-purpose": "invoice", "evidence-file": SimpleUploadedFile("发票.pdf", b"%PDF-1.4 x")},
        follow=True,
    )
    assert any("attached" in m for m in messages_of(response))
    response = client.post(
        reverse("funding:project_action", args=[project.pk, "evidence"]),
        {"evidence-purpose": "contract", "evidence-file": SimpleUploadedFile("合同.exe", b"MZ")},
        follow=True,
    )
    assert any("not accepted" in m for m in messages_of(response))
    attachment = Attachment.objects.get()
    assert attachment.purpose == "invoice" and attachment.original_name == "发票.pdf"
    html = page(client, world["ex"], url)  # the evaluator sees it too, and downloads it
    assert html.count("data-missing=") == 4 and reverse("core:attachment_download", args=[attachment.pk]) in html
    assert client.get(reverse("core:attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(world["pb"])
    assert client.get(reverse("core:attachment_download", args=[attachment.pk])).status_code == 404


def test_actions_appear_only_for_who_may_take_them(client, users, world):
    url = reverse("funding:project_detail", args=[world["filed"].pk])
    district = page(client, world["district"], url)
    assert 'id="approve-form"' in district and 'id="cancel-form"' in district and 'id="edit-project"' in district
    provider = page(client, world["pa"], url)
    assert 'id="approve-form"' not in provider and 'id="cancel-form"' not in provider
    assert 'id="edit-project"' in provider and 'id="evidence-form"' in provider
    auditor = page(client, users[Role.AUDITOR], url)
    for marker in ("approve-form", "cancel-form", "edit-project", "evidence-form", "request-form"):
        assert f'id="{marker}"' not in auditor
    requested = reverse("funding:project_detail", args=[world["requested"].pk])
    assert 'id="inspect-project"' in page(client, world["ex"], requested)
    assert 'id="inspect-project"' not in page(client, world["district"], requested)


# --- acceptance -------------------------------------------------------------------------------


def test_the_evaluator_finds_the_project_in_its_queue_and_records_a_failure_then_a_pass(client, world):
    project = world["requested"]
    html = page(client, world["ex"], reverse("funding:acceptance_queue"))
    assert f'data-project="{project.pk}"' in html and f'data-project="{world["passed"].pk}"' not in html
    assert f'data-project="{project.pk}"' not in page(client, world["ey"], reverse("funding:acceptance_queue"))
    client.force_login(world["ex"])
    url = reverse("funding:acceptance_create", args=[project.pk])
    response = client.post(url, {"accepted_on": "2025-09-01", "passed": "no", "findings": ""})
    assert response.status_code == 200 and "Say why" in " ".join(response.context["form"].errors["findings"])
    client.post(
        url,
        {"accepted_on": "2025-09-01", "passed": "no", "findings": "发票不全", "check_contract": "on"},
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    first = project.acceptances.get()
    assert first.checklist["contract"] is True and first.checklist["invoices"] is False
    assert first.evaluation_body == world["ex"].evaluation_body
    client.force_login(world["pa"])
    client.post(reverse("funding:project_action", args=[project.pk, "request_acceptance"]), {})
    post = post_evaluation(world["e1"], 2)
    client.force_login(world["ex"])
    form = client.get(url).context["form"]
    assert form.initial["post_assessment"] == post.pk  # the latest post evaluation is proposed
    client.post(url, {"accepted_on": "2025-10-01", "passed": "yes", "post_assessment": post.pk})
    project.refresh_from_db()
    assert project.status == ProjectStatus.PASSED and project.acceptance_attempts == 2
    assert project.acceptances.get(attempt=2).post_assessment == post
    html = page(client, world["pa"], reverse("funding:project_detail", args=[project.pk]))
    assert 'data-attempt="1"' in html and 'data-attempt="2"' in html and "发票不全" in html


def test_a_district_official_corrects_an_acceptance_through_a_recorded_correction(client, world):
    acceptance = world["acceptance"]
    client.force_login(world["district"])
    url = reverse("funding:acceptance_correct", args=[acceptance.pk])
    response = client.post(url, {"correct-passed": "", "correct-reason": "无改动"}, follow=True)
    assert any("changes nothing" in m for m in messages_of(response))
    response = client.post(url, {"correct-accepted_on": "2025-09-03", "correct-reason": "日期录错"}, follow=True)
    correction = AcceptanceCorrection.objects.get()
    assert correction.before["accepted_on"] == "2025-09-05" and correction.after["accepted_on"] == "2025-09-03"
    html = response.content.decode()
    assert "日期录错" in html and 'class="mt-1 ps-2 border-start border-warning correction"' in html


# --- recognitions -----------------------------------------------------------------------------


def test_the_district_records_a_chain_model_with_members_and_the_gongfu_flag(client, world, units):
    from tests.factories import EnterpriseFactory

    members = [EnterpriseFactory(unit=units["310117001"]) for _ in range(2)]
    client.force_login(world["district"])
    data = {
        "kind": "chain_model",
        "level": "municipal",
        "recognised_on": "2025-11-01",
        "title": "岳阳甲链式转型模式",
        "enterprise": world["e1"].pk,
        "members": [m.pk for m in members],
        "platform_name": "根云平台",
        "gongfu_lianzhu": "on",
    }
    response = client.post(reverse("funding:recognition_create"), data)
    recognition = Recognition.objects.get()
    assert response["Location"] == reverse("funding:recognition_detail", args=[recognition.pk])
    assert recognition.gongfu_lianzhu and set(recognition.members.all()) == set(members)
    html = page(client, world["district"], response["Location"])
    assert members[0].name in html and "根云平台" in html
    client.post(response["Location"], {"file": SimpleUploadedFile("证书.pdf", b"%PDF-1.4 x")})
    assert Attachment.objects.get().purpose == "recognition"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "smart_factory"}, "Only a chain model has member enterprises."),
        ({"recognised_on": TOMORROW}, "cannot be in the future"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_a_bad_recognition_is_refused_with_a_message(client, world, changes, message):
    client.force_login(world["district"])
    data = {
        "kind": "chain_model",
        "level": "district",
        "recognised_on": "2025-11-01",
        "title": "x",
        "enterprise": world["e1"].pk,
        "members": [world["e2"].pk],
        **changes,
    }
    response = client.post(reverse("funding:recognition_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Recognition.objects.exists()


def test_the_recognition_list_filters_by_kind_level_and_year(client, world):
    from funding.services import recognitions

    for kind, level, on in (
        ("digital_workshop", "district", "2025-03-01"),
        ("smart_factory", "national", "2026-03-01"),
        ("platform", "district", "2025-09-28"),
    ):
        recognitions.recognition_create(
            actor=world["district"], kind=kind, level=level, recognised_on=on, title=f"{kind}-{on}"
        )
    client.force_login(world["district"])
    assert client.get(reverse("funding:recognition_list")).context["page_obj"].paginator.count == 3
    assert client.get(reverse("funding:recognition_list") + "?year=2026").context["page_obj"].paginator.count == 1
    response = client.get(reverse("funding:recognition_list") + "?kind=platform&level=district")
    assert [r.title for r in response.context["page_obj"]] == ["platform-2025-09-28"]


def test_the_project_list_filters_counts_and_scopes(client, users, world):
    client.force_login(world["district"])
    response = client.get(reverse("funding:project_list"))
    assert response.context["page_obj"].paginator.count == 3
    assert response.context["counts"]["filed"] == 1 and response.context["counts"]["passed"] == 1
    url = reverse("funding:project_list")
    assert client.get(url + "?unit=310117002").context["page_obj"].paginator.count == 1
    assert client.get(url + f"?provider={world['provider_a'].pk}").context["page_obj"].paginator.count == 2
    assert client.get(url + "?status=acceptance_requested").context["page_obj"].paginator.count == 1
    assert client.get(url + "?year=2026").context["page_obj"].paginator.count == 0
    assert client.get(url + "?sector=nonsense").context["page_obj"].paginator.count == 0  # no 500
    client.force_login(world["pb"])
    assert [p.pk for p in client.get(url).context["page_obj"]] == [world["passed"].pk]
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(url).context["page_obj"].paginator.count == 2


def test_the_project_list_filters_by_a_typed_provider_name_or_credit_code(client, world):
    from tests.factories import ProviderFactory

    idle = [ProviderFactory(name=f"未备案服务商{i}有限公司") for i in range(30)]
    client.force_login(world["district"])
    url = reverse("funding:project_list")
    response = client.get(url)
    html = response.content.decode()
    # A text box, not a drop-down of every provider: the page does not grow with the pool.
    assert 'name="provider"' in html and '<select class="form-select form-select-sm" name="provider"' not in html
    assert not any(p.name in html for p in idle)
    a, b = world["provider_a"], world["provider_b"]

    def count(query):
        return client.get(url, query).context["page_obj"].paginator.count

    assert count({"provider": a.name[1:-1]}) == 2  # any part of the name
    assert count({"provider": f"  {b.credit_code.lower()} "}) == 1  # the credit code, trimmed, any case
    assert count({"provider": str(a.pk)}) == 2  # an id, as links made for the drop-down carry
    assert count({"provider": idle[0].name}) == 0
    assert count({"provider": "没有这个服务商"}) == 0
    assert count({"provider": "9" * 30}) == 0  # digits too long for an id: text, no overflow
    assert client.get(url, {"provider": "x" * 201}).context["page_obj"].paginator.count == 0  # too long: no 500
    assert client.get(url, {"provider": a.name}).context["filter"].form["provider"].value() == a.name


def test_the_project_list_query_count_does_not_grow_with_providers(client, world, django_assert_max_num_queries):
    from tests.factories import ProviderFactory

    client.force_login(world["district"])
    url = reverse("funding:project_list")
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    ProviderFactory.create_batch(40)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_every_page_of_the_project_list_keeps_the_order_and_the_rows(client, world, monkeypatch):
    """Pages are picked by their ids first; every row appears once, in the list's order, joined facts included."""
    from funding.views import projects as views

    for n in range(4):
        world["filed"].pk = None
        world["filed"].contract_no = f"HT-COPY-{n}"
        world["filed"].save()
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(world["district"])
    url = reverse("funding:project_list")
    expected = list(Project.objects.order_by("-filed_on", "-pk").values_list("pk", flat=True))
    assert len(expected) == 7
    seen = []
    for number in range(1, 5):
        response = client.get(url, {"page": number})
        rows = list(response.context["page_obj"])
        seen += [p.pk for p in rows]
        html = response.content.decode()
        assert all(p.enterprise.name in html and p.provider.name in html for p in rows)
    assert seen == expected
    last = client.get(url, {"page": 99, "provider": world["provider_a"].name}).context["page_obj"]
    assert [p.pk for p in last] == [pk for pk in expected if pk != world["passed"].pk][-2:]


# --- the ledger -------------------------------------------------------------------------------


def test_the_ledger_shows_each_line_the_floor_and_the_cap(client, world):
    html = page(client, world["finance"], reverse("funding:ledger"))
    assert 'id="source-central"' in html and 'id="source-district"' in html and 'id="central-rules"' in html
    assert "floor-ok" in html  # 80M of the 100M grant budgeted for SME transformation
    assert 'id="chart-central"' in html and 'id="chart-central-data"' in html and "echarts.custom.min.js" in html
    assert "8,000.00" in html  # the SME line, in 10k yuan
    html = page(client, world["finance"], reverse("funding:budget_line", args=[world["sme_line"].pk]))
    assert "数字化改造补贴：永丰乙" in html


def test_finance_sets_a_budget_and_sees_why_one_is_refused(client, world):
    client.force_login(world["finance"])
    url = reverse("funding:budget_line_create")
    # Amounts above the double-entry threshold (500,000 元) are typed twice on the page.
    too_much = {"source": world["central"].pk, "purpose": "purchased_services", "amount": "10000001"}
    response = client.post(url, {**too_much, "amount_again": "10000001"})
    assert response.status_code == 200 and "20%" in response.content.decode()
    fine = {"source": world["central"].pk, "purpose": "purchased_services", "amount": "2500000"}
    response = client.post(url, fine)
    assert response.status_code == 200 and "typed twice" in response.context["form"].errors["amount_again"][0]
    response = client.post(url, {**fine, "amount_again": "2500000"})
    assert response.status_code == 302
    edit = reverse("funding:budget_line_edit", args=[world["sme_line"].pk])
    response = client.post(edit, {"amount": "100", "name": "x"})
    assert response.status_code == 200 and "already committed" in response.content.decode()


def test_the_district_commits_a_project_subsidy_computed_by_the_policy(client, world):
    from funding.services import projects

    project = world["requested"]
    client.force_login(world["district"])
    url = reverse("funding:project_commit", args=[project.pk])
    html = client.get(url).content.decode()
    assert 'id="policy-defaults"' in html  # the seeded policy says its figures are defaults
    form = client.get(url).context["form"]
    allowed = ledger.subsidy_for(project, world["policy"])
    assert allowed == D("400000.00") and form.initial["central_amount"] == allowed
    data = {
        "title": "补贴",
        "policy": world["policy"].pk,
        "central_line": world["sme_line"].pk,
        "central_amount": "350000",
        "district_line": world["benchmark_line"].pk,
        "district_amount": "100000",
        "committed_on": "2025-10-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "The policy allows at most 400,000.00 yuan" in response.content.decode()
    response = client.post(url, {**data, "district_line": "", "district_amount": "50000"})
    assert "Choose the budget line for this amount." in response.content.decode()
    response = client.post(url, {**data, "district_amount": "50000"})
    commitment = Commitment.objects.get(project=project)
    assert response["Location"] == reverse("funding:commitment_detail", args=[commitment.pk])
    assert sorted(commitment.lines.values_list("amount", flat=True)) == [D("50000.00"), D("350000.00")]
    assert commitment.policy == world["policy"] and commitment.created_by == world["district"]
    projects.project_cancel(actor=world["district"], project=world["filed"], reason="x")
    response = client.get(reverse("funding:project_commit", args=[world["filed"].pk]), follow=True)
    assert any("approved" in m for m in messages_of(response))


def test_a_payment_goes_from_request_to_paid_and_is_reversed_through_the_pages(client, world):
    commitment = world["commitment"]
    client.force_login(world["district"])
    response = client.post(
        reverse("funding:commitment_action", args=[commitment.pk, "request"]),
        {"pay-commitment_line": world["district_cl"].pk, "pay-amount": "150000", "pay-tranche": "1"},
        follow=True,
    )
    assert any("left to pay" in m for m in messages_of(response))
    client.post(
        reverse("funding:commitment_action", args=[commitment.pk, "request"]),
        {"pay-commitment_line": world["district_cl"].pk, "pay-amount": "100000", "pay-tranche": "1"},
    )
    assert Disbursement.objects.filter(status=DisbursementStatus.REQUESTED).count() == 2
    payment = world["payment"]
    html = page(client, world["finance"], reverse("funding:payment_queue"))
    assert f'data-disbursement="{payment.pk}"' in html and "approve-button" in html
    approve = reverse("funding:disbursement_action", args=[payment.pk, "approve"])
    response = client.post(approve, {"approve-date": "", "next": "queue"})
    assert response.status_code == 200 and 'id="money-confirm"' in response.content.decode()  # asked first
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.REQUESTED
    response = client.post(approve, {"approve-date": "", "next": "queue", "confirmed": "1"})
    assert response["Location"] == reverse("funding:payment_queue")
    # Four eyes: another finance officer records the payment.
    client.force_login(world["finance2"])
    pay = reverse("funding:disbursement_action", args=[payment.pk, "pay"])
    response = client.post(pay, {"pay-voucher_no": ""}, follow=True)
    assert any("Voucher number" in m for m in messages_of(response))
    client.post(pay, {"pay-voucher_no": "SJ-0001"})
    client.post(pay, {"pay-voucher_no": "SJ-0001", "confirmed": "1"})
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.PAID and payment.voucher_no == "SJ-0001"
    assert (payment.approved_by, payment.paid_by) == (world["finance"], world["finance2"])
    client.post(
        reverse("funding:disbursement_action", args=[payment.pk, "invoice"]),
        {"file": SimpleUploadedFile("发票.pdf", b"%PDF-1.4 x")},
    )
    html = page(client, world["finance"], reverse("funding:disbursement_detail", args=[payment.pk]))
    assert "发票.pdf" in html and 'id="reverse-form"' in html
    response = client.post(
        reverse("funding:disbursement_action", args=[payment.pk, "reverse"]), {"reverse-reason": ""}, follow=True
    )
    assert any("Reason" in m for m in messages_of(response))
    response = client.post(
        reverse("funding:disbursement_action", args=[payment.pk, "reverse"]),
        {"reverse-reason": "账户错误", "confirmed": "1"},
    )
    reversal = Disbursement.objects.get(reverses=payment)
    assert response["Location"] == reverse("funding:disbursement_detail", args=[reversal.pk])
    assert reversal.amount == D("-300000.00")
    html = page(client, world["finance"], response["Location"])
    assert "Reversal" in html and reverse("funding:disbursement_detail", args=[payment.pk]) in html
    html = page(client, world["finance"], reverse("funding:budget_line", args=[world["sme_line"].pk]))
    # Paid, then reversed: nothing paid on the line (万元, the exact 元 on hover).
    assert re.search(r'id="line-paid"><span class="money" title="0.00 元"[^>]*>0.00<', html)


def test_the_finance_officer_rejects_a_payment_with_a_reason(client, world):
    payment = world["payment"]
    client.force_login(world["finance"])
    url = reverse("funding:disbursement_action", args=[payment.pk, "reject"])
    client.post(url, {"reject-reason": ""})
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.REQUESTED
    client.post(url, {"reject-reason": "账户不符"})  # the confirmation page: nothing changes yet
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.REQUESTED
    client.post(url, {"reject-reason": "账户不符", "confirmed": "1"})
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.REJECTED and payment.reason == "账户不符"
    assert payment.rejected_by == world["finance"] and payment.rejected_on is not None


def test_the_policy_page_warns_about_defaults_and_the_form_checks_tranches(client, world):
    html = page(client, world["finance"], reverse("funding:policy_list"))
    assert "policy-defaults" in html and "40.0%" in html
    url = reverse("funding:policy_edit", args=[world["policy"].pk])
    base = {"name": "补贴政策", "ratio": "0.3", "cap_per_enterprise": "400000", "is_active": "on", "note": ""}
    response = client.post(url, {**base, "tranches": "0.5 首付\n0.4 尾款", "figures_are_defaults": "on"})
    assert response.status_code == 200 and "add up to 1" in response.content.decode()
    response = client.post(url, {**base, "ratio": "1.5", "tranches": ""})
    assert response.status_code == 200 and "ratio" in response.context["form"].errors
    response = client.post(url, {**base, "tranches": "0.6 验收通过后\n0.4 评定达到二级后"})
    assert response.status_code == 302
    policy = SubsidyPolicy.objects.get()
    assert policy.ratio == D("0.3000") and not policy.figures_are_defaults
    assert [t["share"] for t in policy.tranches] == ["0.6", "0.4"]
    assert "policy-defaults" not in page(client, world["finance"], reverse("funding:policy_list"))


def test_the_financing_list_takes_products_and_interest_subsidies(client, users, world):
    client.force_login(world["district"])
    response = client.post(
        reverse("funding:product_create"),
        {
            "bank": "上海银行",
            "name": "科创e贷",
            "rate": "3.6",
            "limit": "5000000",
            "term_months": "12",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    product = FinancialProduct.objects.get()
    data = {
        "enterprise": world["e1"].pk,
        "financial_product": product.pk,
        "loan_amount": "1000000",
        "loan_on": "2025-04-01",
        "amount": "2000000",
        "granted_on": "2025-06-01",
        "budget_line": world["interest_line"].pk,
    }
    response = client.post(reverse("funding:interest_subsidy_create"), data)
    assert response.status_code == 200 and "cannot exceed the loan" in response.content.decode()
    response = client.post(reverse("funding:interest_subsidy_create"), {**data, "amount": "15000"})
    subsidy = InterestSubsidy.objects.get()
    assert subsidy.commitments.get().lines.get().budget_line == world["interest_line"]
    html = page(client, users[Role.UNIT_STAFF], reverse("funding:financing"))
    assert "科创e贷" in html and world["e1"].name in html
    html = page(client, world["pa"], reverse("funding:financing"))
    assert "科创e贷" in html and 'id="interest-subsidy-table"' not in html


# --- the enterprise file and the home page ----------------------------------------------------


def test_the_enterprise_file_shows_projects_and_money_only_to_those_who_may_see_it(client, users, world):
    url = reverse("enterprises:detail", args=[world["e2"].pk])
    district = page(client, world["district"], url)
    assert 'id="section-projects"' in district and "永丰乙质量追溯项目" in district
    assert "数字化改造补贴：永丰乙" in district and 'id="enterprise-subsidy-totals"' in district
    provider = page(client, world["pb"], url)
    assert "永丰乙质量追溯项目" in provider and "数字化改造补贴" not in provider
    assert 'id="enterprise-subsidy-totals"' not in provider
    url_e1 = reverse("enterprises:detail", args=[world["e1"].pk])
    ledger.commitment_create(
        actor=world["district"], title="岳阳甲补贴", lines=[(world["sme_line"], "10000")], enterprise=world["e1"]
    )
    unit = page(client, users[Role.UNIT_STAFF], url_e1)
    assert 'id="enterprise-subsidy-totals"' in unit and "1.00" in unit  # 10,000 元 = 1.00 万元
    assert "岳阳甲补贴" not in unit  # totals, not the ledger's commitments


def test_home_pages_carry_the_funding_to_do_lists(client, users, world):
    html = page(client, world["finance"], "/")
    assert 'id="todo-payments-requested"' in html and "数字化改造补贴：永丰乙" in html
    html = page(client, world["ex"], "/")
    assert 'id="todo-acceptances"' in html and world["e1"].name in html
    html = page(client, world["district"], "/")
    assert 'id="todo-projects-to-approve"' in html and world["e1"].name in html
    html = page(client, users[Role.UNIT_STAFF], "/")
    assert "todo-payments-requested" not in html and "todo-projects-to-approve" not in html
