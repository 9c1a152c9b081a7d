"""Who may ask for each document and who may download it: anonymous, wrong role, in scope, out of
scope (a 404, exactly like a missing record); a download re-checks the scope of its requester."""

import uuid

import pytest
from django.urls import reverse

from core.models import GeneratedDocument, OrgUnit
from core.roles import Role
from reports.services import documents
from tests.factories import ProviderFactory

LOGIN = "/accounts/login/"


@pytest.fixture
def people(users, make_user, units, world):
    """Every role, with the provider that serves the world's enterprise and a foreign one."""
    return {
        **{role.value: user for role, user in users.items()},
        "own_provider": make_user(Role.PROVIDER_USER, provider=world["provider"]),
        "other_provider": make_user(Role.PROVIDER_USER, provider=ProviderFactory()),
        "other_unit": make_user(Role.UNIT_STAFF, unit=units["310117104"]),
    }


def ask(client, user, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.post(url, data or {})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),  # to the log-in page
        ("other_provider", 404),
        ("evaluator", 404),  # an evaluator not assigned to the enterprise
        ("other_unit", 404),
        ("own_provider", 302),
        ("unit_staff", 302),
        ("auditor", 302),
        ("finance_officer", 302),
    ],
)
def test_who_may_ask_for_the_enterprise_file_and_the_dossier(client, people, world, who, status):
    for name, pk in (
        ("reports:document_enterprise_file", world["enterprise"].pk),
        ("reports:document_project_dossier", world["project"].pk),
    ):
        before = GeneratedDocument.objects.count()
        response = ask(client, people.get(who), reverse(name, args=[pk]))
        assert response.status_code == status, (name, who)
        if who is None:
            assert response["Location"].startswith(LOGIN)
        created = GeneratedDocument.objects.count() - before
        assert created == (1 if status == 302 and who else 0), (name, who)


def test_a_missing_subject_is_a_404_and_a_get_is_refused(client, people):
    client.force_login(people["auditor"])
    assert client.post(reverse("reports:document_enterprise_file", args=[999999])).status_code == 404
    assert client.post(reverse("reports:document_project_dossier", args=[999999])).status_code == 404
    assert client.get(reverse("reports:document_enterprise_file", args=[999999])).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("unit_staff", 403),
        ("own_provider", 403),
        ("evaluator", 403),
        ("auditor", 302),
        ("finance_officer", 302),
        ("district_official", 302),
    ],
)
def test_who_may_ask_for_the_ledger_statement(client, people, who, status):
    response = ask(client, people.get(who), reverse("reports:document_ledger_statement"), {"date_from": "2025-01-01"})
    assert response.status_code == status
    assert GeneratedDocument.objects.count() == (1 if status == 302 and who else 0)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date_from": "2025-07-01", "date_to": "2025-06-30"}, "date_from"),
        ({"date_to": "2999-01-01"}, "date_to"),
        ({"date_from": "2025-02-30"}, "date_from"),
    ],
)
def test_a_bad_range_is_shown_on_the_form(client, people, data, field):
    client.force_login(people["finance_officer"])
    response = client.post(reverse("reports:document_ledger_statement"), data)
    assert response.status_code == 200 and response.context["form"].errors.get(field)
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("own_provider", 403), ("evaluator", 403), ("unit_staff", 302), ("auditor", 302)],
)
def test_who_may_ask_for_an_evidence_pack(client, people, who, status):
    data = {"period": "2025", "unit": "310117001", "number": "1", "as_of": "2025-12-31"}
    response = ask(client, people.get(who), reverse("reports:document_evidence_pack"), data)
    assert response.status_code == status
    assert GeneratedDocument.objects.count() == (1 if status == 302 and who else 0)


def test_a_download_is_for_its_requester_while_they_still_see_the_subject(client, eager, people, world):
    staff = people["unit_staff"]
    client.force_login(staff)
    eager(client, reverse("reports:document_enterprise_file", args=[world["enterprise"].pk]))
    document = GeneratedDocument.objects.get()
    url = reverse("reports:document_download", args=[document.pk])
    assert client.get(url).status_code == 200
    for other in ("auditor", "other_unit", "admin"):  # someone else's document: as if it did not exist
        client.force_login(people[other])
        assert client.get(url).status_code == 404, other
    client.logout()
    assert client.get(url)["Location"].startswith(LOGIN)
    client.force_login(people["auditor"])
    assert client.get(reverse("reports:document_download", args=[uuid.uuid4()])).status_code == 404
    # The requester moved to another unit: the enterprise is out of scope, so is the file.
    staff.unit = OrgUnit.objects.get(code="310117104")
    staff.save()
    client.force_login(staff)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:documents")).status_code == 200


def test_a_document_still_rendering_is_not_downloadable_yet(client, people, world):
    auditor = people["auditor"]
    document = documents.document_create(
        actor=auditor, kind="enterprise_file", subject_id=world["enterprise"].pk, title="x"
    )
    client.force_login(auditor)
    response = client.get(reverse("reports:document_download", args=[document.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:documents")
    assert len(list(response.context["messages"])) == 1


def test_my_documents_lists_only_my_own(client, people, world):
    mine = documents.document_create(
        actor=people["auditor"], kind="enterprise_file", subject_id=world["enterprise"].pk, title="mine"
    )
    theirs = documents.document_create(
        actor=people["district_official"], kind="enterprise_file", subject_id=world["enterprise"].pk, title="theirs"
    )
    client.force_login(people["auditor"])
    body = client.get(reverse("reports:documents")).content.decode()
    assert f"document-{mine.pk}" in body and f"document-{theirs.pk}" not in body
    client.logout()
    assert client.get(reverse("reports:documents"))["Location"].startswith(LOGIN)


def test_the_buttons_are_on_the_enterprise_project_and_ledger_pages(client, people, world):
    client.force_login(people["auditor"])
    page = client.get(reverse("enterprises:detail", args=[world["enterprise"].pk])).content.decode()
    assert reverse("reports:document_enterprise_file", args=[world["enterprise"].pk]) in page
    page = client.get(reverse("funding:project_detail", args=[world["project"].pk])).content.decode()
    assert reverse("reports:document_project_dossier", args=[world["project"].pk]) in page
    page = client.get(reverse("funding:ledger")).content.decode()
    assert reverse("reports:document_ledger_statement") in page


def test_my_documents_costs_the_same_queries_for_one_or_many(client, people, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    auditor = people["auditor"]
    client.force_login(auditor)

    def ask_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:documents")).status_code == 200
        return len(captured)

    documents.document_create(actor=auditor, kind="enterprise_file", subject_id=world["enterprise"].pk, title="1")
    one = ask_page()
    for n in range(5):
        documents.document_create(actor=auditor, kind="project_dossier", subject_id=world["project"].pk, title=str(n))
    assert ask_page() == one
