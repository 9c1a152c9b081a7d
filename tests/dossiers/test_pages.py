"""The dossier pages: the button on the project, enterprise and indicator pages posts a request and lands on the
dossier's page, which shows the progress while it is built (polled by htmx) and the manifest and the download once
done; "My dossiers" lists them; a dossier outside the viewer's scope is a 404; the download is logged."""

import pytest
from django.urls import reverse

from core.models import DownloadLog
from core.roles import Role
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_the_button_is_on_the_project_enterprise_and_indicator_pages(client, world, users):
    client.force_login(users[Role.AUDITOR])
    for url in (
        reverse("funding:project_detail", args=[world["project"].pk]),
        reverse("enterprises:detail", args=[world["enterprise"].pk]),
        reverse("reports:indicators") + "?unit=310117001&period=2025",
    ):
        page = client.get(url).content.decode()
        assert 'id="request-dossier"' in page, url
        assert reverse("dossiers:request") in page, url


def test_a_provider_sees_no_dossier_button(client, world, make_user):
    provider_user = make_user(Role.PROVIDER_USER, provider=world["provider"])
    client.force_login(provider_user)
    page = client.get(reverse("funding:project_detail", args=[world["project"].pk])).content.decode()
    assert 'id="request-dossier"' not in page
    assert client.post(reverse("dossiers:request"), {"project": world["project"].pk}).status_code == 403


def test_the_page_flow_from_the_button_to_the_download(client, world, users, eager):
    client.force_login(users[Role.AUDITOR])
    response = eager(lambda: client.post(reverse("dossiers:request"), {"project": world["project"].pk}))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:detail", args=[dossier.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'id="dossier-download"' in page
    assert reverse("dossiers:zip", args=[dossier.pk]) in page
    assert "summary.pdf" in page and "manifest.json" in page and "audit_trail.csv" in page
    assert dossier.audit_head in page
    assert "审计档案" in page  # Chinese by default

    listing = client.get(reverse("dossiers:list")).content.decode()
    assert reverse("dossiers:detail", args=[dossier.pk]) in listing

    download = client.get(reverse("dossiers:zip", args=[dossier.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert DownloadLog.objects.filter(kind="dossier", user=users[Role.AUDITOR]).count() == 1


def test_a_dossier_being_built_shows_its_progress_and_polls(client, world, users):
    dossier = Dossier.objects.create(
        project=world["project"],
        title="x",
        requested_by=users[Role.AUDITOR],
        audit_head="0" * 64,
        status=Dossier.Status.RUNNING,
        progress_done=3,
        progress_total=12,
        progress_message="attachments",
    )
    client.force_login(users[Role.AUDITOR])
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert 'id="dossier-progress"' in page and 'hx-trigger="every 2s"' in page
    assert "25%" in page and "3 / 12" in page
    assert 'id="dossier-download"' not in page
    assert client.get(reverse("dossiers:zip", args=[dossier.pk])).status_code == 404
    fragment = client.get(reverse("dossiers:detail", args=[dossier.pk]), HTTP_HX_REQUEST="true")
    assert 'id="dossier-progress"' in fragment.content.decode()
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.DONE)
    finished = client.get(reverse("dossiers:detail", args=[dossier.pk]), HTTP_HX_REQUEST="true")
    assert finished.status_code == 204 and finished["HX-Refresh"] == "true"


def test_another_units_staff_get_404s(client, world, users, units, make_user):
    dossier = Dossier.objects.create(
        project=world["project"], title="x", requested_by=users[Role.UNIT_STAFF], audit_head="0" * 64
    )
    client.force_login(make_user(Role.UNIT_STAFF, unit=units["310117002"]))
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == 404
    assert client.post(reverse("dossiers:request"), {"project": world["project"].pk}).status_code == 404
    assert client.post(reverse("dossiers:request"), {"unit": "310117001", "period": "2025"}).status_code == 404
    assert client.get(reverse("dossiers:detail", args=["not-a-uuid"])).status_code == 404


def test_the_menu_links_my_dossiers_for_auditors(client, users):
    client.force_login(users[Role.AUDITOR])
    assert reverse("dossiers:list") in client.get("/").content.decode()
    client.force_login(users[Role.PROVIDER_USER])
    assert reverse("dossiers:list") not in client.get("/").content.decode()
