"""The dossier through a real Celery worker on Redis: the request answers at once with the dossier pending, the
worker builds it after the commit, and the zip's manifest holds."""

import time

import pytest

from core.roles import Role
from dossiers.models import Dossier
from tests.helpers import JOB_TIMEOUT
from trail.selectors import chain_head

from .conftest import checked_manifest

pytestmark = pytest.mark.worker


def test_the_worker_builds_a_requested_dossier(celery_worker, world, users, api):
    auditor = api.as_user(users[Role.AUDITOR])
    head = chain_head()
    response = auditor.post("/api/v1/dossiers/", {"enterprise": world["enterprise"].pk}, format="json")
    assert response.status_code == 202
    pk = response.json()["id"]
    deadline = time.monotonic() + JOB_TIMEOUT  # a hang guard, not a speed limit
    while Dossier.objects.get(pk=pk).status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
    detail = auditor.get(f"/api/v1/dossiers/{pk}/").json()
    assert detail["status"] == "done", detail
    assert detail["audit_head"] == head[1]
    zipped = auditor.get(f"/api/v1/dossiers/{pk}/zip/", HTTP_ACCEPT="application/zip")
    manifest, members = checked_manifest(b"".join(zipped.streaming_content))
    assert manifest["audit_head"] == head[1]
    assert any(path.startswith("attachments/") for path in members)
