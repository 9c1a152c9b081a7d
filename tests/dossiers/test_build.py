"""The dossier's job row: a lost message is sent again by the requeue task, a requester who may no longer see the
subject makes the build fail with a message (and no 500), a running build under another worker's lease is left
alone, and an attachment the storage cannot read is left out of the zip and named in the manifest."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import jobs
from core.models import Attachment
from core.roles import Role
from dossiers.models import Dossier
from dossiers.services import dossier_build, dossier_request
from enterprises.models import Enterprise

from .conftest import checked_manifest

pytestmark = pytest.mark.django_db


def test_a_dossier_whose_message_was_lost_is_sent_again(world, users, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "send_task", lambda name, args: sent.append((name, args)) or True)
    dossier = Dossier.objects.create(
        enterprise=world["enterprise"], title="x", requested_by=users[Role.AUDITOR], audit_head="0" * 64
    )
    Dossier.objects.filter(pk=dossier.pk).update(created_at=timezone.now() - timedelta(hours=1))
    jobs.requeue_lost_work(stale_pending_after=timedelta(minutes=10))
    assert ("dossiers.tasks.build_dossier_task", [str(dossier.pk)]) in sent


def test_a_requester_who_may_no_longer_see_the_subject_gets_a_failed_dossier(world, users, units, monkeypatch):
    monkeypatch.setattr("dossiers.services.send_task", lambda *args: True)  # built by hand below
    dossier = dossier_request(actor=users[Role.UNIT_STAFF], enterprise=str(world["enterprise"].pk))
    Enterprise.objects.filter(pk=world["enterprise"].pk).update(unit=units["310117002"])
    assert dossier_build(str(dossier.pk)) == Dossier.Status.FAILED
    dossier.refresh_from_db()
    assert dossier.status == "failed" and dossier.error == "申请人已无权查看该审计档案的对象。"  # built in Chinese
    assert not dossier.file


def test_a_build_running_under_another_workers_lease_is_left_alone(world, users, monkeypatch):
    monkeypatch.setattr("dossiers.services.send_task", lambda *args: True)
    dossier = dossier_request(actor=users[Role.AUDITOR], project=str(world["project"].pk))
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert dossier_build(str(dossier.pk)) is None
    Dossier.objects.filter(pk=dossier.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert dossier_build(str(dossier.pk)) == Dossier.Status.DONE  # an expired lease is taken over


def test_an_unreadable_attachment_is_named_in_the_manifest_and_left_out(world, users, monkeypatch):
    monkeypatch.setattr("dossiers.services.send_task", lambda *args: True)
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)
    dossier = dossier_request(actor=users[Role.AUDITOR], project=str(world["project"].pk))
    assert dossier_build(str(dossier.pk)) == Dossier.Status.DONE
    dossier.refresh_from_db()
    with dossier.file.open("rb") as fh:
        manifest, members = checked_manifest(fh.read())
    assert not any(path.startswith("attachments/") for path in members)
    assert [m["sha256"] for m in manifest["missing"]] == [attachment.sha256]
