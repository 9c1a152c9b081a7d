"""History back-fill pages (/funding/backfill/) and API (POST /api/v1/backfill/): who may use them, and the
upload → preview → commit → error sheet path."""

import io

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import BackgroundJob, DownloadLog
from core.navigation import nav_for
from core.roles import Role
from funding.models import BackfillBatch, Project
from tests.helpers import wait_for_job

from .backfill_files import (
    acceptance_row,
    full_history,
    make_world,
    post_level,
    project_row,
    upload,
    workbook_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
API = "/api/v1/backfill/"
MAY_UPLOAD = (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER)
MAY_NOT_UPLOAD = (Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR)


@pytest.fixture
def world(users):
    return make_world(users)


def signed_in(client, user):
    client.force_login(user)
    return client


def a_batch(user, world, *, commit=False, content=None):
    from funding.backfill import services as backfill

    content = content or workbook_bytes({"项目": [project_row(world), project_row(world, 1, filed_on="x")]})
    return backfill.backfill_import(actor=user, upload=upload(content), commit=commit)


# --- Pages: who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["backfill:upload", "backfill:template", "backfill:batches"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", MAY_NOT_UPLOAD)
def test_other_roles_may_not_upload_or_download_the_template(client, users, role):
    signed_in(client, users[role])
    assert client.get(reverse("backfill:upload")).status_code == 403
    assert client.get(reverse("backfill:template")).status_code == 403
    response = client.post(reverse("backfill:upload"), {"file": upload(b"x", "h.csv")})
    assert response.status_code == 403 and not BackfillBatch.objects.exists()


@pytest.mark.parametrize("role", MAY_UPLOAD)
def test_district_finance_and_admin_get_the_upload_page_and_template(client, users, role):
    signed_in(client, users[role])
    page = client.get(reverse("backfill:upload"))
    assert page.status_code == 200 and b'id="upload-form"' in page.content
    template = client.get(reverse("backfill:template"))
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames[:3] == ["项目", "验收", "拨付"]
    assert DownloadLog.objects.filter(kind="backfill_template", user=users[role]).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.UNIT_STAFF, 403),
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
        (Role.AUDITOR, 200),
        (Role.FINANCE_OFFICER, 200),
        (Role.DISTRICT_OFFICIAL, 200),
        (Role.ADMIN, 200),
    ],
)
def test_the_uploads_and_a_batch_are_read_by_the_roles_that_read_the_programme(client, users, world, role, status):
    batch = a_batch(users[Role.DISTRICT_OFFICIAL], world)
    signed_in(client, users[role])
    assert client.get(reverse("backfill:batches")).status_code == status
    assert client.get(reverse("backfill:batch", args=[batch.pk])).status_code == status
    assert client.get(reverse("backfill:errors", args=[batch.pk])).status_code == status


def test_the_menu_shows_the_back_fill_to_district_and_finance_only(users):
    def has_entry(role):
        return any(item["url"] == reverse("backfill:upload") for item in nav_for(users[role]))

    assert has_entry(Role.DISTRICT_OFFICIAL) and has_entry(Role.FINANCE_OFFICER) and has_entry(Role.ADMIN)
    assert not has_entry(Role.PROVIDER_USER) and not has_entry(Role.UNIT_STAFF) and not has_entry(Role.AUDITOR)


# --- Pages: upload, preview, commit, error sheet ------------------------------------------------------------


def test_upload_preview_commit_and_error_sheet_through_the_pages(client, users, world):
    official = users[Role.DISTRICT_OFFICIAL]
    signed_in(client, official)
    client.cookies["sjp_language"] = "en"
    content = workbook_bytes({"项目": [project_row(world), project_row(world, 1, filed_on="someday")]})
    response = client.post(reverse("backfill:upload"), {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en")
    preview = BackfillBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("backfill:batch", args=[preview.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert 'id="batch-preview"' in text and 'id="commit-button"' in text
    assert 'data-row="3"' in text and "备案日期" in text and "someday" in text
    assert not Project.objects.exists()

    response = client.post(reverse("backfill:commit", args=[preview.pk]))
    written = BackfillBatch.objects.get(preview_of=preview)
    assert response.status_code == 302 and response["Location"] == reverse("backfill:batch", args=[written.pk])
    page = client.get(response["Location"])
    assert b'id="batch-written"' in page.content and b'id="commit-button"' not in page.content
    assert Project.objects.count() == 1

    sheet = client.get(reverse("backfill:errors", args=[written.pk]))
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content))["项目"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][-1] == "错误说明"
    assert DownloadLog.objects.filter(kind="backfill_errors", user=official).exists()


def test_an_unreadable_file_is_shown_on_the_form_and_nothing_is_recorded(client, users, db):
    signed_in(client, users[Role.FINANCE_OFFICER])
    response = client.post(reverse("backfill:upload"), {"file": upload(b"%PDF-1.4", "h.xlsx")})
    assert response.status_code == 200 and b'id="upload-error"' in response.content
    assert not BackfillBatch.objects.exists()


def test_only_the_uploader_may_commit_a_preview_from_the_page(client, users, world):
    preview = a_batch(users[Role.DISTRICT_OFFICIAL], world)
    signed_in(client, users[Role.ADMIN])
    page = client.get(reverse("backfill:batch", args=[preview.pk]))
    assert b'id="commit-button"' not in page.content
    assert client.post(reverse("backfill:commit", args=[preview.pk])).status_code == 403
    signed_in(client, users[Role.AUDITOR])
    assert client.post(reverse("backfill:commit", args=[preview.pk])).status_code == 403
    assert not Project.objects.exists()


def test_committing_a_written_batch_again_says_why_not(client, users, world):
    official = users[Role.DISTRICT_OFFICIAL]
    written = a_batch(official, world, commit=True)
    signed_in(client, official)
    client.cookies["sjp_language"] = "en"
    response = client.post(reverse("backfill:commit", args=[written.pk]), follow=True)
    assert b"Only a finished preview can be written" in response.content
    assert Project.objects.count() == 1


# --- API ---------------------------------------------------------------------------------------------------------


def post(client, content, *, commit=None, name="history.xlsx"):
    data = {"file": upload(content, name)}
    if commit is not None:
        data["commit"] = "true" if commit else "false"
    return client.post(API, data, format="multipart", HTTP_ACCEPT_LANGUAGE="en")


def test_the_api_refuses_anonymous_callers(world):
    assert post(APIClient(), full_history(world)).status_code == 401


@pytest.mark.parametrize("role", MAY_NOT_UPLOAD)
def test_the_api_refuses_other_roles(api, users, world, role):
    response = post(api.as_user(users[role]), full_history(world))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not BackfillBatch.objects.exists()


def test_the_api_previews_by_default_and_commits_on_request_with_the_roster_result_shape(api, users, world):
    client = api.as_user(users[Role.ADMIN])
    post_level(world["enterprises"][0], 2)
    preview = post(client, full_history(world))
    assert preview.status_code == 200
    body = preview.json()
    assert set(body) >= {"batch", "committed", "totals", "rows"} and body["committed"] is False
    assert body["totals"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert set(body["rows"][0]) >= {"row", "action", "errors"} and body["rows"][0]["row"] == 2
    assert not Project.objects.exists()
    written = post(client, full_history(world), commit=True).json()
    assert written["committed"] is True and written["totals"] == body["totals"]
    assert Project.objects.get().status == "passed"
    again = post(client, full_history(world), commit=True).json()
    assert again["totals"]["unchanged"] == 3


def test_the_api_reports_row_errors_with_column_and_message(api, users, world):
    client = api.as_user(users[Role.DISTRICT_OFFICIAL])
    content = workbook_bytes({"项目": [project_row(world)], "验收": [acceptance_row(world, 0, passed="maybe")]})
    body = post(client, content, commit=True).json()
    error = next(r for r in body["rows"] if r["action"] == "error")
    assert (error["row"], error["sheet"]) == (2, "验收")
    assert error["errors"] == [{"column": "验收结论", "message": error["errors"][0]["message"]}]
    assert "是" in error["errors"][0]["message"]
    batch = client.get(f"{API}{body['batch']}/")
    assert batch.status_code == 200 and batch.json()["totals"]["error"] == 1
    sheet = client.get(f"{API}{body['batch']}/errors/", HTTP_ACCEPT=XLSX)
    assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX


def test_the_api_answers_an_unreadable_file_with_400_and_a_message(api, users, db):
    response = post(api.as_user(users[Role.FINANCE_OFFICER]), b"<html><table></table></html>", name="h.xls")
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_spreadsheet" and response.json()["field"] == "file"


def test_the_api_batch_of_another_is_hidden_from_roles_that_do_not_read_the_programme(api, users, world):
    batch = a_batch(users[Role.DISTRICT_OFFICIAL], world)
    assert api.as_user(users[Role.AUDITOR]).get(f"{API}{batch.pk}/").status_code == 200
    assert api.as_user(users[Role.PROVIDER_USER]).get(f"{API}{batch.pk}/").status_code == 403


def test_a_missing_batch_is_a_404_for_those_who_may_read_batches(client, users, db):
    import uuid

    signed_in(client, users[Role.FINANCE_OFFICER])
    assert client.get(reverse("backfill:batch", args=[uuid.uuid4()])).status_code == 404


# --- A long file through the real worker --------------------------------------------------------------------------


@pytest.mark.worker
def test_a_long_file_answers_202_and_a_real_worker_writes_it(celery_worker, api, users, monkeypatch, client):
    import funding.tasks  # noqa: F401 - registers the task in this process, as the upload does
    from funding.backfill import services as backfill

    monkeypatch.setattr(backfill, "INLINE_MAX_ROWS", 3)
    world = make_world(users, enterprises=4)
    official = users[Role.DISTRICT_OFFICIAL]
    rows = [project_row(world, i) for i in range(4)]
    rows[2] = project_row(world, 2, filed_on="not a date")
    api_client = api.as_user(official)
    response = post(api_client, workbook_bytes({"项目": rows}), commit=True)
    assert response.status_code == 202, response.content[:500]
    accepted = response.json()
    assert set(accepted) == {"batch", "status"} and accepted["status"] == "pending"
    signed_in(client, official)
    page = client.get(reverse("backfill:batch", args=[accepted["batch"]]))
    assert page.status_code == 200

    body, _seen = wait_for_job(api_client, f"{API}{accepted['batch']}/")
    assert body["status"] == "done", body.get("error")
    assert body["committed"] is True and body["progress"] == 100
    assert body["totals"] == {"create": 3, "update": 0, "unchanged": 0, "error": 1}
    assert body["rows"][2]["row"] == 4 and body["rows"][2]["action"] == "error"
    assert Project.objects.count() == 3
    batch = BackfillBatch.objects.get(pk=accepted["batch"])
    assert batch.job.status == BackgroundJob.Status.DONE and batch.job.kind == "history_backfill"
    page = client.get(reverse("backfill:batch", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert page.status_code == 204 and page["HX-Refresh"] == "true"
