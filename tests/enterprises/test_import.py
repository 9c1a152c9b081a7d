"""The roster import service and its pages: classification, scope, the atomic bulk commit, history, the
background task, the error sheet, and who may reach each page."""

from decimal import Decimal

import pytest
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from core.models import BackgroundJob, DownloadLog
from core.roles import Role
from core.tabular.batches import ProgressReporter
from enterprises import imports
from enterprises.choices import Status
from enterprises.models import Enterprise, EnterpriseStatusChange, ImportBatch
from enterprises.tasks import roster_import_task
from tests.factories import EnterpriseFactory

from .rosters import HEADERS, XLSX_TYPE, code, csv_bytes, row, sheet_rows, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(users):
    return users[Role.UNIT_STAFF]  # 岳阳街道 310117001


@pytest.fixture
def district(users):
    return users[Role.DISTRICT_OFFICIAL]


def run(actor, rows, *, commit=False, headers=HEADERS, name="roster.xlsx", content=None):
    content = content if content is not None else xlsx_bytes(rows, headers)
    return imports.roster_import(actor=actor, upload=upload(content, name), commit=commit)


def by_row(batch):
    return {r["row"]: r for r in batch.result["rows"]}


def messages(result_row):
    return [(e["column"], e["message"]) for e in result_row["errors"]]


# --- Classification ----------------------------------------------------------------------------------


def test_a_preview_classifies_every_row_and_writes_nothing(clerk, units):
    stored = EnterpriseFactory(
        credit_code=code(2),
        name="上海已登记有限公司",
        unit=units["310117001"],
        sector="high_end_equipment",
        scale="above",
        size="small",
        tier="none",
        employees=100,
        revenue=Decimal("2000"),
    )
    changed = EnterpriseFactory(credit_code=code(3), unit=units["310117001"], name="旧名称有限公司")
    before = (Enterprise.objects.count(), Enterprise.history.count(), EnterpriseStatusChange.objects.count())
    batch = run(
        clerk,
        [
            row(1),
            row(
                2,
                name=stored.name,
                contact_name=stored.contact_name,
                contact_phone=stored.contact_phone,
                registered_address=stored.registered_address,
                main_products=stored.main_products,
            ),
            row(3, name="新名称有限公司"),
            row(4, sector="机械"),
        ],
    )
    assert batch.status == ImportBatch.Status.DONE and batch.committed is False
    assert batch.result["totals"] == {"create": 1, "update": 1, "unchanged": 1, "error": 1}
    assert [(r["row"], r["action"]) for r in batch.result["rows"]] == [
        (2, "create"),
        (3, "unchanged"),
        (4, "update"),
        (5, "error"),
    ]
    assert by_row(batch)[2]["credit_code"] == code(1) and by_row(batch)[2]["errors"] == []
    assert (Enterprise.objects.count(), Enterprise.history.count(), EnterpriseStatusChange.objects.count()) == before
    changed.refresh_from_db()
    assert changed.name == "旧名称有限公司"
    assert batch.file.name.startswith("rosters/") and batch.file_format == "xlsx" and batch.uploaded_by == clerk
    assert batch.row_count == 4 and batch.totals == batch.result["totals"]


def test_the_result_has_the_contracts_shape(clerk):
    batch = run(clerk, [row(1), row(2, credit_code="bad")])
    result = batch.result
    assert set(result) == {"batch", "committed", "totals", "rows"}
    assert result["batch"] == str(batch.pk)
    assert set(result["totals"]) == {"create", "update", "unchanged", "error"}
    for r in result["rows"]:
        assert set(r) == {"row", "action", "credit_code", "errors"}
    assert by_row(batch)[3]["errors"][0].keys() == {"column", "message"}


def test_a_blank_optional_cell_keeps_the_stored_value_on_update(clerk, units):
    stored = EnterpriseFactory(credit_code=code(1), unit=units["310117001"], contact_phone="021-5781", employees=80)
    batch = run(clerk, [row(1, name="改名有限公司", contact_phone="", employees=None, revenue=None)], commit=True)
    assert by_row(batch)[2]["action"] == "update"
    stored.refresh_from_db()
    assert stored.name == "改名有限公司" and stored.contact_phone == "021-5781" and stored.employees == 80


def test_a_row_equal_to_what_is_stored_is_unchanged_even_with_blank_optional_cells(clerk, units):
    EnterpriseFactory(
        credit_code=code(1),
        name="上海不变有限公司",
        unit=units["310117001"],
        sector="auto_parts",
        scale="below",
        size="micro",
        tier="srdi",
        employees=10,
        revenue=Decimal("15.50"),
    )
    batch = run(
        clerk,
        [
            row(
                1,
                name="上海不变有限公司",
                sector="汽车零部件",
                scale="规下",
                size="微型",
                tier="专精特新中小企业",
                employees="",
                revenue="15.5",
            )
        ],
        commit=True,
    )
    assert by_row(batch)[2]["action"] == "unchanged"
    assert Enterprise.history.filter(history_change_reason=imports.change_reason(batch)).count() == 0


def test_a_blank_tier_means_none_also_on_update(clerk, units):
    stored = EnterpriseFactory(credit_code=code(1), unit=units["310117001"], tier="srdi")
    batch = run(clerk, [row(1, name=stored.name, tier="")], commit=True)
    stored.refresh_from_db()
    assert by_row(batch)[2]["action"] == "update" and stored.tier == "none"


def test_a_code_repeated_within_the_file_is_an_error_on_each_later_row(clerk):
    batch = run(clerk, [row(1), row(2), row(1, name="重复甲"), row(1, credit_code=code(1).lower())])
    rows = by_row(batch)
    assert rows[2]["action"] == "create" and rows[3]["action"] == "create"
    for later in (4, 5):
        ((column, message),) = messages(rows[later])
        assert rows[later]["action"] == "error" and column == "统一社会信用代码" and "row 2" in message


def test_every_error_kind_is_reported_with_row_column_and_reason(clerk):
    batch = run(
        clerk,
        [
            row(1, credit_code="91350100M0001TGQXM"),
            row(2, unit="浦东新区"),
            row(3, tier="小小巨人"),
            row(4, employees=-3),
            row(5, employees="12.5"),
            row(6, revenue="-1"),
            row(7, name=""),
        ],
    )
    expected = {
        2: ("统一社会信用代码", "district official"),
        3: ("所属街镇", "浦东新区"),
        4: ("优质中小企业梯度", "小小巨人"),
        5: ("从业人数", "whole number"),
        6: ("从业人数", "whole number"),
        7: ("营业收入（万元）", "0 or more"),
        8: ("企业名称", "name"),
    }
    rows = by_row(batch)
    for number, (column, fragment) in expected.items():
        ((got_column, message),) = messages(rows[number])
        assert rows[number]["action"] == "error" and got_column == column and fragment in message, number
    assert batch.result["totals"]["error"] == 7


def test_a_credit_code_that_lost_its_digits_in_a_csv_is_an_error(clerk):
    batch = run(
        clerk,
        [row(1, credit_code="9.13101E+17")],
        content=csv_bytes([row(1, credit_code="9.13101E+17")]),
        name="roster.csv",
    )
    ((column, message),) = messages(by_row(batch)[2])
    assert column == "统一社会信用代码" and "lost" in message


def test_errors_name_the_column_as_written_in_the_file(clerk):
    headers = ["credit_code", "Enterprise name", "Street/town", "sector", "scale", "size"]
    batch = run(clerk, [row(1, unit="火星")[:6]], headers=headers)
    assert messages(by_row(batch)[2])[0][0] == "Street/town"


# --- Scope -------------------------------------------------------------------------------------------------


def test_unit_staff_rows_for_another_unit_are_errors_on_the_unit_column(clerk):
    batch = run(clerk, [row(1), row(2, unit="车墩镇")], commit=True)
    ((column, message),) = messages(by_row(batch)[3])
    assert column == "所属街镇" and "岳阳街道" in message and "车墩镇" in message
    assert Enterprise.objects.filter(credit_code=code(2)).count() == 0
    assert Enterprise.objects.filter(credit_code=code(1)).count() == 1


def test_unit_staff_cannot_touch_another_units_enterprise_by_its_code(clerk, units):
    theirs = EnterpriseFactory(credit_code=code(1), unit=units["310117104"], name="车墩的企业")
    batch = run(clerk, [row(1, name="冒名更新")], commit=True)
    ((column, message),) = messages(by_row(batch)[2])
    assert column == "所属街镇" and "another street/town" in message
    assert "车墩" not in message, "the other unit's enterprise stays outside the clerk's scope"
    theirs.refresh_from_db()
    assert theirs.name == "车墩的企业" and theirs.unit.code == "310117104"


def test_an_import_never_moves_an_enterprise_between_units(district, units):
    stored = EnterpriseFactory(credit_code=code(1), unit=units["310117104"])
    batch = run(district, [row(1, name=stored.name)], commit=True)
    ((column, message),) = messages(by_row(batch)[2])
    assert column == "所属街镇" and "车墩镇" in message and "Move to another unit" in message
    stored.refresh_from_db()
    assert stored.unit.code == "310117104"


def test_unit_staff_cannot_change_a_withdrawn_enterprise(clerk, units):
    EnterpriseFactory(credit_code=code(1), unit=units["310117001"], status=Status.WITHDRAWN, name="已退出")
    batch = run(clerk, [row(1, name="改名")])
    ((column, message),) = messages(by_row(batch)[2])
    assert column == "统一社会信用代码" and "district" in message


@pytest.mark.parametrize("role", [Role.PROVIDER_USER, Role.EVALUATOR, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_roles_that_may_not_import_are_refused(users, role):
    with pytest.raises(DomainError) as info:
        run(users[role], [row(1)])
    assert info.value.status == 403
    assert ImportBatch.objects.count() == 0


# --- Commit ----------------------------------------------------------------------------------------------


def test_a_unit_staff_commit_proposes_new_enterprises_with_history_and_status_changes(clerk):
    batch = run(clerk, [row(1, tier="专精特新“小巨人”", contact_phone=13800001111), row(2)], commit=True)
    assert batch.committed is True and batch.result["committed"] is True
    created = Enterprise.objects.get(credit_code=code(1))
    assert created.status == Status.PROPOSED and created.created_by == clerk and created.tier == "little_giant"
    assert created.contact_phone == "13800001111" and created.unit.code == "310117001"
    (version,) = created.history.all()
    assert version.history_type == "+" and version.history_user == clerk
    assert version.history_change_reason == f"import:{batch.pk}"
    (change,) = created.status_changes.all()
    assert change.kind == "created" and change.to_status == Status.PROPOSED and change.batch == batch
    assert change.actor == clerk


def test_a_district_commit_puts_new_enterprises_in_the_pilot_list_and_records_updates(district, units):
    stored = EnterpriseFactory(credit_code=code(2), unit=units["310117001"], name="旧名", status=Status.PROPOSED)
    batch = run(district, [row(1, unit="经开区"), row(2, name="新名")], commit=True)
    assert batch.result["totals"] == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    created = Enterprise.objects.get(credit_code=code(1))
    assert created.status == Status.ACTIVE and created.unit.code == "310117501"
    stored.refresh_from_db()
    assert stored.name == "新名" and stored.status == Status.PROPOSED, "an import never changes a status"
    latest = stored.history.latest()
    assert latest.history_type == "~" and latest.history_user == district
    assert latest.history_change_reason == f"import:{batch.pk}"
    assert latest.prev_record.name == "旧名"


def test_a_failure_while_writing_leaves_nothing_half_written(clerk, units, monkeypatch):
    EnterpriseFactory(credit_code=code(5), unit=units["310117001"], name="原名")
    counts = (Enterprise.objects.count(), Enterprise.history.count(), EnterpriseStatusChange.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "bulk_update_with_history", broken)
    batch = run(clerk, [row(1), row(2), row(3), row(5, name="新名")], commit=True)
    assert batch.status == ImportBatch.Status.FAILED and batch.committed is False
    assert "nothing was written" in batch.error and "RuntimeError" in batch.error
    assert (Enterprise.objects.count(), Enterprise.history.count(), EnterpriseStatusChange.objects.count()) == counts
    assert Enterprise.objects.get(credit_code=code(5)).name == "原名"


def test_a_failure_in_a_later_chunk_undoes_the_earlier_chunks(clerk, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 3)
    real = imports.bulk_create_with_history
    calls = []

    def fails_on_third_chunk(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 3:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(imports, "bulk_create_with_history", fails_on_third_chunk)
    batch = run(clerk, [row(i) for i in range(1, 9)], commit=True)
    assert calls == [3, 3, 2]
    assert batch.status == ImportBatch.Status.FAILED and "Upload the file again" in batch.error
    assert Enterprise.objects.count() == 0 and Enterprise.history.count() == 0


def test_the_import_reads_existing_enterprises_in_bulk_not_row_by_row(
    clerk, units, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 50)
    for i in range(60):
        EnterpriseFactory(credit_code=code(i), unit=units["310117001"])
    content = xlsx_bytes([row(i, name=f"新名{i}") for i in range(200)])
    with django_assert_max_num_queries(60):
        batch = run(clerk, [], content=content, commit=True)
    assert batch.result["totals"] == {"create": 140, "update": 60, "unchanged": 0, "error": 0}


def test_a_preview_can_be_committed_as_a_new_batch(clerk):
    preview = run(clerk, [row(1), row(2, unit="车墩")])
    committed = imports.roster_import_commit(actor=clerk, batch=preview)
    assert committed.pk != preview.pk and committed.commit and committed.committed
    assert committed.file.name == preview.file.name
    assert committed.result["totals"] == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    assert Enterprise.objects.filter(credit_code=code(1)).exists()
    with pytest.raises(DomainError) as info:
        imports.roster_import_commit(actor=clerk, batch=committed)
    assert info.value.status == 409


def test_another_clerk_cannot_commit_someone_elses_preview(clerk, make_user, units):
    preview = run(clerk, [row(1)])
    other = make_user(Role.UNIT_STAFF, unit=units["310117001"])
    with pytest.raises(DomainError) as info:
        imports.roster_import_commit(actor=other, batch=preview)
    assert info.value.status == 404


def test_a_gbk_csv_is_imported_with_its_chinese_intact(clerk):
    content = csv_bytes([row(1, name="上海镕铖精密机械有限公司", main_products="数控机床、液压泵阀")], encoding="gbk")
    batch = run(clerk, [], content=content, name="名单.csv", commit=True)
    assert batch.file_format == "csv" and batch.result["totals"]["create"] == 1
    created = Enterprise.objects.get(credit_code=code(1))
    assert created.name == "上海镕铖精密机械有限公司" and created.main_products == "数控机床、液压泵阀"


def test_a_header_only_file_is_refused_without_a_batch(clerk):
    with pytest.raises(DomainError) as info:
        run(clerk, [])
    assert info.value.code == "empty_roster" and ImportBatch.objects.count() == 0


# --- Background path (the task called directly; the real worker is exercised in test_import_api.py) -----------


def test_a_large_file_gets_a_background_job_whose_task_does_the_work(
    clerk, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 3)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = run(clerk, [row(i) for i in range(5)], commit=True)
    assert batch.status == ImportBatch.Status.PENDING and len(callbacks) == 1
    job = batch.job
    assert job.task_name == "enterprises.tasks.roster_import_task" and job.task_args == [str(job.pk)]
    assert roster_import_task(str(job.pk)) == BackgroundJob.Status.DONE
    batch.refresh_from_db()
    job.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.result["totals"]["create"] == 5
    assert job.progress == 100 and job.result["totals"]["create"] == 5
    assert roster_import_task(str(job.pk)) is None, "a repeated delivery does nothing"
    assert Enterprise.objects.count() == 5


def test_a_background_batch_that_fails_fails_its_job(clerk, monkeypatch, django_capture_on_commit_callbacks, settings):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 3)
    with django_capture_on_commit_callbacks(execute=False):
        batch = run(clerk, [row(i) for i in range(6)])
    settings.PORTAL_ROSTER_MAX_ROWS = 5
    with pytest.raises(imports.RosterImportFailed):
        roster_import_task(str(batch.job.pk))
    batch.refresh_from_db()
    batch.job.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and "more than 5 rows" in batch.error
    assert batch.job.status == BackgroundJob.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_a_commit_is_visible_outside_its_transaction():
    job = BackgroundJob.objects.create(kind="roster_import", task_name=imports.TASK_NAME, status="running")
    with transaction.atomic():
        reporter = ProgressReporter(job.pk, in_transaction=True)
        reporter.report(40, "2000 rows processed")
        reporter.close()
        observer = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with observer.cursor() as cursor:
                cursor.execute("SELECT progress, message FROM core_backgroundjob WHERE id = %s", [str(job.pk)])
                assert cursor.fetchone() == (40, "2000 rows processed")
        finally:
            observer.close()


# --- The error sheet ------------------------------------------------------------------------------------------


def test_the_error_sheet_holds_the_error_rows_as_uploaded_with_what_to_fix(clerk):
    headers = [*HEADERS, "备注"]
    bad = [*row(2, unit="车墩镇", employees=-1, contact_name="王伟"), "+cmd()"]
    batch = run(clerk, [[*row(1), ""], bad, [*row(3, credit_code=9.13101e17), "x"]], headers=headers)
    rows = sheet_rows(imports.import_error_file(batch=batch))
    assert rows[0] == (*headers, "错误说明")
    assert len(rows) == 3
    first = rows[1]
    assert first[:13] == tuple(None if v == "" else v for v in bad[:13]) and first[13] == "+cmd()"  # as typed
    assert first[-1].startswith("第3行：")  # the row's number in the uploaded file
    assert "所属街镇：" in first[-1] and "从业人数：" in first[-1] and "；" in first[-1]
    assert rows[2][0] == "913101000000000000" and "lost" in rows[2][-1]


def test_the_error_sheet_of_a_csv_writes_values_as_typed_and_marks_the_offending_cells(clerk):
    """Issue 18 item 5: from a CSV, -5 comes back as -5 (no literal apostrophe); the original row number is in
    错误说明; the offending cell is highlighted; the headers stay as the contract fixes them."""
    import io

    import openpyxl

    batch = run(clerk, [], content=csv_bytes([row(1), row(2, employees="-5")]), name="名单.csv")
    content = imports.import_error_file(batch=batch)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in sheet[1]]
    assert headers == [*HEADERS, "错误说明"]
    employees = headers.index("从业人数")
    cells = list(sheet[2])
    assert cells[employees].value == "-5" and cells[employees].fill.fgColor.rgb.endswith("FDE2E1")
    assert not any(c.fill.fgColor.rgb.endswith("FDE2E1") for i, c in enumerate(cells[:-1]) if i != employees)
    assert cells[-1].value.startswith("第3行：从业人数：")
    assert sheet.max_row == 2


def test_the_corrected_error_sheet_imports_cleanly(clerk):
    batch = run(clerk, [row(1), row(2, sector="机械"), row(3, unit="火星")], commit=True)
    sheet = sheet_rows(imports.import_error_file(batch=batch))
    fixed = [list(r[:13]) for r in sheet[1:]]
    fixed[0][3] = "高端装备"
    fixed[1][2] = "岳阳"
    second = run(clerk, fixed, headers=list(sheet[0][:13]), commit=True)
    assert second.result["totals"] == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert Enterprise.objects.count() == 3


# --- Pages -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.UNIT_STAFF, 200),
        (Role.DISTRICT_OFFICIAL, 200),
        (Role.ADMIN, 200),
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.AUDITOR, 403),
    ],
)
def test_who_may_open_the_upload_page_and_the_template(client, users, role, status):
    client.force_login(users[role])
    assert client.get(reverse("enterprises:import")).status_code == status
    assert client.get(reverse("enterprises:import_template")).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for name in ("enterprises:import", "enterprises:import_template", "enterprises:import_batches"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_template_download_is_logged(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("enterprises:import_template"))
    assert response["Content-Type"] == XLSX_TYPE and "attachment" in response["Content-Disposition"]
    assert sheet_rows(response.content)[0] == tuple(HEADERS)
    assert DownloadLog.objects.filter(user=clerk, kind="roster_template").count() == 1


def test_uploading_on_the_page_shows_the_batch_with_its_errors(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("enterprises:import"), {"file": upload(xlsx_bytes([row(1), row(2, unit="火星")]))}, follow=True
    )
    page = response.content.decode()
    batch = ImportBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("enterprises:import_batch", args=[batch.pk])
    assert 'data-row="3"' in page and "火星" in page and 'id="commit-button"' in page
    assert Enterprise.objects.count() == 0
    response = client.post(reverse("enterprises:import_commit", args=[batch.pk]), follow=True)
    assert Enterprise.objects.count() == 1
    assert 'id="batch-written"' in response.content.decode()


def test_a_bad_file_on_the_page_is_an_error_on_the_form(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("enterprises:import"), {"file": upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")}
    )
    assert response.status_code == 200 and ".xlsx" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_batches_are_visible_to_their_uploader_and_the_district_only(client, users, make_user, units):
    batch = run(users[Role.UNIT_STAFF], [row(1, unit="火星")])
    other_clerk = make_user(Role.UNIT_STAFF, unit=units["310117001"])
    detail = reverse("enterprises:import_batch", args=[batch.pk])
    errors = reverse("enterprises:import_errors", args=[batch.pk])
    for user, status in [
        (users[Role.UNIT_STAFF], 200),
        (users[Role.DISTRICT_OFFICIAL], 200),
        (users[Role.AUDITOR], 200),
        (other_clerk, 404),
        (users[Role.PROVIDER_USER], 404),
    ]:
        client.force_login(user)
        assert client.get(detail).status_code == status, user
        assert client.get(errors).status_code == status, user
        if status == 404:
            assert client.post(reverse("enterprises:import_commit", args=[batch.pk])).status_code == 404
    client.force_login(other_clerk)
    assert batch.file_name not in client.get(reverse("enterprises:import_batches")).content.decode()
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert batch.file_name in client.get(reverse("enterprises:import_batches")).content.decode()
    client.force_login(users[Role.PROVIDER_USER])
    assert client.get(reverse("enterprises:import_batches")).status_code == 403


def test_the_error_sheet_download_is_logged(client, clerk):
    batch = run(clerk, [row(1, unit="火星")])
    client.force_login(clerk)
    response = client.get(reverse("enterprises:import_errors", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    log = DownloadLog.objects.get(kind="roster_errors")
    assert log.user == clerk and log.row_count == 1


def test_a_running_batch_page_polls_and_reloads_when_done(
    client, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "INLINE_MAX_ROWS", 1)
    with django_capture_on_commit_callbacks(execute=False):
        batch = run(clerk, [row(1), row(2)])
    client.force_login(clerk)
    url = reverse("enterprises:import_batch", args=[batch.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'role="progressbar"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and 'id="batch-progress"' in fragment.content.decode()
    roster_import_task(str(batch.job.pk))
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
