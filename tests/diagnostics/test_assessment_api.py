"""``POST /api/v1/assessments/score/`` and the assessments API, against docs/api.md."""

import json

import pytest

from core.roles import Role
from diagnostics.models import Assessment

from .assessment_helpers import CONTRACT_ANSWERS, CONTRACT_SCENES, FULL_ANSWERS, days, scenes_for

pytestmark = pytest.mark.django_db
SCORE = "/api/v1/assessments/score/"
BASE = "/api/v1/assessments/"


@pytest.fixture
def world(assessment_world):
    """This module's world: the assessment tests' (tests/diagnostics/conftest.py)."""
    return assessment_world


def post_score(api, user, body, **headers):
    return api.as_user(user).post(SCORE, body, format="json", **headers)


# --- The score endpoint -------------------------------------------------------------------------


def test_the_contract_example_answers_exactly_the_contracts_result(api, users):
    response = post_score(
        api, users[Role.UNIT_STAFF], {"index": "2024", "answers": CONTRACT_ANSWERS, "scenes": CONTRACT_SCENES}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert '"score":43.675' in text.replace(" ", "")
    assert "20.8" in text and "9.375" in text and "13.5" in text
    assert response.json() == {
        "score": 43.675,
        "dimensions": {"foundation": 20.8, "management": 9.375, "outcomes": 13.5},
        "scenes_at_or_above": {"1": 2, "2": 2, "3": 1, "4": 0},
        "constraint_scenes_at_or_above": {"1": 2, "2": 2, "3": 1, "4": 0},
        "level": 0,
    }
    assert Assessment.objects.count() == 0  # nothing is stored


def test_index_defaults_to_the_current_edition_and_items_not_given_score_zero(api, users):
    response = post_score(api, users[Role.AUDITOR], {"answers": {"information_systems": 3}})
    assert response.status_code == 200
    assert response.json()["score"] == 7.5
    assert response.json()["dimensions"] == {"foundation": 7.5, "management": 0, "outcomes": 0}
    assert response.json()["level"] == 0
    assert post_score(api, users[Role.AUDITOR], {}).json()["score"] == 0


@pytest.mark.parametrize(
    "answers,scenes,score,level",
    [
        (FULL_ANSWERS, scenes_for(4), 100, 4),
        (FULL_ANSWERS, scenes_for(1), 100, 1),
        ({"equipment_digitised_rate": 10, "equipment_networked_rate": 10.001}, {}, 1.5, 0),
        ({"equipment_digitised_rate": 60.0001, "funding_ratio": 60}, {}, 11.625, 0),
        ({"data_collection": [13, 14], "mechanisms": [1, 2, 3]}, {}, 7.225, 0),
        ({"planning": 5, "energy": "same", "quality": "worse", "cost_ratio": "same"}, {}, 12.5, 0),
    ],
)
def test_hand_computed_cases(api, users, answers, scenes, score, level):
    response = post_score(api, users[Role.PROVIDER_USER], {"answers": answers, "scenes": scenes})
    assert response.status_code == 200, response.content
    assert response.json()["score"] == score
    assert response.json()["level"] == level


def test_a_level_two_score_with_six_scenes_at_two_three_of_them_constraint(api, users):
    answers = {**FULL_ANSWERS, "energy": "worse", "quality": "worse", "information_systems": 0}  # 100 - 24 = 76
    scenes = {
        "product_design": 2,
        "marketing": 2,
        "safety": 2,
        "after_sales": 2,
        "collaboration": 2,
        "decision_support": 2,
    }
    response = post_score(api, users[Role.EVALUATOR], {"answers": answers, "scenes": scenes})
    body = response.json()
    assert body["score"] == 76 and body["level"] == 2
    scenes["safety"] = 1  # only two constraint scenes at level 2 now: row 1 still holds
    assert post_score(api, users[Role.EVALUATOR], {"answers": answers, "scenes": scenes}).json()["level"] == 1


@pytest.mark.parametrize(
    "body,codes",
    [
        ({"answers": {"bogus": 1}}, {"bogus"}),
        ({"scenes": {"nowhere": 2}}, {"nowhere"}),
        ({"answers": {"network": [5]}}, {"network"}),
        ({"answers": {"network": [1, 1]}}, {"network"}),
        ({"answers": {"equipment_digitised_rate": 100.5}}, {"equipment_digitised_rate"}),
        ({"answers": {"equipment_digitised_rate": -1}}, {"equipment_digitised_rate"}),
        ({"answers": {"funding_ratio": "12"}}, {"funding_ratio"}),
        ({"scenes": {"marketing": 5}}, {"marketing"}),
        ({"answers": {"energy": "lower"}}, {"energy"}),
        ({"answers": {"planning": True}}, {"planning"}),
        ({"answers": {"information_systems": 1.0}}, {"information_systems"}),
        (
            {"answers": {"network": [0], "energy": "up", "planning": 9}, "scenes": {"safety": -1}},
            {"network", "energy", "planning", "safety"},
        ),
        ({"index": "1999"}, {"index"}),
        ({"answers": [1, 2]}, {"answers"}),
    ],
)
def test_invalid_input_is_a_400_naming_each_offending_code(api, users, body, codes):
    response = post_score(api, users[Role.UNIT_STAFF], body)
    assert response.status_code == 400
    assert set(response.json()) == codes
    assert all(isinstance(m, str) and m for messages in response.json().values() for m in messages)


def test_a_body_that_is_not_json_is_a_400(api, users):
    client = api.as_user(users[Role.UNIT_STAFF])
    response = client.post(SCORE, "not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post(SCORE, json.dumps([1, 2]), content_type="application/json")
    assert response.status_code == 400


def test_messages_follow_the_requests_language(api, users):
    body = {"answers": {"energy": "lower"}}
    english = post_score(api, users[Role.UNIT_STAFF], body, HTTP_ACCEPT_LANGUAGE="en").json()["energy"][0]
    chinese = post_score(api, users[Role.UNIT_STAFF], body, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["energy"][0]
    assert english == "Answer better, same or worse."
    assert chinese  # the catalogue is translated later; the message is there in either language


def test_anonymous_callers_may_not_score(client):
    response = client.post(SCORE, {"answers": {}}, content_type="application/json")
    assert response.status_code in (401, 403)


# --- Assessments ----------------------------------------------------------------------------------


def create(api, user, enterprise, **body):
    payload = {
        "enterprise": enterprise.pk,
        "stage": "baseline",
        "method": "onsite",
        "evaluated_on": str(days(-10)),
        "index": "2024",
        "answers": CONTRACT_ANSWERS,
        "scenes": CONTRACT_SCENES,
    }
    payload.update(body)
    return api.as_user(user).post(BASE, payload, format="json")


def test_the_contract_create_stores_a_submitted_scored_assessment(api, world):
    response = create(api, world["evaluator"], world["ours"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["score"] == 43.675 and body["level"] == 0
    assert '"score":43.675' in response.content.decode().replace(" ", "")
    assert body["status"] == "submitted" and body["authoritative"] is True
    assert body["evaluation_body"] == world["body"].pk and body["index"] == "2024"
    assert body["result"]["dimensions"] == {"foundation": 20.8, "management": 9.375, "outcomes": 13.5}
    assert body["result"]["items"]["network"] == 4
    stored = Assessment.objects.get(pk=body["id"])
    assert stored.edition.code == "2024" and str(stored.score) == "43.6750"
    world["ours"].refresh_from_db()
    assert (world["ours"].baseline_level, world["ours"].current_level) == (0, 0)


def test_admin_creates_with_only_the_named_fields(api, users, world):
    response = create(api, users[Role.ADMIN], world["theirs"], stage="post", answers=FULL_ANSWERS, scenes=scenes_for(3))
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 3
    assert response.json()["evaluation_body"] == world["other_body"].pk  # the body assigned to it
    world["theirs"].refresh_from_db()
    assert (world["theirs"].baseline_level, world["theirs"].current_level) == (None, 3)


def test_invalid_answers_give_a_400_naming_the_codes_and_store_nothing(api, world):
    response = create(
        api, world["evaluator"], world["ours"], answers={"network": [7], "bogus": 1}, scenes={"safety": 9}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"network", "bogus", "safety"}
    assert Assessment.objects.count() == 0


def test_bad_fields_give_400s(api, world):
    assert create(api, world["evaluator"], world["ours"], evaluated_on=str(days(1))).status_code == 400
    assert create(api, world["evaluator"], world["ours"], stage="during").status_code == 400
    assert create(api, world["evaluator"], world["ours"], method="remote").status_code == 400
    unknown = create(api, world["evaluator"], world["ours"], index="2031")
    assert unknown.status_code == 400 and set(unknown.json()) == {"index"}
    response = create(api, world["evaluator"], world["ours"], evaluated_on="yesterday")
    assert response.status_code == 400 and "evaluated_on" in response.json()
    assert Assessment.objects.count() == 0


def test_raw_numbers_sent_through_the_api_decide_the_band_answers(api, world):
    raw = {"equipment_total": 40, "equipment_digitised": 24, "equipment_networked": 4}  # 60% → 4.5; 10% → 0
    response = create(api, world["evaluator"], world["ours"], answers={}, scenes={}, raw=raw)
    assert response.status_code == 201, response.content
    assert response.json()["answers"] == {"equipment_digitised_rate": 60, "equipment_networked_rate": 10}
    assert response.json()["score"] == 4.5
    assert response.json()["raw"] == {"equipment_total": "40", "equipment_digitised": "24", "equipment_networked": "4"}
    bad = create(api, world["evaluator"], world["ours"], raw={"equipment_total": 4, "equipment_networked": 5})
    assert bad.status_code == 400 and "equipment_networked" in bad.json()


@pytest.mark.parametrize(
    "who,enterprise,method,expected",
    [
        ("evaluator", "ours", "onsite", 201),
        ("evaluator", "ours", "self", 403),
        ("evaluator", "theirs", "onsite", 400),  # not visible: as if it did not exist
        ("other_evaluator", "ours", "onsite", 400),
        ("other_evaluator", "theirs", "onsite", 201),
        ("unit", "ours", "self", 201),
        ("unit", "ours", "onsite", 403),
        ("unit", "theirs", "self", 400),
        ("provider", "ours", "self", 201),
        ("provider", "ours", "onsite", 403),
        ("provider", "theirs", "self", 400),
        ("district", "theirs", "onsite", 201),
        ("district", "ours", "self", 201),
        ("finance", "ours", "self", 403),
        ("auditor", "ours", "onsite", 403),
    ],
)
def test_who_may_enter_which_assessment(api, users, world, who, enterprise, method, expected):
    actor = {
        "evaluator": world["evaluator"],
        "other_evaluator": world["other_evaluator"],
        "unit": users[Role.UNIT_STAFF],
        "provider": world["provider_user"],
        "district": users[Role.DISTRICT_OFFICIAL],
        "finance": users[Role.FINANCE_OFFICER],
        "auditor": users[Role.AUDITOR],
    }[who]
    response = create(api, actor, world[enterprise], method=method)
    assert response.status_code == expected, response.content


def test_the_district_may_not_enter_an_onsite_evaluation_for_a_body_not_assigned(api, users, world):
    response = create(api, users[Role.DISTRICT_OFFICIAL], world["ours"], evaluation_body=world["other_body"].pk)
    assert response.status_code == 403


def test_lists_are_scoped_filtered_and_paginated(api, users, world):
    create(api, world["evaluator"], world["ours"])
    create(api, world["evaluator"], world["ours"], stage="post", answers=FULL_ANSWERS, scenes=scenes_for(2))
    create(api, world["other_evaluator"], world["theirs"])
    create(api, users[Role.UNIT_STAFF], world["ours"], method="self")
    mine = api.as_user(world["evaluator"]).get(BASE).json()
    assert mine["count"] == 3 and {r["enterprise"] for r in mine["results"]} == {world["ours"].pk}
    district = api.as_user(users[Role.DISTRICT_OFFICIAL])
    assert district.get(BASE).json()["count"] == 4
    assert district.get(BASE, {"stage": "post"}).json()["count"] == 1
    assert district.get(BASE, {"method": "self"}).json()["count"] == 1
    assert district.get(BASE, {"level": "2"}).json()["count"] == 1
    assert district.get(BASE, {"enterprise": world["theirs"].pk}).json()["count"] == 1
    assert district.get(BASE, {"page_size": 1}).json()["next"]
    assert district.get(BASE, {"level": "9"}).status_code == 400


def test_outside_scope_is_404_like_missing(api, users, world):
    theirs = create(api, world["other_evaluator"], world["theirs"]).json()["id"]
    assert api.as_user(world["evaluator"]).get(f"{BASE}{theirs}/").status_code == 404
    assert api.as_user(users[Role.UNIT_STAFF]).get(f"{BASE}{theirs}/").status_code == 404
    assert api.as_user(world["provider_user"]).get(f"{BASE}{theirs}/").status_code == 404
    assert api.as_user(world["other_evaluator"]).get(f"{BASE}{theirs}/").status_code == 200
    assert api.as_user(users[Role.AUDITOR]).get(f"{BASE}{theirs}/").status_code == 200
    assert api.as_user(users[Role.AUDITOR]).get(f"{BASE}999999/").status_code == 404


def test_anonymous_callers_see_no_assessments(client, world):
    assert client.get(BASE).status_code in (401, 403)
    assert client.post(BASE, {}, content_type="application/json").status_code in (401, 403)


def test_a_draft_is_changed_then_submitted_and_only_then_counts(api, world):
    client = api.as_user(world["evaluator"])
    draft = create(api, world["evaluator"], world["ours"], status="draft").json()
    assert draft["status"] == "draft" and draft["score"] == 43.675
    world["ours"].refresh_from_db()
    assert world["ours"].baseline_level is None
    patched = client.patch(f"{BASE}{draft['id']}/", {"answers": FULL_ANSWERS, "scenes": scenes_for(2)}, format="json")
    assert patched.status_code == 200 and patched.json()["score"] == 100 and patched.json()["level"] == 2
    bad = client.patch(f"{BASE}{draft['id']}/", {"scenes": {"safety": 8}}, format="json")
    assert bad.status_code == 400 and "safety" in bad.json()
    assert client.post(f"{BASE}{draft['id']}/submit/", {"date": str(days(1))}, format="json").status_code == 400
    submitted = client.post(f"{BASE}{draft['id']}/submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    world["ours"].refresh_from_db()
    assert (world["ours"].baseline_level, world["ours"].current_level) == (2, 2)
    assert client.post(f"{BASE}{draft['id']}/submit/", {}, format="json").status_code == 409
    assert client.patch(f"{BASE}{draft['id']}/", {"note": "x"}, format="json").status_code == 403
    assert client.delete(f"{BASE}{draft['id']}/").status_code == 409


def test_a_draft_is_deleted_by_its_side_only(api, users, world):
    draft = create(api, world["evaluator"], world["ours"], status="draft").json()["id"]
    assert (
        api.as_user(users[Role.UNIT_STAFF]).delete(f"{BASE}{draft}/").status_code == 404
    )  # drafts are not shown to others
    assert api.as_user(users[Role.AUDITOR]).delete(f"{BASE}{draft}/").status_code == 403
    assert api.as_user(world["evaluator"]).delete(f"{BASE}{draft}/").status_code == 204
    assert not Assessment.objects.filter(pk=draft).exists()


def test_evidence_files_are_validated(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pk = create(api, world["evaluator"], world["ours"]).json()["id"]
    client = api.as_user(world["evaluator"])
    good = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(f"{BASE}{pk}/evidence/", {"scene": "marketing", "file": good}, format="multipart")
    assert response.status_code == 201 and response.json()["name"] == "证明.pdf"
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(f"{BASE}{pk}/evidence/", {"scene": "marketing", "file": exe}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_type"
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    response = client.post(f"{BASE}{pk}/evidence/", {"scene": "marketing", "file": empty}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_empty"
    other = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
    response = client.post(f"{BASE}{pk}/evidence/", {"scene": "nowhere", "file": other}, format="multipart")
    assert response.status_code == 400


def test_evidence_above_the_size_limit_is_refused(api, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PORTAL_MAX_UPLOAD_BYTES = 1024
    pk = create(api, world["evaluator"], world["ours"]).json()["id"]
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2000, content_type="application/pdf")
    response = api.as_user(world["evaluator"]).post(
        f"{BASE}{pk}/evidence/", {"scene": "safety", "file": big}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"
