"""Security headers on pages, the API and downloads; uploaded files reachable only through the
permission-checked download, never by their stored path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.files import attachment_create
from core.roles import Role
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def _common(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_forbid_framing_foreign_scripts_and_plugins(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    for path in ("/", reverse("enterprises:list"), reverse("reports:indicators"), reverse("accounts:login")):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        _common(response)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "http" not in policy  # no outside host is allowed: the portal runs offline


def test_the_log_in_page_of_an_anonymous_visitor_has_the_headers(client):
    _common(client.get(reverse("accounts:login")))


def test_the_api_has_the_headers(api, users):
    response = api.as_user(users[Role.AUDITOR]).get("/api/v1/enterprises/")
    assert response.status_code == 200
    _common(response)


def test_an_uploaded_file_is_never_served_by_its_stored_path(client, users, units, settings):
    enterprise = EnterpriseFactory(unit=units["310117001"])
    upload = SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    attachment = attachment_create(actor=users[Role.DISTRICT_OFFICIAL], owner=enterprise, upload=upload)
    stored = settings.MEDIA_URL + attachment.file.name
    for role in (Role.DISTRICT_OFFICIAL, Role.UNIT_STAFF, Role.PROVIDER_USER):
        client.force_login(users[role])
        assert client.get(stored).status_code == 404, role
    # Through the download: for whoever may see the enterprise, as an attachment in a sandbox.
    url = reverse("core:attachment_download", args=[attachment.pk])
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(users[Role.PROVIDER_USER])  # not assigned to this enterprise
    assert client.get(url).status_code == 404
