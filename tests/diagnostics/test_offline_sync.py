"""``POST /api/v1/assessments/{id}/sync/``: a tablet's draft is stored only onto the version it was taken
from; otherwise a 409 ``conflict`` answers the server's version and nothing is written."""

import pytest

from core.roles import Role
from diagnostics.models import Assessment
from diagnostics.services.assessments import assessment_create, assessment_submit, assessment_update

from .assessment_helpers import CONTRACT_ANSWERS, CONTRACT_SCENES, today

BASE = "/api/v1/assessments/"


@pytest.fixture
def world(assessment_world):
    return assessment_world


@pytest.fixture
def draft(world):
    return assessment_create(
        actor=world["evaluator"],
        enterprise=world["ours"],
        stage="baseline",
        method="onsite",
        evaluated_on=today(),
        answers={"information_systems": 2},
    )


def sync(api, user, assessment, **body):
    return api.as_user(user).post(f"{BASE}{assessment.pk}/sync/", body, format="json")


def test_a_draft_taken_from_the_current_version_is_stored_and_scored_by_the_server(api, world, draft):
    version = api.as_user(world["evaluator"]).get(f"{BASE}{draft.pk}/").json()["version"]
    response = sync(api, world["evaluator"], draft, version=version, answers=CONTRACT_ANSWERS, scenes=CONTRACT_SCENES)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["score"] == 43.675 and body["level"] == 0
    assert body["version"] != version
    draft.refresh_from_db()
    assert draft.answers == CONTRACT_ANSWERS and draft.scenes == CONTRACT_SCENES
    assert str(draft.score) == "43.6750"


def test_a_draft_of_an_older_version_is_a_409_with_the_servers_version_and_nothing_is_written(api, world, draft):
    version = api.as_user(world["evaluator"]).get(f"{BASE}{draft.pk}/").json()["version"]
    assessment_update(actor=world["evaluator"], assessment=draft, answers={"planning": 5}, note="网页上改过")
    response = sync(api, world["evaluator"], draft, version=version, answers={"planning": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and body["message"]
    assert body["server"]["answers"] == {"planning": 5} and body["server"]["note"] == "网页上改过"
    assert body["server"]["version"] != version
    assert Assessment.objects.get(pk=draft.pk).answers == {"planning": 5}
    # The evaluator keeps the tablet's version: sent again onto the server's version, it is stored.
    again = sync(api, world["evaluator"], draft, version=body["server"]["version"], answers={"planning": 1})
    assert again.status_code == 200 and again.json()["answers"] == {"planning": 1}


def test_a_submitted_assessment_is_never_overwritten(api, world, draft):
    version = api.as_user(world["evaluator"]).get(f"{BASE}{draft.pk}/").json()["version"]
    assessment_submit(actor=world["evaluator"], assessment=draft)
    response = sync(api, world["evaluator"], draft, version=version, answers={"planning": 1})
    assert response.status_code == 409 and response.json()["server"]["status"] == "submitted"
    assert Assessment.objects.get(pk=draft.pk).answers == {"information_systems": 2}


def test_other_evaluators_and_bad_bodies_are_refused(api, world, draft, users):
    assert sync(api, world["other_evaluator"], draft, version="x").status_code == 404
    assert sync(api, users[Role.UNIT_STAFF], draft, version="x").status_code in (403, 404)
    assert sync(api, world["evaluator"], draft).status_code == 400  # no version
    version = api.as_user(world["evaluator"]).get(f"{BASE}{draft.pk}/").json()["version"]
    bad = sync(api, world["evaluator"], draft, version=version, answers={"planning": 99})
    assert bad.status_code == 400 and "planning" in bad.json()
