"""The self-evaluation pages (no browser): who sees the menu entry, the list and the start form; the start, the
narrative revisions, the new version and the comparison through the pages; the downloads' Chinese names; what the
other roles are refused."""

import pytest
from django.urls import reverse

from core.models import DownloadLog
from core.roles import Role
from selfevaluations.models import NarrativeRevision, SelfEvaluation

pytestmark = pytest.mark.django_db


def test_the_menu_entry_and_the_list_are_for_the_district_auditors_and_admins(client, users):
    for role in (Role.DISTRICT_OFFICIAL, Role.ADMIN, Role.AUDITOR):
        client.force_login(users[role])
        home = client.get("/").content.decode()
        assert 'href="/self-evaluations/"' in home, role
        page = client.get("/self-evaluations/")
        assert page.status_code == 200
        assert ('id="selfevaluation-start"' in page.content.decode()) == (role != Role.AUDITOR)
    for role in (Role.FINANCE_OFFICER, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR):
        client.force_login(users[role])
        assert 'href="/self-evaluations/"' not in client.get("/").content.decode(), role
        assert client.get("/self-evaluations/").status_code == 403
        assert client.post("/self-evaluations/start/", {"stage": "final"}).status_code == 403


def test_start_write_regenerate_compare_and_download(client, world, users, eager):
    official = users[Role.DISTRICT_OFFICIAL]
    client.force_login(official)
    response = eager(lambda: client.post("/self-evaluations/start/", {"stage": "final", "as_of": "2025-06-30"}))
    first = SelfEvaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("selfevaluations:detail", args=[first.pk])
    first.refresh_from_db()
    assert first.status == "done"
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'id="selfevaluation-docx"' in page and str(first.snapshot_id) in page

    saved = client.post(
        reverse("selfevaluations:narrative", args=[first.pk]),
        {"section": "next_steps", "next_steps-section": "next_steps", "next_steps-text": "加快推进验收。"},
    )
    assert saved.status_code == 302
    revision = NarrativeRevision.objects.get()
    assert (revision.stage, revision.section, revision.author) == ("final", "next_steps", official)
    assert "加快推进验收。" in client.get(first.get_absolute_url()).content.decode()

    eager(lambda: client.post(reverse("selfevaluations:regenerate", args=[first.pk])))
    second = SelfEvaluation.objects.exclude(pk=first.pk).get()
    assert second.version == 2 and second.status == "done" and second.narratives[0]["section"] == "next_steps"
    compared = client.get(reverse("selfevaluations:compare", args=[second.pk]) + f"?with={first.pk}")
    assert compared.status_code == 200
    assert 'id="selfevaluation-no-changes"' in compared.content.decode()  # the same day, the same figures

    docx = client.get(reverse("selfevaluations:docx", args=[second.pk]))
    assert docx.status_code == 200
    assert (
        "filename*=utf-8''" in docx["Content-Disposition"] and "%E7%AC%AC2%E7%89%88.docx" in docx["Content-Disposition"]
    )
    pdf = client.get(reverse("selfevaluations:pdf", args=[second.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert DownloadLog.objects.filter(kind="selfevaluation", user=official).count() == 2


def test_an_auditor_reads_but_does_not_write(client, world, users, eager):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    eager(lambda: client.post("/self-evaluations/start/", {"stage": "midterm"}))
    evaluation = SelfEvaluation.objects.get()
    client.force_login(users[Role.AUDITOR])
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert 'id="selfevaluation-regenerate"' not in page and "<textarea" not in page
    assert client.post(reverse("selfevaluations:regenerate", args=[evaluation.pk])).status_code == 403
    assert (
        client.post(
            reverse("selfevaluations:narrative", args=[evaluation.pk]),
            {"section": "work", "work-section": "work", "work-text": "x"},
        ).status_code
        == 403
    )
    assert client.get(reverse("selfevaluations:docx", args=[evaluation.pk])).status_code == 200
    assert client.get("/self-evaluations/not-a-uuid/").status_code == 404


def test_bad_input_on_the_pages_is_a_message_not_an_error(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    for body in ({"stage": "nope"}, {"stage": "final", "as_of": "2999-01-01"}, {"stage": "final", "as_of": "x"}):
        response = client.post("/self-evaluations/start/", body, follow=True)
        assert response.status_code == 200
        assert SelfEvaluation.objects.count() == 0
