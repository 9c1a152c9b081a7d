"""Scoping, written once: each role sees exactly its part of the registry."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import attachment_create
from core.roles import Role
from core.scoping import visible_enterprise_ids
from enterprises.models import Enterprise
from providers.models import EvaluationBody, Provider, ProviderAssignment
from providers.services import evaluator_assign, provider_assign
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory


@pytest.fixture
def world(users, units):
    """Two enterprises in 岳阳街道 (one assigned to the user's provider and body), one in 车墩镇."""
    district = users[Role.DISTRICT_OFFICIAL]
    ours = EnterpriseFactory(unit=units["310117001"], name="上海岳阳甲公司")
    ours_unassigned = EnterpriseFactory(unit=units["310117001"], name="上海岳阳乙公司")
    elsewhere = EnterpriseFactory(unit=units["310117104"], name="上海车墩丙公司")
    provider_assign(actor=district, enterprise=ours, provider=users[Role.PROVIDER_USER].provider)
    evaluator_assign(actor=district, enterprise=elsewhere, evaluation_body=users[Role.EVALUATOR].evaluation_body)
    other_provider = ProviderFactory()
    provider_assign(actor=district, enterprise=elsewhere, provider=other_provider)
    return {"ours": ours, "ours_unassigned": ours_unassigned, "elsewhere": elsewhere, "other_provider": other_provider}


def visible_names(user):
    return set(Enterprise.objects.visible_to(user).values_list("name", flat=True))


ALL = {"上海岳阳甲公司", "上海岳阳乙公司", "上海车墩丙公司"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_district_finance_and_auditors_see_every_enterprise(role, users, world):
    assert visible_names(users[role]) == ALL
    assert visible_enterprise_ids(users[role]) is None


def test_anonymous_and_deactivated_users_see_nothing(users, world):
    assert visible_names(AnonymousUser()) == set()
    official = users[Role.DISTRICT_OFFICIAL]
    official.is_active = False
    assert visible_names(official) == set()


def test_unit_staff_see_their_unit_only(users, world):
    assert visible_names(users[Role.UNIT_STAFF]) == {"上海岳阳甲公司", "上海岳阳乙公司"}


def test_provider_users_see_the_enterprises_assigned_to_their_provider(users, world):
    assert visible_names(users[Role.PROVIDER_USER]) == {"上海岳阳甲公司"}


def test_evaluators_see_the_enterprises_assigned_to_their_body(users, world):
    assert visible_names(users[Role.EVALUATOR]) == {"上海车墩丙公司"}


def test_records_of_an_enterprise_follow_its_visibility(users, world):
    visible = ProviderAssignment.objects.visible_to(users[Role.UNIT_STAFF])
    assert {a.enterprise.name for a in visible} == {"上海岳阳甲公司"}
    # An evaluator sees every assignment of the enterprises it evaluates, whoever the provider.
    assert (
        ProviderAssignment.objects.visible_to(users[Role.EVALUATOR]).filter(provider=world["other_provider"]).exists()
    )


def test_a_provider_user_sees_its_own_provider_record_only(users, world):
    assert list(Provider.objects.visible_to(users[Role.PROVIDER_USER])) == [users[Role.PROVIDER_USER].provider]
    assert Provider.objects.visible_to(users[Role.UNIT_STAFF]).count() == Provider.objects.count()
    assert list(EvaluationBody.objects.visible_to(users[Role.EVALUATOR])) == [users[Role.EVALUATOR].evaluation_body]
    assert not EvaluationBody.objects.visible_to(users[Role.PROVIDER_USER]).exists()


def test_provider_api_answers_404_outside_scope_as_for_a_missing_record(api, users, world):
    client = api.as_user(users[Role.PROVIDER_USER])
    own = users[Role.PROVIDER_USER].provider
    assert client.get(f"/api/v1/providers/{own.pk}/").status_code == 200
    outside = client.get(f"/api/v1/providers/{world['other_provider'].pk}/")
    missing = client.get("/api/v1/providers/999999/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_attachments_are_served_only_to_those_who_see_their_record(client, users, world, settings):
    upload = SimpleUploadedFile("诊断报告.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    attachment = attachment_create(actor=users[Role.DISTRICT_OFFICIAL], owner=world["ours"], upload=upload)
    assert attachment.file.name.startswith("attachments/") and "诊断" not in attachment.file.name
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    client.force_login(users[Role.ADMIN])
    assert client.get(f"/media/{attachment.file.name}").status_code == 404  # never served directly
    client.logout()
    url = f"/audit/files/{attachment.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for role, expected in [
        (Role.UNIT_STAFF, 200),
        (Role.PROVIDER_USER, 200),
        (Role.AUDITOR, 200),
        (Role.EVALUATOR, 404),
    ]:
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == expected, role
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    from core.models import DownloadLog

    assert DownloadLog.objects.filter(kind="attachment").count() == 3


def test_uploads_of_the_wrong_type_or_size_are_refused_with_a_message(users, world, settings):
    from core.errors import DomainError

    settings.PORTAL_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DomainError) as too_big:
        attachment_create(
            actor=users[Role.DISTRICT_OFFICIAL], owner=world["ours"], upload=SimpleUploadedFile("a.pdf", b"x" * 11)
        )
    assert too_big.value.code == "file_too_large"
    with pytest.raises(DomainError) as wrong_type:
        attachment_create(
            actor=users[Role.DISTRICT_OFFICIAL],
            owner=world["ours"],
            upload=SimpleUploadedFile("../../etc/evil.exe", b"MZ"),
        )
    assert wrong_type.value.code == "file_type"


def test_assignment_dates_in_the_future_are_refused(users, world):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        provider_assign(
            actor=users[Role.DISTRICT_OFFICIAL],
            enterprise=world["ours_unassigned"],
            provider=world["other_provider"],
            assigned_on=datetime.date(2999, 1, 1),
        )


def test_only_the_district_assigns_enterprises(users, world):
    from core.errors import PermissionDenied

    body = EvaluationBodyFactory()
    for role in (Role.UNIT_STAFF, Role.PROVIDER_USER, Role.AUDITOR, Role.FINANCE_OFFICER):
        with pytest.raises(PermissionDenied):
            evaluator_assign(actor=users[role], enterprise=world["ours"], evaluation_body=body)
