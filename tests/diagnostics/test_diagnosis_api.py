"""The diagnosis API: the contract's flow with only the named fields, scope (404 as for a missing
record), roles (403), states (409), dates, the signed PDF upload, transitions and filters."""

import pytest
from django.test import override_settings

from core.models import Attachment
from core.roles import Role
from diagnostics.models import Diagnosis

from .diagnosis_helpers import FULL_ANSWERS, PDF_BYTES, complete_content, days, pdf_upload, today

pytestmark = pytest.mark.django_db
BASE = "/api/v1/diagnoses/"


def create(api, user, enterprise, provider):
    return api.as_user(user).post(BASE, {"enterprise": enterprise.pk, "provider": provider.pk}, format="json")


def test_the_contract_flow_with_only_the_named_fields(api, users, world):
    provider_user, district = world["provider_user"], users[Role.DISTRICT_OFFICIAL]
    response = create(api, provider_user, world["ours"], world["provider"])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["id"] and body["complete"] is False
    assert {c["code"] for c in body["checklist"] if not c["ok"]} >= {"signed_pdf", "answers"}
    pk = body["id"]
    submitted = api.as_user(provider_user).post(f"{BASE}{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    returned = api.as_user(district).post(f"{BASE}{pk}/return/", {"reason": "缺少签字版"}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_count"] == 1
    again = api.as_user(provider_user).post(f"{BASE}{pk}/submit/", {"date": str(days(-1))}, format="json")
    assert again.json()["version"] == 2 and again.json()["last_submitted_on"] == str(days(-1))
    accepted = api.as_user(district).post(f"{BASE}{pk}/accept/", {}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted" and accepted.json()["is_current"] is True
    assert accepted.json()["accepted_on"] == str(today())


def test_admin_performs_every_step_through_the_api(api, users, world):
    admin = users[Role.ADMIN]
    pk = create(api, admin, world["unassigned"], world["other_provider"]).json()["id"]
    for step, data in (("submit", {}), ("return", {"reason": "x"}), ("submit", {}), ("accept", {"date": "2025-03-01"})):
        response = api.as_user(admin).post(f"{BASE}{pk}/{step}/", data, format="json")
        assert response.status_code == 200, (step, response.json())
    assert response.json()["accepted_on"] == "2025-03-01"


def test_a_step_not_allowed_from_the_state_answers_409_with_a_message(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(f"{BASE}{pk}/accept/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state" and response.json()["message"]
    api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    again = api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    assert again.status_code == 409
    patch = api.as_user(world["provider_user"]).patch(f"{BASE}{pk}/", {"summary": "x"}, format="json")
    assert patch.status_code == 409


def test_a_second_open_report_is_a_conflict(api, world):
    create(api, world["provider_user"], world["ours"], world["provider"])
    response = create(api, world["provider_user"], world["ours"], world["provider"])
    assert response.status_code == 409 and response.json()["code"] == "open_report_exists"


def test_future_dates_are_refused_and_past_ones_kept(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    future = api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {"date": str(days(1))}, format="json")
    assert future.status_code == 400 and future.json()["field"] == "date"
    bad = api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {"date": "31/12/2025"}, format="json")
    assert bad.status_code == 400 and "date" in bad.json()
    past = api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {"date": "2024-11-05"}, format="json")
    assert past.status_code == 200 and past.json()["submitted_on"] == "2024-11-05"


def test_return_needs_a_reason(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).post(f"{BASE}{pk}/return/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()


# --- scope and roles ---------------------------------------------------------------------------


def test_a_provider_never_sees_another_providers_reports(api, users, world):
    theirs = create(api, world["other_provider_user"], world["theirs"], world["other_provider"]).json()["id"]
    mine = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    client = api.as_user(world["provider_user"])
    assert [r["id"] for r in client.get(BASE).json()["results"]] == [mine]
    missing = client.get(f"{BASE}999999/")
    for path in (f"{BASE}{theirs}/", f"{BASE}{theirs}/transitions/"):
        response = client.get(path)
        assert response.status_code == 404 == missing.status_code
        assert response.json() == missing.json()
    for step in ("submit", "accept", "return"):
        assert client.post(f"{BASE}{theirs}/{step}/", {"reason": "x"}, format="json").status_code == 404
    assert client.patch(f"{BASE}{theirs}/", {"summary": "x"}, format="json").status_code == 404
    assert client.post(f"{BASE}{theirs}/signed-pdf/", {"file": pdf_upload()}, format="multipart").status_code == 404


def test_even_on_a_shared_enterprise_a_provider_sees_only_its_own_report(api, users, world):
    from providers.models import ProviderAssignment

    ProviderAssignment.objects.create(enterprise=world["ours"], provider=world["other_provider"], assigned_on=today())
    theirs = create(api, world["other_provider_user"], world["ours"], world["other_provider"]).json()["id"]
    assert api.as_user(world["provider_user"]).get(f"{BASE}{theirs}/").status_code == 404


def test_a_provider_cannot_create_for_an_enterprise_it_does_not_see(api, world):
    response = create(api, world["provider_user"], world["theirs"], world["provider"])
    assert response.status_code == 400 and response.json()["field"] == "enterprise"
    assert create(api, world["provider_user"], world["ours"], world["other_provider"]).status_code == 403


def test_unit_staff_read_their_units_reports_and_may_not_act(api, users, world):
    mine = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    theirs = create(api, world["other_provider_user"], world["theirs"], world["other_provider"]).json()["id"]
    clerk = api.as_user(users[Role.UNIT_STAFF])
    assert [r["id"] for r in clerk.get(BASE).json()["results"]] == [mine]
    assert clerk.get(f"{BASE}{theirs}/").status_code == 404
    assert clerk.post(f"{BASE}{mine}/submit/", {}, format="json").status_code == 403
    assert clerk.patch(f"{BASE}{mine}/", {"summary": "x"}, format="json").status_code == 403
    assert create(api, users[Role.UNIT_STAFF], world["ours"], world["provider"]).status_code == 403


def test_evaluators_read_the_reports_of_enterprises_assigned_to_them(api, users, world):
    mine = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    theirs = create(api, world["other_provider_user"], world["theirs"], world["other_provider"]).json()["id"]
    api.as_user(world["provider_user"]).post(f"{BASE}{mine}/submit/", {}, format="json")
    evaluator = api.as_user(users[Role.EVALUATOR])
    assert evaluator.get(f"{BASE}{mine}/").status_code == 200
    assert evaluator.get(f"{BASE}{theirs}/").status_code == 404
    assert evaluator.post(f"{BASE}{mine}/accept/", {}, format="json").status_code == 403
    assert api.as_user(world["other_evaluator"]).get(f"{BASE}{mine}/").status_code == 404


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR])
def test_read_only_roles_see_everything_and_move_nothing(api, users, world, role):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    client = api.as_user(users[role])
    assert client.get(f"{BASE}{pk}/").status_code == 200
    assert client.post(f"{BASE}{pk}/submit/", {}, format="json").status_code == 403


def test_anonymous_callers_are_refused(client, world):
    assert client.get(BASE).status_code in (401, 403)


# --- content -----------------------------------------------------------------------------------


def test_patch_scores_answers_and_reports_money_as_decimal_strings(api, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    content = complete_content() | {"diagnosed_on": str(days(-3)), "recommended_products": [world["recognised"].pk]}
    response = api.as_user(world["provider_user"]).patch(f"{BASE}{pk}/", content, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["score"] == 43.675 and body["level"] == 0 and body["index"] == "2024"
    assert body["proposed_cost"] == "500000.00" and body["software_share"] == 0.6
    assert body["target_scenes"] == ["production_control", "after_sales"]
    assert body["recommended_products"] == [world["recognised"].pk]
    assert [c["code"] for c in body["checklist"] if not c["ok"]] == ["signed_pdf"]


def test_patch_with_unscorable_answers_names_the_items(api, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    response = api.as_user(world["provider_user"]).patch(
        f"{BASE}{pk}/", {"answers": FULL_ANSWERS | {"planning": 9, "energy": "lower"}}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"planning", "energy"}


def test_patch_rejects_bad_values_with_field_messages(api, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    client = api.as_user(world["provider_user"])
    assert "target_level" in client.patch(f"{BASE}{pk}/", {"target_level": 7}, format="json").json()
    over = client.patch(f"{BASE}{pk}/", {"proposed_cost": "10", "software_cost": "20"}, format="json")
    assert over.status_code == 400 and over.json()["field"] == "software_cost"
    assert client.patch(f"{BASE}{pk}/", {"proposed_cost": "abc"}, format="json").status_code == 400


# --- signed PDF --------------------------------------------------------------------------------


def upload(api, user, pk, file):
    return api.as_user(user).post(f"{BASE}{pk}/signed-pdf/", {"file": file}, format="multipart")


def test_the_signed_pdf_is_uploaded_downloaded_and_replaced_keeping_the_old(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    first = upload(api, world["provider_user"], pk, pdf_upload("签字版.pdf"))
    assert first.status_code == 201, first.json()
    assert first.json()["signed_pdf"]["name"] == "签字版.pdf"
    assert "signed_pdf" not in [c["code"] for c in first.json()["checklist"] if not c["ok"]]
    second = upload(api, world["provider_user"], pk, pdf_upload("签字版-修订.pdf", PDF_BYTES + b"% v2\n"))
    assert second.json()["signed_pdf"]["name"] == "签字版-修订.pdf"
    assert Attachment.objects.filter(object_id=str(pk), purpose="signed_report").count() == 2
    download = api.as_user(users[Role.DISTRICT_OFFICIAL]).get(f"{BASE}{pk}/signed-pdf/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200 and b"".join(download.streaming_content).endswith(b"% v2\n")
    assert api.as_user(world["other_provider_user"]).get(f"{BASE}{pk}/signed-pdf/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.docx", b"PK\x03\x04 not a pdf", "file_type"),
        ("report.exe", b"MZ", "file_type"),
        ("fake.pdf", b"<html>this is not a pdf</html>", "file_not_pdf"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_uploads_of_the_wrong_type_or_a_fake_pdf_are_refused(api, world, name, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    response = upload(api, world["provider_user"], pk, SimpleUploadedFile(name, content))
    assert response.status_code == 400 and response.json()["code"] == code and response.json()["message"]
    assert not Attachment.objects.filter(object_id=str(pk)).exists()


@override_settings(PORTAL_MAX_UPLOAD_BYTES=1024)
def test_an_oversized_pdf_is_refused(api, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    response = upload(api, world["provider_user"], pk, pdf_upload(content=PDF_BYTES + b"0" * 4096))
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_a_missing_file_is_a_clear_400(api, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    response = api.as_user(world["provider_user"]).post(f"{BASE}{pk}/signed-pdf/", {}, format="multipart")
    assert response.status_code == 400 and response.json()["field"] == "file"


def test_after_submission_only_the_district_attaches_the_signed_pdf(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    assert upload(api, world["provider_user"], pk, pdf_upload()).status_code == 409
    assert upload(api, users[Role.DISTRICT_OFFICIAL], pk, pdf_upload()).status_code == 201
    assert upload(api, users[Role.UNIT_STAFF], pk, pdf_upload()).status_code == 403


# --- transitions and lists ---------------------------------------------------------------------


def test_transitions_list_the_timeline_with_versions(api, users, world):
    pk = create(api, world["provider_user"], world["ours"], world["provider"]).json()["id"]
    # one client: as_user() switches who it signs in as
    api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    api.as_user(users[Role.DISTRICT_OFFICIAL]).post(f"{BASE}{pk}/return/", {"reason": "补充"}, format="json")
    api.as_user(world["provider_user"]).post(f"{BASE}{pk}/submit/", {}, format="json")
    rows = api.as_user(world["provider_user"]).get(f"{BASE}{pk}/transitions/").json()
    assert [(r["action"], r["version"], r["actor"]) for r in rows] == [
        ("create", None, "provider_user"),
        ("submit", 1, "provider_user"),
        ("return", None, "district_user"),
        ("submit", 2, "provider_user"),
    ]
    assert rows[2]["reason"] == "补充" and rows[3]["snapshot"]["version"] == 2


def test_list_filters(api, users, world):
    ours = create(api, users[Role.DISTRICT_OFFICIAL], world["ours"], world["provider"]).json()["id"]
    theirs = create(api, users[Role.DISTRICT_OFFICIAL], world["theirs"], world["other_provider"]).json()["id"]
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    client.post(f"{BASE}{ours}/submit/", {}, format="json")
    client.post(f"{BASE}{ours}/accept/", {}, format="json")

    def ids(**params):
        return [r["id"] for r in client.get(BASE, params).json()["results"]]

    assert ids(enterprise=world["theirs"].pk) == [theirs]
    assert ids(provider=world["provider"].pk) == [ours]
    assert ids(status="draft") == [theirs]
    assert ids(is_current="true") == [ours]
    assert sorted(ids()) == sorted([ours, theirs])
    assert client.get(BASE, {"status": "flying"}).status_code == 400


def test_the_list_takes_a_fixed_number_of_queries(api, users, world, django_assert_max_num_queries):
    from diagnostics.services.diagnoses import diagnosis_attach_signed_pdf, diagnosis_create, diagnosis_update
    from providers.models import ProviderAssignment
    from tests.factories import EnterpriseFactory

    for _ in range(12):
        enterprise = EnterpriseFactory(unit=world["ours"].unit)
        ProviderAssignment.objects.create(enterprise=enterprise, provider=world["provider"], assigned_on=today())
        report = diagnosis_create(actor=world["provider_user"], enterprise=enterprise, provider=world["provider"])
        diagnosis_update(actor=world["provider_user"], diagnosis=report, recommended_products=[world["own_product"].pk])
        diagnosis_attach_signed_pdf(actor=world["provider_user"], diagnosis=report, upload=pdf_upload())
    client = api.as_user(world["provider_user"])
    with django_assert_max_num_queries(14):
        response = client.get(BASE)
    assert response.json()["count"] == 12
    assert all(r["signed_pdf"] for r in response.json()["results"])
    assert Diagnosis.objects.count() == 12
