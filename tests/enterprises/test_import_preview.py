"""A roster preview lists every row with its action and, for an update, its changed fields; it is staged, so
its commit writes what was previewed without reading the file again, and stops (writing nothing) when the
registry changed in between."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.errors import Conflict
from core.roles import Role
from enterprises import imports
from enterprises.models import Enterprise, EnterpriseStatusChange, ImportBatch, ImportRow
from tests.factories import EnterpriseFactory

from .rosters import code, row, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def clerk(users):
    return users[Role.UNIT_STAFF]  # 岳阳街道 310117001


def stored(units, seq, **facts):
    values = {
        "credit_code": code(seq),
        "name": f"上海测试{seq}号精密机械有限公司",
        "unit": units["310117001"],
        "sector": "high_end_equipment",
        "scale": "above",
        "size": "small",
        "tier": "none",
        "contact_name": "",
        "contact_phone": "",
        "registered_address": "",
        "main_products": "",
        "employees": 100,
        "revenue": Decimal("2000"),
    }
    values.update(facts)
    return EnterpriseFactory(**values)


@pytest.fixture
def mixed(units):
    """A real xlsx with a row of each action: row 2 creates, row 3 updates two facts, row 4 is unchanged, row 5
    is in error."""
    stored(units, 2, name="旧名称有限公司", employees=80)
    stored(units, 3)
    return xlsx_bytes([row(1), row(2, name="新名称有限公司", employees=120), row(3), row(4, unit="火星")])


def preview(clerk, content):
    return imports.roster_import(actor=clerk, upload=upload(content), commit=False)


def test_a_preview_stages_every_row_with_its_action_and_changes(clerk, mixed):
    batch = preview(clerk, mixed)
    assert batch.staged and batch.totals == {"create": 1, "update": 1, "unchanged": 1, "error": 1}
    rows = {staged.row: staged for staged in ImportRow.objects.filter(batch=batch)}
    assert {number: staged.action for number, staged in rows.items()} == {
        2: "create",
        3: "update",
        4: "unchanged",
        5: "error",
    }
    assert rows[3].changes == {"name": ["旧名称有限公司", "新名称有限公司"], "employees": [80, 120]}
    assert rows[5].errors and rows[5].errors[0][0] == "所属街镇"
    # The API's result keeps its shape.
    assert set(batch.result) == {"batch", "committed", "totals", "rows"}


def test_the_preview_page_lists_each_row_with_its_changed_fields_and_filters_by_action(client, clerk, mixed):
    batch = preview(clerk, mixed)
    client.force_login(clerk)
    url = reverse("enterprises:import_batch", args=[batch.pk])
    page = client.get(url).content.decode()
    for number, action in ((2, "create"), (3, "update"), (4, "unchanged"), (5, "error")):
        assert f'data-row="{number}" data-action="{action}"' in page
    assert "<del>旧名称有限公司</del> → <strong>新名称有限公司</strong>" in page
    assert "<del>80</del> → <strong>120</strong>" in page
    assert "火星" in page
    only = client.get(url, {"action": "update"}).content.decode()
    assert 'data-action="update"' in only and 'data-action="create"' not in only
    # A hostile filter or page is ignored, never a 500.
    assert client.get(url, {"action": "<x>", "page": "-1"}).status_code == 200


def test_the_preview_page_is_paginated(client, clerk, monkeypatch):
    from enterprises.views import imports as views

    monkeypatch.setattr(views, "ROWS_SHOWN", 2)
    batch = preview(clerk, xlsx_bytes([row(i) for i in range(5)]))
    client.force_login(clerk)
    url = reverse("enterprises:import_batch", args=[batch.pk])
    first = client.get(url).content.decode()
    assert first.count('class="preview-row"') == 2 and 'id="rows-next"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('class="preview-row"') == 1 and 'data-row="6"' in last


def test_a_commit_after_the_file_is_deleted_writes_exactly_what_was_previewed(clerk, mixed):
    batch = preview(clerk, mixed)
    batch.file.storage.delete(batch.file.name)
    assert not batch.file.storage.exists(batch.file.name)
    committed = imports.roster_import_commit(actor=clerk, batch=batch)
    assert committed.status == ImportBatch.Status.DONE and committed.committed, committed.error
    assert committed.preview_id == batch.pk
    assert committed.result["totals"] == {"create": 1, "update": 1, "unchanged": 1, "error": 1}
    assert [(r["row"], r["action"]) for r in committed.result["rows"]] == [
        (2, "create"),
        (3, "update"),
        (4, "unchanged"),
        (5, "error"),
    ]
    created = Enterprise.objects.get(credit_code=code(1))
    assert created.name == "上海测试1号精密机械有限公司" and created.revenue == Decimal("2000")
    assert created.sector == "high_end_equipment" and created.unit.code == "310117001"
    updated = Enterprise.objects.get(credit_code=code(2))
    assert (updated.name, updated.employees) == ("新名称有限公司", 120)
    assert updated.history.first().history_change_reason == f"import:{committed.pk}"
    assert EnterpriseStatusChange.objects.filter(enterprise=created, batch=committed).count() == 1
    assert not Enterprise.objects.filter(credit_code=code(4)).exists()


def test_a_registry_change_between_preview_and_commit_is_reported_and_writes_nothing(clerk, units, mixed):
    batch = preview(clerk, mixed)
    # Someone edits the enterprise row 3 updates, and registers the one row 2 creates.
    edited = Enterprise.objects.get(credit_code=code(2))
    edited.contact_name = "张三"
    edited.save()
    stored(units, 1)
    counts = (Enterprise.objects.count(), Enterprise.history.count(), ImportBatch.objects.count())
    with pytest.raises(Conflict) as caught:
        imports.roster_import_commit(actor=clerk, batch=batch)
    assert caught.value.code == "preview_changed"
    message = str(caught.value.message)
    assert "2（" in message and "3（" in message and "preview the file again" in message
    assert (Enterprise.objects.count(), Enterprise.history.count(), ImportBatch.objects.count()) == counts
    assert Enterprise.objects.get(credit_code=code(2)).name == "旧名称有限公司"


def test_a_registry_change_during_the_run_fails_the_commit_and_writes_nothing(clerk, mixed):
    """The check is made again inside the commit's transaction (a change after the button was pressed)."""
    batch = preview(clerk, mixed)
    new = imports.ROSTER_IMPORT.commit_of(batch, actor=clerk, preview=batch)
    new.save()
    Enterprise.objects.filter(credit_code=code(2)).update(name="别人改的名")
    before = Enterprise.objects.count()
    result = imports.roster_import_run(new.pk)
    assert result.status == ImportBatch.Status.FAILED and not result.committed
    assert "preview the file again" in result.error
    assert Enterprise.objects.count() == before


def test_the_page_tells_the_clerk_which_rows_changed(client, clerk, mixed):
    batch = preview(clerk, mixed)
    Enterprise.objects.filter(credit_code=code(2)).update(employees=81)
    client.force_login(clerk)
    response = client.post(reverse("enterprises:import_commit", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert "自本次预检以来企业库已有变化" in page and "3（" in page  # the page speaks Chinese by default
    assert ImportBatch.objects.count() == 1 and not Enterprise.objects.filter(credit_code=code(1)).exists()
