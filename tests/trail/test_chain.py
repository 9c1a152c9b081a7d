"""The tamper-evident audit trail (docs/architecture.md "The audit trail", docs/api.md "Audit trail"):
every history row joins a hash chain once its transaction commits; verification recomputes every digest from the
stored rows and names the first entry that does not match; putting the rows back makes the chain whole again."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from core.history import save_with_history
from core.roles import Role
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory
from trail.models import ChainEntry, ChainHead
from trail.selectors import chain_head, record_entries, verify_chain
from trail.services import seal_unsealed

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(django_capture_on_commit_callbacks, users):
    """Three enterprises, one of them renamed twice, their history sealed as a real commit would seal it."""
    actor = users[Role.DISTRICT_OFFICIAL]
    with django_capture_on_commit_callbacks(execute=True):
        enterprises = [EnterpriseFactory() for _ in range(3)]
    for name in ("上海甲乙精密机械有限公司", "上海甲乙精密制造有限公司"):
        with django_capture_on_commit_callbacks(execute=True):
            enterprises[0].name = name
            save_with_history(enterprises[0], actor=actor, reason="更名", clean=False)
    return enterprises


def _history_table():
    return Enterprise.history.model._meta.db_table


def _raw(sql, params=(), **names):
    """Run ``sql`` straight on PostgreSQL, as someone bypassing the portal would; ``names`` fill in table and
    column names (the tests' own, never input)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**names), params)
        return cursor.fetchall() if cursor.description else None


def test_every_history_row_is_sealed_in_order_and_the_chain_verifies(sealed):
    history = Enterprise.history.model.objects.order_by("history_id")
    entries = list(ChainEntry.objects.filter(record_model="enterprises.enterprise").order_by("position"))
    assert {e.source_pk for e in entries} == set(history.values_list("history_id", flat=True))
    positions = list(ChainEntry.objects.values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))

    result = verify_chain()
    assert result.ok is True
    assert result.first_broken is None
    assert result.entries == ChainEntry.objects.count()
    assert (result.entries, result.head) == chain_head()
    assert result.head == ChainEntry.objects.order_by("-position").first().digest


def test_a_rolled_back_write_leaves_nothing_in_the_chain(sealed, django_capture_on_commit_callbacks):
    before = chain_head()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseFactory()
        raise RuntimeError
    assert chain_head() == before
    assert verify_chain().ok


def test_a_rolled_back_savepoint_does_not_lose_the_rest_of_its_transaction(sealed, django_capture_on_commit_callbacks):
    before, _ = chain_head()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():  # its drain goes with the savepoint
            EnterpriseFactory()
            raise RuntimeError
        kept = [EnterpriseFactory() for _ in range(3)]
    after, _ = chain_head()
    assert after == before + 3
    assert set(ChainEntry.objects.filter(position__gt=before).values_list("record_id", flat=True)) == {
        str(e.pk) for e in kept
    }
    assert verify_chain().ok


def test_an_edited_history_row_is_named_and_putting_it_back_makes_the_chain_whole(sealed):
    renamed = sealed[0]
    version = Enterprise.history.model.objects.filter(id=renamed.pk).order_by("history_id")[1]
    entry = ChainEntry.objects.get(source="enterprises.historicalenterprise", source_pk=version.history_id)

    _raw(
        "UPDATE {table} SET name = %s WHERE history_id = %s",
        ["篡改后的名称", version.history_id],
        table=_history_table(),
    )
    result = verify_chain()
    assert result.ok is False
    assert result.first_broken == {
        "entry": entry.position,
        "record": {"model": "enterprises.enterprise", "id": str(renamed.pk)},
        "reason": result.first_broken["reason"],
    }
    assert result.first_broken["reason"]

    _raw(
        "UPDATE {table} SET name = %s WHERE history_id = %s", [version.name, version.history_id], table=_history_table()
    )
    assert verify_chain().ok is True


def test_a_deleted_history_row_and_an_edited_one_name_the_first_and_come_back_whole(sealed):
    table = _history_table()
    columns = [c.column for c in Enterprise.history.model._meta.concrete_fields]
    ordered = list(ChainEntry.objects.filter(source="enterprises.historicalenterprise").order_by("position"))
    first, later = ordered[1], ordered[-1]  # the newest history row is deleted, an older one edited
    saved = _raw(
        "SELECT {cols} FROM {table} WHERE history_id = %s", [later.source_pk], cols=", ".join(columns), table=table
    )[0]
    old_reason = _raw(
        "SELECT history_change_reason FROM {table} WHERE history_id = %s", [first.source_pk], table=table
    )[0][0]

    _raw("DELETE FROM {table} WHERE history_id = %s", [later.source_pk], table=table)
    _raw("UPDATE {table} SET history_change_reason = %s WHERE history_id = %s", ["x", first.source_pk], table=table)
    result = verify_chain()
    assert result.ok is False
    assert result.first_broken["entry"] == first.position  # the first broken entry, not the later one

    _raw(
        "UPDATE {table} SET history_change_reason = %s WHERE history_id = %s",
        [old_reason, first.source_pk],
        table=table,
    )
    result = verify_chain()
    assert result.first_broken["entry"] == later.position
    assert "missing" in result.first_broken["reason"] or "缺失" in result.first_broken["reason"]

    placeholders = ", ".join(["%s"] * len(columns))
    _raw(
        "INSERT INTO {table} ({cols}) VALUES ({marks})",
        list(saved),
        table=table,
        cols=", ".join(columns),
        marks=placeholders,
    )
    assert verify_chain().ok is True


def test_deleting_the_newest_entry_is_seen_through_the_head(sealed):
    newest = ChainEntry.objects.order_by("-position").first()
    values = {f.attname: getattr(newest, f.attname) for f in ChainEntry._meta.concrete_fields}
    _raw("DELETE FROM {table} WHERE id = %s", [newest.pk], table=ChainEntry._meta.db_table)
    result = verify_chain()
    assert result.ok is False
    assert result.first_broken["entry"] == newest.position
    ChainEntry.objects.bulk_create([ChainEntry(**values)])
    assert verify_chain().ok is True


def test_a_reordered_pair_of_entries_is_seen(sealed):
    a, b = ChainEntry.objects.order_by("position")[:2]
    table = ChainEntry._meta.db_table
    _raw("UPDATE {table} SET position = -1 WHERE id = %s", [a.pk], table=table)
    _raw("UPDATE {table} SET position = %s WHERE id = %s", [a.position, b.pk], table=table)
    _raw("UPDATE {table} SET position = %s WHERE id = %s", [b.position, a.pk], table=table)
    result = verify_chain()
    assert result.ok is False
    assert result.first_broken["entry"] == a.position


def test_an_edited_digest_breaks_the_chain(sealed):
    entry = ChainEntry.objects.order_by("position")[2]
    ChainEntry.objects.filter(pk=entry.pk).update(digest="f" * 64)
    assert verify_chain().first_broken["entry"] == entry.position


def test_rows_written_in_bulk_are_sealed_by_seal_unsealed(sealed, units):
    before, _ = chain_head()
    bulk_create_with_history([EnterpriseFactory.build(unit=units["310117001"]) for _ in range(4)], Enterprise)
    assert chain_head()[0] == before
    assert seal_unsealed() == 4
    assert seal_unsealed() == 0
    assert chain_head()[0] == before + 4
    assert verify_chain().ok


def test_record_entries_list_one_records_versions_with_who_and_why(sealed, users):
    entries = record_entries("enterprises.enterprise", sealed[0].pk)
    assert [e.history_type for e in entries] == ["+", "~", "~"]
    assert entries[-1].history_change_reason == "更名"
    assert entries[-1].history_user_id == users[Role.DISTRICT_OFFICIAL].pk


def test_the_command_exits_non_zero_when_the_chain_is_broken(sealed, capsys):
    call_command("verify_audit_chain")
    assert "audit chain ok" in capsys.readouterr().out
    ChainEntry.objects.filter(position=1).update(digest="0" * 64)
    with pytest.raises(CommandError, match="entry 1"):
        call_command("verify_audit_chain")


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.ADMIN, 200),
        (Role.AUDITOR, 200),
        (Role.DISTRICT_OFFICIAL, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.UNIT_STAFF, 403),
        (Role.PROVIDER_USER, 403),
        (Role.EVALUATOR, 403),
    ],
)
def test_verify_endpoint_answers_admins_and_auditors(sealed, users, api, role, status):
    response = api.as_user(users[role]).get("/api/v1/audit/verify/")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body == {
            "ok": True,
            "entries": ChainEntry.objects.count(),
            "head": chain_head()[1],
            "first_broken": None,
        }
    else:
        assert response.json()["code"] == "permission_denied"


def test_verify_endpoint_reports_the_broken_entry(sealed, users, api):
    entry = ChainEntry.objects.order_by("position")[1]
    ChainEntry.objects.filter(pk=entry.pk).update(digest="a" * 64)
    body = api.as_user(users[Role.AUDITOR]).get("/api/v1/audit/verify/").json()
    assert body["ok"] is False
    assert body["first_broken"]["entry"] == entry.position
    assert body["first_broken"]["record"] == {"model": entry.record_model, "id": entry.record_id}


def test_verify_endpoint_needs_a_token(api):
    assert api.get("/api/v1/audit/verify/").status_code == 401


def test_the_trail_page_shows_the_head_a_verification_and_one_records_entries(sealed, users, client):
    client.force_login(users[Role.AUDITOR])
    url = reverse("trail:chain")
    page = client.get(url)
    assert page.status_code == 200
    assert chain_head()[1] in page.content.decode()

    verified = client.get(url, {"verify": "1"}).content.decode()
    assert 'id="verification"' in verified and "alert-success" in verified

    listing = client.get(url, {"record_model": "enterprises.enterprise", "record_id": sealed[0].pk}).content.decode()
    assert listing.count('<code class="small">') == 3
    assert "更名" in listing

    ChainEntry.objects.filter(position=1).update(digest="0" * 64)
    broken = client.get(url, {"verify": "1"}).content.decode()
    assert "alert-danger" in broken


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR])
def test_the_trail_page_is_refused_to_roles_that_do_not_read_history(users, client, role):
    client.force_login(users[role])
    assert client.get(reverse("trail:chain")).status_code == 403


def test_a_deleted_head_is_seen_and_an_empty_chain_is_whole(sealed):
    ChainHead.objects.all().delete()
    assert chain_head()[0] == 0
    assert verify_chain().ok is False
    ChainEntry.objects.all().delete()
    assert verify_chain().as_dict() == {"ok": True, "entries": 0, "head": "0" * 64, "first_broken": None}


def test_workflow_events_join_the_chain_and_list_under_their_record(sealed, users, django_capture_on_commit_callbacks):
    from enterprises.models import EnterpriseStatusChange

    enterprise = sealed[1]
    with django_capture_on_commit_callbacks(execute=True):
        event = EnterpriseStatusChange.objects.create(
            enterprise=enterprise,
            kind=EnterpriseStatusChange._meta.get_field("kind").choices[0][0],
            happened_on="2025-03-01",
            reason="核实",
            actor=users[Role.UNIT_STAFF],
        )
    entry = ChainEntry.objects.get(source="enterprises.enterprisestatuschange", source_pk=event.pk)
    assert (entry.record_model, entry.record_id) == ("enterprises.enterprise", str(enterprise.pk))
    listed = record_entries("enterprises.enterprise", enterprise.pk)
    assert listed[-1].history_type == "event"
    assert "核实" in listed[-1].history_change_reason
    assert verify_chain().ok

    EnterpriseStatusChange.objects.filter(pk=event.pk).update(reason="改过")
    assert verify_chain().first_broken["entry"] == entry.position


def test_rows_sealed_before_a_column_was_added_still_verify(users, django_capture_on_commit_callbacks, monkeypatch):
    """An entry hashes the columns of its layout: a column a later migration adds (here: one left out of the
    layout at sealing, as if it did not exist yet) does not break the rows sealed before it."""
    from trail import services
    from trail.models import ChainLayout

    real = services.current_layout

    def without_note(model, using="default"):
        layout = real(model, using)
        if model is Enterprise.history.model:
            columns = ",".join(c for c in layout.attnames if c != "main_products")
            layout, _ = ChainLayout.objects.get_or_create(source=layout.source, columns=columns)
        return layout

    monkeypatch.setattr(services, "current_layout", without_note)
    with django_capture_on_commit_callbacks(execute=True):
        enterprise = EnterpriseFactory()
    monkeypatch.setattr(services, "current_layout", real)
    assert verify_chain().ok
    Enterprise.history.model.objects.filter(id=enterprise.pk).update(main_products="后来加的列")
    assert verify_chain().ok
    Enterprise.history.model.objects.filter(id=enterprise.pk).update(name="改名")
    assert verify_chain().ok is False


def test_a_sealed_column_that_is_gone_breaks_its_entries(sealed):
    from trail.models import ChainLayout

    entry = ChainEntry.objects.filter(source="enterprises.historicalenterprise").order_by("position").first()
    layout = ChainLayout.objects.create(source=entry.source, columns=entry.layout.columns + ",dropped_column")
    ChainEntry.objects.filter(pk=entry.pk).update(layout=layout)
    broken = verify_chain().first_broken
    assert broken["entry"] == entry.position


def test_seal_on_commit_seals_a_bulk_write_through_the_worker(celery_worker, units):
    """A bulk write (no signal) asks the worker to seal its tables once it commits."""
    import time

    from tests.helpers import JOB_TIMEOUT
    from trail.services import seal_on_commit

    seal_unsealed()
    before, _ = chain_head()
    with transaction.atomic():
        bulk_create_with_history([EnterpriseFactory.build(unit=units["310117001"]) for _ in range(3)], Enterprise)
        seal_on_commit(Enterprise.history.model)
    deadline = time.monotonic() + JOB_TIMEOUT  # a hang guard, not a speed limit
    while chain_head()[0] < before + 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert chain_head()[0] == before + 3
    assert verify_chain().ok


@pytest.mark.parametrize(
    "command, arguments",
    [("clean_old_history", ["--days", "0", "--auto"]), ("clean_duplicate_history", ["--auto"])],
)
def test_history_is_never_pruned(sealed, command, arguments):
    """django-simple-history's pruning commands are refused: their rows are the chain's entries."""
    rows = Enterprise.history.count()
    with pytest.raises(CommandError, match="never pruned|从不删除|永久保留"):
        call_command(command, *arguments)
    assert Enterprise.history.count() == rows
    assert verify_chain().ok
