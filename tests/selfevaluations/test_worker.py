"""The self-evaluation through a real Celery worker on Redis: the start answers at once with the version pending, the
worker builds it after the commit (its own report snapshot, the Word document and the PDF)."""

import time

import pytest

from core.roles import Role
from selfevaluations.models import SelfEvaluation
from tests.helpers import JOB_TIMEOUT

pytestmark = pytest.mark.worker

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_worker_builds_a_started_version(celery_worker, users, api):
    official = api.as_user(users[Role.DISTRICT_OFFICIAL])
    response = official.post("/api/v1/self-evaluations/", {"stage": "final"}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    pk = response.json()["id"]
    deadline = time.monotonic() + JOB_TIMEOUT  # a hang guard, not a speed limit
    while SelfEvaluation.objects.get(pk=pk).status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
    detail = official.get(f"/api/v1/self-evaluations/{pk}/").json()
    assert detail["status"] == "done", detail
    assert detail["snapshot"] and detail["provenance"]["snapshot"] == detail["snapshot"]
    docx = official.get(f"/api/v1/self-evaluations/{pk}/docx/", HTTP_ACCEPT=DOCX)
    assert b"".join(docx.streaming_content).startswith(b"PK")
