"""The report pages: who may reach each (anonymous / wrong role / right role in and out of scope),
the queues, the report form with the questionnaire, the record with its timeline and versions,
the enterprise section, and bounded queries on the lists."""

import pytest
from django.urls import reverse

from core.roles import Role
from diagnostics.models import Diagnosis
from diagnostics.services.diagnoses import (
    deadline_set,
    diagnosis_accept,
    diagnosis_attach_signed_pdf,
    diagnosis_create,
    diagnosis_return,
    diagnosis_submit,
    diagnosis_update,
)
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import complete_content, days, pdf_upload, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world, users):
    """Ours: a returned report (version 1 returned once); theirs: a submitted one."""
    ours = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    diagnosis_update(actor=world["provider_user"], diagnosis=ours, summary="第一版摘要")
    diagnosis_submit(actor=world["provider_user"], diagnosis=ours, date=days(-5))
    diagnosis_return(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=ours, reason="请补充生产管控痛点", date=days(-4))
    theirs = diagnosis_create(
        actor=world["other_provider_user"], enterprise=world["theirs"], provider=world["other_provider"]
    )
    diagnosis_submit(actor=world["other_provider_user"], diagnosis=theirs, date=days(-2))
    return {"ours": Diagnosis.objects.get(pk=ours.pk), "theirs": Diagnosis.objects.get(pk=theirs.pk)}


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


# --- permission matrix -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, reports):
    for name, args in (
        ("diagnostics:diagnoses:list", ()),
        ("diagnostics:diagnoses:work_queue", ()),
        ("diagnostics:diagnoses:review_queue", ()),
        ("diagnostics:diagnoses:deadlines", ()),
        ("diagnostics:diagnoses:detail", (reports["ours"].pk,)),
        ("diagnostics:diagnoses:edit", (reports["ours"].pk,)),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("role", "work_queue", "review_queue"),
    [
        (Role.PROVIDER_USER, 200, 403),
        (Role.DISTRICT_OFFICIAL, 200, 200),
        (Role.ADMIN, 200, 200),
        (Role.UNIT_STAFF, 403, 403),
        (Role.EVALUATOR, 403, 403),
        (Role.FINANCE_OFFICER, 403, 403),
        (Role.AUDITOR, 403, 403),
    ],
)
def test_queues_are_for_their_roles(client, users, reports, role, work_queue, review_queue):
    assert page(client, users[role], "diagnostics:diagnoses:work_queue").status_code == work_queue
    assert page(client, users[role], "diagnostics:diagnoses:review_queue").status_code == review_queue
    assert page(client, users[role], "diagnostics:diagnoses:list").status_code == 200
    assert page(client, users[role], "diagnostics:diagnoses:deadlines").status_code == 200


def test_another_providers_report_is_a_404_like_a_missing_one(client, world, reports):
    theirs = reports["theirs"].pk
    for name, args in (
        ("diagnostics:diagnoses:detail", (theirs,)),
        ("diagnostics:diagnoses:edit", (theirs,)),
        ("diagnostics:diagnoses:signed_pdf", (theirs,)),
        ("diagnostics:diagnoses:version", (theirs, 1)),
        ("diagnostics:diagnoses:detail", (999999,)),
    ):
        assert page(client, world["provider_user"], name, *args).status_code == 404
    client.force_login(world["provider_user"])
    assert client.post(reverse("diagnostics:diagnoses:action", args=[theirs, "submit"])).status_code == 404


def test_unit_staff_read_their_units_report_but_may_not_edit_or_move_it(client, users, reports):
    clerk = users[Role.UNIT_STAFF]
    assert page(client, clerk, "diagnostics:diagnoses:detail", reports["ours"].pk).status_code == 200
    assert page(client, clerk, "diagnostics:diagnoses:detail", reports["theirs"].pk).status_code == 404
    assert page(client, clerk, "diagnostics:diagnoses:edit", reports["ours"].pk).status_code == 403
    assert client.post(reverse("diagnostics:diagnoses:action", args=[reports["ours"].pk, "submit"])).status_code == 403
    assert reports["ours"].status == "returned"


def test_an_evaluator_reads_the_report_of_an_enterprise_it_evaluates(client, users, world, reports):
    assert page(client, users[Role.EVALUATOR], "diagnostics:diagnoses:detail", reports["ours"].pk).status_code == 200
    assert page(client, users[Role.EVALUATOR], "diagnostics:diagnoses:detail", reports["theirs"].pk).status_code == 404
    assert page(client, world["other_evaluator"], "diagnostics:diagnoses:detail", reports["ours"].pk).status_code == 404


def test_the_report_list_is_scoped(client, world, users, reports):
    body = page(client, world["provider_user"], "diagnostics:diagnoses:list").content.decode()
    assert "上海岳阳诊断公司" in body and "上海车墩诊断公司" not in body
    body = page(client, users[Role.AUDITOR], "diagnostics:diagnoses:list", status="submitted").content.decode()
    assert "上海车墩诊断公司" in body and "上海岳阳诊断公司" not in body


# --- queues ------------------------------------------------------------------------------------


def test_the_work_queue_shows_each_kind_of_work(client, world, units, reports):
    extra = EnterpriseFactory(unit=units["310117001"], name="上海岳阳待诊断公司")
    ProviderAssignment.objects.create(enterprise=extra, provider=world["provider"], assigned_on=today())
    deadline_set(actor=_district(world), enterprise=extra, kind="diagnosis", due_on=days(-1))
    response = page(client, world["provider_user"], "diagnostics:diagnoses:work_queue")
    body = response.content.decode()
    queue = response.context["queue"]
    assert [a.enterprise for a in queue["unreported"]] == [extra] and queue["unreported"][0].overdue
    assert [d.pk for d in queue["by_status"]["returned"]] == [reports["ours"].pk]
    assert "请补充生产管控痛点" in body and "上海车墩诊断公司" not in body
    # One click opens the draft (no intermediate page with an empty date): a form posting the enterprise.
    start = body.split('class="d-inline start-report-form"', 1)[1].split("</form>", 1)[0]
    assert f'name="enterprise" value="{extra.pk}"' in start


def _district(world):
    from accounts.models import User

    return User.objects.get(username="district_user")


def test_the_district_opens_any_providers_queue(client, users, world, reports):
    response = page(
        client, users[Role.DISTRICT_OFFICIAL], "diagnostics:diagnoses:work_queue", provider=world["other_provider"].pk
    )
    assert response.context["provider"] == world["other_provider"]
    assert [d.pk for d in response.context["queue"]["by_status"]["submitted"]] == [reports["theirs"].pk]


def test_the_review_queue_lists_submitted_reports_oldest_first_with_their_checklist(client, users, world, reports):
    diagnosis_update(actor=world["provider_user"], diagnosis=reports["ours"], **complete_content())
    diagnosis_attach_signed_pdf(actor=world["provider_user"], diagnosis=reports["ours"], upload=pdf_upload())
    diagnosis_submit(actor=world["provider_user"], diagnosis=reports["ours"], date=today())
    response = page(client, users[Role.DISTRICT_OFFICIAL], "diagnostics:diagnoses:review_queue")
    rows = response.context["rows"]
    assert [r.pk for r in rows] == [reports["theirs"].pk, reports["ours"].pk]
    assert rows[0].missing and not rows[1].missing
    assert "evidence complete" in response.content.decode() or "佐证材料齐全" in response.content.decode()


def test_queues_take_a_bounded_number_of_queries(client, users, world, units, django_assert_max_num_queries):
    for i in range(15):
        enterprise = EnterpriseFactory(unit=units["310117001"])
        ProviderAssignment.objects.create(enterprise=enterprise, provider=world["provider"], assigned_on=today())
        report = diagnosis_create(actor=world["provider_user"], enterprise=enterprise, provider=world["provider"])
        if i % 2:
            diagnosis_submit(actor=world["provider_user"], diagnosis=report)
        deadline_set(actor=users[Role.DISTRICT_OFFICIAL], enterprise=enterprise, kind="diagnosis", due_on=days(-i))
    client.force_login(world["provider_user"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("diagnostics:diagnoses:work_queue")).status_code == 200
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("diagnostics:diagnoses:review_queue")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("diagnostics:diagnoses:list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("diagnostics:diagnoses:deadlines")).status_code == 200


# --- creating, editing, moving through the pages -----------------------------------------------


def test_a_provider_starts_a_report_from_the_queue(client, world):
    client.force_login(world["provider_user"])
    url = reverse("diagnostics:diagnoses:create") + f"?enterprise={world['ours'].pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"enterprise": world["ours"].pk})
    report = Diagnosis.objects.get(enterprise=world["ours"])
    assert response.url == reverse("diagnostics:diagnoses:edit", args=[report.pk])
    again = client.post(url, {"enterprise": world["ours"].pk})
    assert (
        again.status_code == 200
        and f"no. {report.pk}" in again.content.decode()
        or f"{report.pk}" in again.content.decode()
    )
    assert Diagnosis.objects.filter(enterprise=world["ours"]).count() == 1


def test_create_page_is_404_for_an_enterprise_outside_scope_and_403_for_other_roles(client, world, users):
    client.force_login(world["provider_user"])
    assert client.get(reverse("diagnostics:diagnoses:create") + f"?enterprise={world['theirs'].pk}").status_code == 404
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(reverse("diagnostics:diagnoses:create") + f"?enterprise={world['ours'].pk}").status_code == 403


def test_the_district_chooses_the_provider_when_opening_a_draft(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = reverse("diagnostics:diagnoses:create") + f"?enterprise={world['unassigned'].pk}"
    missing = client.post(url, {"enterprise": world["unassigned"].pk})
    assert missing.status_code == 200 and missing.context["form"].errors
    client.post(
        url, {"enterprise": world["unassigned"].pk, "provider": world["other_provider"].pk, "date": "2025-01-10"}
    )
    report = Diagnosis.objects.get(enterprise=world["unassigned"])
    assert report.provider == world["other_provider"] and report.transitions.get().date.isoformat() == "2025-01-10"


def form_data(world, **overrides):
    """What the report form posts: the questionnaire's fields and the report's own."""
    data = {
        "index_edition": "2024",
        "item_network": ["1", "2"],
        "item_equipment_digitised_rate": "35",
        "item_equipment_networked_rate": "12.5",
        "item_data_collection": ["1", "2", "14"],
        "item_information_systems": "2",
        "item_network_security": ["1", "2", "3", "4"],
        "item_planning": "3",
        "item_mechanisms": ["1"],
        "item_talent": ["1", "2"],
        "item_funding_ratio": "5",
        "item_energy": "better",
        "item_quality": "same",
        "item_revenue_per_employee": "worse",
        "item_cost_ratio": "better",
        "scene_product_design": "2",
        "scene_marketing": "3",
        "note_marketing": "CRM已上线",
        "diagnosed_on": str(days(-2)),
        "summary": "整体处于起步阶段。",
        "pain_production_control": "排产靠Excel。",
        "target_level": "2",
        "target_scenes": ["production_control"],
        "proposed_work": "上MES。",
        "proposed_cost": "400000",
        "software_cost": "250000",
        "recommended_products": [str(world["recognised"].pk)],
        "then": "save",
    }
    data.update(overrides)
    return data


def test_the_report_form_saves_every_section_scored(client, world):
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    client.force_login(world["provider_user"])
    url = reverse("diagnostics:diagnoses:edit", args=[report.pk])
    form_page = client.get(url).content.decode()
    assert 'id="questionnaire"' in form_page and "pain_production_control" in form_page
    response = client.post(url, form_data(world, signed_pdf=pdf_upload()))
    assert response.status_code == 302, response.context and (
        response.context["form"].errors,
        response.context["questionnaire"].errors,
    )
    report.refresh_from_db()
    assert str(report.score) == "43.6750" and report.level == 0
    assert (
        len(report.scenes) == 16
        and report.scenes["marketing"] == 3
        and report.scene_notes == {"marketing": "CRM已上线"}
    )
    assert report.pain_points == {"production_control": "排产靠Excel。"}
    assert report.target_scenes == ["production_control"] and report.target_level == 2
    assert list(report.recommended_products.all()) == [world["recognised"]]
    detail = client.get(reverse("diagnostics:diagnoses:detail", args=[report.pk])).content.decode()
    assert "62.5%" in detail and "43.675" in detail
    assert [
        c.code for c in client.get(reverse("diagnostics:diagnoses:detail", args=[report.pk])).context["missing"]
    ] == []


def test_bad_input_on_the_form_loses_nothing(client, world):
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    client.force_login(world["provider_user"])
    url = reverse("diagnostics:diagnoses:edit", args=[report.pk])
    response = client.post(url, form_data(world, software_cost="900000", summary="保留这段文字"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "保留这段文字" in body and "900000" in body
    assert response.context["form"].errors["software_cost"]
    fake = client.post(url, form_data(world, signed_pdf=pdf_upload("x.pdf", b"not a pdf at all")))
    assert fake.status_code == 200 and fake.context["form"].errors["signed_pdf"]
    report.refresh_from_db()
    assert report.summary == "" and report.proposed_cost is None


def test_save_and_submit_from_the_form(client, world):
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    client.force_login(world["provider_user"])
    asked = client.post(reverse("diagnostics:diagnoses:edit", args=[report.pk]), form_data(world, then="submit"))
    # Saved, but the signed PDF is missing: the provider is warned before it goes to the district (item 11).
    assert 'id="action-confirm"' in asked.content.decode()
    report.refresh_from_db()
    assert report.status == "draft" and report.summary
    client.post(reverse("diagnostics:diagnoses:action", args=[report.pk, "submit"]), {"confirmed": "1"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.transitions.get(action="submit").snapshot["summary"]


def test_a_submitted_report_cannot_be_edited_through_the_page(client, world, reports):
    client.force_login(world["other_provider_user"])
    response = client.get(reverse("diagnostics:diagnoses:edit", args=[reports["theirs"].pk]))
    assert response.status_code == 302 and response.url == reverse(
        "diagnostics:diagnoses:detail", args=[reports["theirs"].pk]
    )


def test_the_district_accepts_and_returns_from_the_record(client, users, world, reports):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    detail = client.get(reverse("diagnostics:diagnoses:detail", args=[reports["theirs"].pk])).content.decode()
    assert 'id="accept-form"' in detail and 'id="return-form"' in detail
    no_reason = client.post(
        reverse("diagnostics:diagnoses:action", args=[reports["theirs"].pk, "return"]), {"reason": ""}
    )
    assert no_reason.status_code == 302
    reports["theirs"].refresh_from_db()
    assert reports["theirs"].status == "submitted"
    future = client.post(
        reverse("diagnostics:diagnoses:action", args=[reports["theirs"].pk, "accept"]), {"date": str(days(3))}
    )
    assert future.status_code == 302
    reports["theirs"].refresh_from_db()
    assert reports["theirs"].status == "submitted"
    client.post(
        reverse("diagnostics:diagnoses:action", args=[reports["theirs"].pk, "accept"]),
        {"date": str(days(-1)), "next": "review"},
    )
    reports["theirs"].refresh_from_db()
    assert reports["theirs"].status == "accepted" and reports["theirs"].accepted_on == days(-1)


def test_a_provider_sees_no_review_forms_and_cannot_accept(client, world, reports):
    client.force_login(world["other_provider_user"])
    detail = client.get(reverse("diagnostics:diagnoses:detail", args=[reports["theirs"].pk])).content.decode()
    assert 'id="accept-form"' not in detail
    assert (
        client.post(reverse("diagnostics:diagnoses:action", args=[reports["theirs"].pk, "accept"])).status_code == 403
    )


def test_the_record_shows_the_timeline_and_each_submitted_version(client, world, users, reports):
    ours = reports["ours"]
    diagnosis_update(actor=world["provider_user"], diagnosis=ours, summary="第二版摘要")
    diagnosis_submit(actor=world["provider_user"], diagnosis=ours)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    detail = client.get(reverse("diagnostics:diagnoses:detail", args=[ours.pk])).content.decode()
    for version in (1, 2):
        assert reverse("diagnostics:diagnoses:version", args=[ours.pk, version]) in detail
    assert "请补充生产管控痛点" in detail
    first = client.get(reverse("diagnostics:diagnoses:version", args=[ours.pk, 1])).content.decode()
    assert "第一版摘要" in first and "第二版摘要" not in first
    assert "第二版摘要" in client.get(reverse("diagnostics:diagnoses:version", args=[ours.pk, 2])).content.decode()
    assert client.get(reverse("diagnostics:diagnoses:version", args=[ours.pk, 3])).status_code == 404


def test_the_signed_pdf_page_upload_and_download(client, world, users):
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    client.force_login(world["provider_user"])
    client.post(reverse("diagnostics:diagnoses:signed_pdf", args=[report.pk]), {"file": pdf_upload("签字.pdf")})
    bad = client.post(
        reverse("diagnostics:diagnoses:signed_pdf", args=[report.pk]),
        {"file": pdf_upload("a.txt", b"hello")},
        follow=True,
    )
    assert "txt" in bad.content.decode()
    download = client.get(reverse("diagnostics:diagnoses:signed_pdf", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(users[Role.UNIT_STAFF])
    assert (
        client.post(reverse("diagnostics:diagnoses:signed_pdf", args=[report.pk]), {"file": pdf_upload()}).status_code
        == 403
    )


# --- the enterprise section --------------------------------------------------------------------


def test_the_enterprise_page_lists_its_reports_and_the_current_one(client, users, world, reports):
    diagnosis_submit(actor=world["provider_user"], diagnosis=reports["ours"])
    diagnosis_accept(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=reports["ours"])
    client.force_login(users[Role.UNIT_STAFF])
    body = client.get(reverse("enterprises:detail", args=[world["ours"].pk])).content.decode()
    assert 'id="section-diagnoses"' in body and 'id="current-report"' in body
    assert reverse("diagnostics:diagnoses:detail", args=[reports["ours"].pk]) in body
    assert 'id="start-report"' not in body
    client.force_login(world["provider_user"])
    body = client.get(reverse("enterprises:detail", args=[world["ours"].pk])).content.decode()
    assert 'id="start-report"' in body


def test_an_amount_typed_in_yuan_reads_back_in_both_units_on_the_detail(client, world):
    """Issue 18 item 1: 380000 typed as 拟投入费用（元） reads back as 38.00 万元 beside 380,000.00 元, never as a bare
    figure under another unit's heading."""
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    client.force_login(world["provider_user"])
    url = reverse("diagnostics:diagnoses:edit", args=[report.pk])
    form_page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "拟投入费用（元）" in form_page and 'data-money=""' in form_page  # the unit and the live echo
    client.post(url, form_data(world, proposed_cost="380000", software_cost="250000"))
    detail = client.get(reverse("diagnostics:diagnoses:detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = detail.content.decode()
    cost = body.split('id="proposed-cost">', 1)[1].split("</dd>", 1)[0]
    assert "38.00 万元" in cost and "380,000.00 元" in cost
    assert "拟投入费用（万元）" not in body
    # The submitted version keeps the amounts and shows them in both units too.
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    version = client.get(reverse("diagnostics:diagnoses:version", args=[report.pk, 1]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    cost = version.content.decode().split('id="proposed-cost">', 1)[1].split("</dd>", 1)[0]
    assert "38.00 万元" in cost and "380,000.00 元" in cost


def test_the_create_page_proposes_today_and_a_flagged_report_is_submitted_only_after_a_warning(client, world):
    """Issue 18 item 11."""
    client.force_login(world["provider_user"])
    url = reverse("diagnostics:diagnoses:create") + f"?enterprise={world['ours'].pk}"
    assert f'value="{today().isoformat()}"' in client.get(url).content.decode()  # never an empty 创建日期
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    submit = reverse("diagnostics:diagnoses:action", args=[report.pk, "submit"])
    asked = client.post(submit, {"date": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = asked.content.decode()
    assert asked.status_code == 200 and 'id="action-confirm"' in body and 'id="confirm-facts"' in body
    report.refresh_from_db()
    assert report.status == "draft"  # nothing submitted until confirmed
    client.post(submit, {"confirmed": "1"})
    report.refresh_from_db()
    assert report.status == "submitted"
