"""POST /api/v1/enterprises/import/, GET …/import/{batch}/ and …/errors/: the contract and who may call them,
including a large file processed by the real Celery worker on Redis."""

import pytest
from rest_framework.test import APIClient

import enterprises.tasks  # noqa: F401 - registers the import task in this process, as EnterprisesConfig.ready does
from core.models import BackgroundJob, DownloadLog
from core.roles import Role
from enterprises import imports
from enterprises.models import Enterprise, ImportBatch
from tests.helpers import wait_for_job

from .rosters import XLSX_TYPE, code, csv_bytes, row, sheet_rows, upload, xlsx_bytes

URL = "/api/v1/enterprises/import/"


def post(client, content, *, name="roster.xlsx", commit=None, language="en"):
    data = {"file": upload(content, name)}
    if commit is not None:
        data["commit"] = "true" if commit else "false"
    return client.post(URL, data, format="multipart", HTTP_ACCEPT_LANGUAGE=language)


# --- Who may call ---------------------------------------------------------------------------------------


def test_anonymous_callers_get_401(db):
    response = post(APIClient(), xlsx_bytes([row(1)]))
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.EVALUATOR, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_roles_that_may_not_import_get_403(api, users, role):
    response = post(api.as_user(users[role]), xlsx_bytes([row(1)]))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied" and "district official" in response.json()["message"]
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.DISTRICT_OFFICIAL, Role.ADMIN])
def test_unit_staff_district_and_admin_may_import(api, users, role):
    response = post(api.as_user(users[role]), xlsx_bytes([row(1)]))
    assert response.status_code == 200, response.json()
    assert response.json()["totals"]["create"] == 1


def test_unit_staff_rows_for_another_unit_come_back_as_errors(api, users):
    response = post(api.as_user(users[Role.UNIT_STAFF]), xlsx_bytes([row(1), row(2, unit="310117104")]), commit=True)
    body = response.json()
    assert response.status_code == 200 and body["committed"] is True
    assert body["totals"] == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    error = body["rows"][1]
    assert error["row"] == 3 and error["action"] == "error" and error["credit_code"] == code(2)
    assert error["errors"][0]["column"] == "所属街镇"
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [code(1)]


# --- Preview and commit ------------------------------------------------------------------------------------


def test_commit_defaults_to_false_and_writes_nothing(api, users):
    response = post(api.as_user(users[Role.DISTRICT_OFFICIAL]), xlsx_bytes([row(1), row(2)]))
    body = response.json()
    assert response.status_code == 200
    assert body["committed"] is False and body["totals"]["create"] == 2
    assert set(body) == {"batch", "committed", "totals", "rows"}
    assert Enterprise.objects.count() == 0


def test_commit_true_writes_with_the_caller_as_actor(api, users):
    district = users[Role.DISTRICT_OFFICIAL]
    csv = csv_bytes([row(1), row(2)], encoding="gbk")
    response = post(api.as_user(district), csv, name="roster.csv", commit=True)
    body = response.json()
    assert body["committed"] is True and body["totals"]["create"] == 2
    enterprise = Enterprise.objects.get(credit_code=code(1))
    assert enterprise.status == "active"
    version = enterprise.history.get()
    assert version.history_user == district and version.history_change_reason == f"import:{body['batch']}"


@pytest.mark.parametrize(
    ("content", "name", "code_"),
    [
        (b"", "roster.xlsx", "file_empty"),
        (b"%PDF-1.4 not a roster", "roster.xlsx", "not_a_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "roster.xls", "old_excel_format"),
        ("企业名称,所属街镇,细分行业\n甲,岳阳,其他\n".encode(), "roster.csv", "missing_columns"),
        (xlsx_bytes([]), "roster.xlsx", "empty_roster"),
    ],
)
def test_bad_files_get_400_with_a_code_and_a_message(api, users, content, name, code_):
    response = post(api.as_user(users[Role.UNIT_STAFF]), content, name=name)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == code_ and body["message"]


def test_an_oversized_file_gets_400(api, users, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 2048
    response = post(api.as_user(users[Role.UNIT_STAFF]), csv_bytes([row(i) for i in range(50)]), name="r.csv")
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"


def test_a_request_without_a_file_gets_400(api, users):
    response = api.as_user(users[Role.UNIT_STAFF]).post(URL, {"commit": "true"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


def test_messages_follow_the_request_language(api, users):
    response = post(api.as_user(users[Role.UNIT_STAFF]), b"%PDF-1.4", language="en")
    assert "not a spreadsheet" in response.json()["message"]


def test_a_failed_commit_answers_409_and_writes_nothing(api, users, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "bulk_create_with_history", broken)
    response = post(api.as_user(users[Role.DISTRICT_OFFICIAL]), xlsx_bytes([row(1)]), commit=True)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "import_failed" and body["status"] == "failed" and body["batch"]
    assert Enterprise.objects.count() == 0


# --- Polling a batch and its error sheet ----------------------------------------------------------------------


def test_the_uploader_and_the_district_read_a_batch_others_get_404(api, users, make_user, units):
    clerk = users[Role.UNIT_STAFF]
    batch_id = post(api.as_user(clerk), xlsx_bytes([row(1), row(2, sector="机械")])).json()["batch"]
    url = f"{URL}{batch_id}/"
    for user in (clerk, users[Role.DISTRICT_OFFICIAL], users[Role.ADMIN]):
        response = api.as_user(user).get(url)
        assert response.status_code == 200
        body = response.json()
        assert body["batch"] == batch_id and body["status"] == "done"
        assert body["totals"] == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
        assert body["rows"][1]["errors"][0]["column"] == "细分行业"
    other_clerk = make_user(Role.UNIT_STAFF, unit=units["310117104"])
    for user in (other_clerk, users[Role.PROVIDER_USER], users[Role.FINANCE_OFFICER]):
        assert api.as_user(user).get(url).status_code == 404
        assert api.as_user(user).get(url + "errors/").status_code == 404
    assert APIClient().get(url).status_code == 401
    assert api.as_user(clerk).get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("accept", ["*/*", XLSX_TYPE])
def test_the_error_sheet_is_served_as_xlsx_and_logged(api, users, accept):
    clerk = users[Role.UNIT_STAFF]
    client = api.as_user(clerk)
    batch_id = post(client, xlsx_bytes([row(1), row(2, unit="火星"), row(3, employees="-5")])).json()["batch"]
    response = client.get(f"{URL}{batch_id}/errors/", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    rows = sheet_rows(response.content)
    assert rows[0][-1] == "错误说明" and rows[0][0] == "统一社会信用代码"
    assert [r[0] for r in rows[1:]] == [code(2), code(3)]
    assert "所属街镇" in rows[1][-1] and "从业人数" in rows[2][-1]
    assert DownloadLog.objects.filter(user=clerk, kind="roster_errors").count() == 1


def test_the_schema_documents_the_import_endpoints(api, users):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert any(p.startswith("/api/v1/enterprises/import/") for p in paths)
    operation = paths["/api/v1/enterprises/import/"]["post"]
    assert {"200", "202", "400", "403"} <= set(operation["responses"])


# --- A large file through the real worker --------------------------------------------------------------------


@pytest.mark.worker
def test_a_file_above_5000_rows_answers_202_and_a_real_worker_imports_it(celery_worker, api, users, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    district = users[Role.DISTRICT_OFFICIAL]
    client = api.as_user(district)
    rows = [row(i, unit=("岳阳", "车墩镇", "经开区")[i % 3]) for i in range(5_050)]
    rows[17] = row(17, sector="机械")
    response = post(client, csv_bytes(rows), name="large.csv", commit=True)
    assert response.status_code == 202, response.content[:500]
    accepted = response.json()
    assert set(accepted) == {"batch", "status"} and accepted["status"] == "pending"

    body, _seen = wait_for_job(client, f"{URL}{accepted['batch']}/")
    assert body["status"] == "done", body.get("error")
    assert body["committed"] is True and body["progress"] == 100
    assert body["totals"] == {"create": 5_049, "update": 0, "unchanged": 0, "error": 1}
    assert len(body["rows"]) == 5_050 and body["rows"][17]["row"] == 19 and body["rows"][17]["action"] == "error"
    assert Enterprise.objects.count() == 5_049
    batch = ImportBatch.objects.get(pk=accepted["batch"])
    assert batch.job.status == BackgroundJob.Status.DONE and batch.job.attempts == 1
    assert Enterprise.history.filter(history_change_reason=f"import:{batch.pk}", history_user=district).count() == 5_049
