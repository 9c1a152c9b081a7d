"""Assessment and index pages: permission matrix, the evaluation form, detail, enterprise section, work list."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from diagnostics.choices import DeadlineKind
from diagnostics.models import Assessment, Deadline, LevelRule, Option
from diagnostics.services.assessments import assessment_create

from .assessment_helpers import CONTRACT_ANSWERS, CONTRACT_SCENES, FULL_ANSWERS, days, scenes_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(assessment_world):
    """This module's world: the assessment tests' (tests/diagnostics/conftest.py)."""
    return assessment_world


def form_data(**extra):
    data = {
        "stage": "baseline",
        "evaluated_on": str(days(-1)),
        "evaluators": "张工, 李工",
        "note": "现场评定",
        "index_edition": "2024",
        "item_network": ["1", "2"],
        "item_equipment_digitised_rate": "35",
        "item_equipment_networked_rate": "12.5",
        "item_data_collection": ["1", "2", "14"],
        "item_information_systems": "2",
        "item_network_security": ["1", "2", "3", "4"],
        "item_planning": "3",
        "item_mechanisms": ["1"],
        "item_talent": ["1", "2"],
        "raw_spend_y1": "5",
        "raw_revenue_y1": "100",
        "item_energy": "better",
        "item_quality": "same",
        "item_revenue_per_employee": "worse",
        "item_cost_ratio": "better",
        "scene_product_design": "2",
        "scene_marketing": "3",
        "note_marketing": "CRM 截图",
    }
    data.update(extra)
    return data


def stored(world, **kwargs):
    values = {
        "actor": world["evaluator"],
        "enterprise": world["ours"],
        "stage": "baseline",
        "method": "onsite",
        "evaluated_on": days(-5),
        "answers": CONTRACT_ANSWERS,
        "scenes": CONTRACT_SCENES,
        "submit": True,
    }
    values.update(kwargs)
    return assessment_create(**values)


# --- Permission matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_index_pages_are_read_by_every_signed_in_user(client, users, role):
    client.force_login(users[role])
    response = client.get("/assessments/index/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "网络建设" in html and 'id="level-rule"' in html and 'id="stored-results-notice"' in html
    option = Option.objects.get(item__code="network", number=1)
    expected = 200 if role in (Role.ADMIN, Role.DISTRICT_OFFICIAL) else 403
    assert client.get(f"/assessments/index/options/{option.pk}/").status_code == expected


def test_anonymous_users_are_sent_to_log_in(client, world):
    a = stored(world)
    for url in (
        "/assessments/",
        "/assessments/mine/",
        "/assessments/index/2024/",
        f"/assessments/{a.pk}/",
        f"/assessments/new/{world['ours'].pk}/onsite/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_work_list_is_for_evaluators(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get("/assessments/mine/").status_code == 403
    client.force_login(world["evaluator"])
    assert client.get("/assessments/mine/").status_code == 200


@pytest.mark.parametrize(
    "who,enterprise,method,expected",
    [
        ("evaluator", "ours", "onsite", 200),
        ("evaluator", "ours", "self", 403),
        ("evaluator", "theirs", "onsite", 404),
        ("unit", "ours", "self", 200),
        ("unit", "ours", "onsite", 403),
        ("unit", "theirs", "self", 404),
        ("provider", "ours", "self", 200),
        ("provider", "theirs", "self", 404),
        ("district", "theirs", "onsite", 200),
        ("auditor", "ours", "self", 403),
        ("district", "ours", "remote", 404),
    ],
)
def test_who_may_open_the_evaluation_form(client, users, world, who, enterprise, method, expected):
    actor = {
        "evaluator": world["evaluator"],
        "unit": users[Role.UNIT_STAFF],
        "provider": world["provider_user"],
        "district": users[Role.DISTRICT_OFFICIAL],
        "auditor": users[Role.AUDITOR],
    }[who]
    client.force_login(actor)
    assert client.get(f"/assessments/new/{world[enterprise].pk}/{method}/").status_code == expected


@pytest.mark.parametrize(
    "who,expected",
    [
        ("evaluator", 200),
        ("other_evaluator", 200),
        ("unit", 404),
        ("provider", 404),
        ("auditor", 200),
        ("finance", 200),
    ],
)
def test_detail_is_scoped(client, users, world, who, expected):
    theirs = stored(world, actor=world["other_evaluator"], enterprise=world["theirs"])
    actor = {
        "evaluator": world["evaluator"],
        "other_evaluator": world["other_evaluator"],
        "unit": users[Role.UNIT_STAFF],
        "provider": world["provider_user"],
        "auditor": users[Role.AUDITOR],
        "finance": users[Role.FINANCE_OFFICER],
    }[who]
    client.force_login(actor)
    status = client.get(f"/assessments/{theirs.pk}/").status_code
    # The first evaluator's body is not assigned to "theirs": outside scope, exactly like a missing one.
    assert status == (404 if who == "evaluator" else expected)
    assert client.get("/assessments/999999/").status_code == 404


def test_drafts_are_edited_and_deleted_only_by_their_side(client, users, world):
    draft = stored(world, submit=False)
    client.force_login(users[Role.UNIT_STAFF])
    assert client.get(f"/assessments/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/assessments/{draft.pk}/delete/").status_code == 404
    client.force_login(users[Role.AUDITOR])
    assert client.get(f"/assessments/{draft.pk}/edit/").status_code == 403
    assert client.post(f"/assessments/{draft.pk}/delete/").status_code == 403
    client.force_login(world["evaluator"])
    assert client.get(f"/assessments/{draft.pk}/edit/").status_code == 200
    assert client.post(f"/assessments/{draft.pk}/delete/").status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()


# --- The evaluation form ----------------------------------------------------------------------------


def test_an_evaluator_saves_a_draft_then_submits_it(client, world):
    client.force_login(world["evaluator"])
    url = f"/assessments/new/{world['ours'].pk}/onsite/"
    page = client.get(url + "?stage=post").content.decode()
    assert 'id="questionnaire"' in page and 'id="score-card"' in page and "★" in page
    assert '<option value="post" selected>' in page
    response = client.post(url, form_data(action="draft"))
    assert response.status_code == 302
    draft = Assessment.objects.get()
    assert draft.status == "draft" and str(draft.score) == "43.6750"
    assert draft.raw == {"spend_y1": "5", "revenue_y1": "100"} and draft.answers["funding_ratio"] == 5
    assert draft.scene_notes == {"marketing": "CRM 截图"} and draft.evaluators == "张工, 李工"
    assert draft.evaluation_body == world["body"]
    edit = client.get(f"/assessments/{draft.pk}/edit/").content.decode()
    assert 'value="5"' in edit and "CRM 截图" in edit
    response = client.post(f"/assessments/{draft.pk}/edit/", form_data(action="submit", item_planning="5"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and str(draft.score) == "46.6750"
    world["ours"].refresh_from_db()
    assert world["ours"].baseline_level == 0 and world["ours"].current_level == 0


def test_bad_answers_are_shown_and_nothing_is_lost(client, world):
    client.force_login(world["evaluator"])
    url = f"/assessments/new/{world['ours'].pk}/onsite/"
    response = client.post(
        url,
        form_data(action="submit", raw_equipment_total="10", raw_equipment_networked="11", evaluated_on=str(days(3))),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "evaluated_on" in response.context["meta"].errors
    assert "raw_equipment_networked" in response.context["questionnaire"].errors
    assert 'name="raw_equipment_networked" id="id_raw_equipment_networked" value="11"' in html
    assert "CRM 截图" in html
    assert Assessment.objects.count() == 0


def test_evidence_files_are_stored_per_scene_and_checked(client, world, settings):
    client.force_login(world["evaluator"])
    url = f"/assessments/new/{world['ours'].pk}/onsite/"
    data = form_data(action="draft", evidence_marketing=SimpleUploadedFile("现场照片.png", b"\x89PNG....", "image/png"))
    assert client.post(url, data).status_code == 302
    assessment = Assessment.objects.get()
    detail = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert "现场照片.png" in detail
    bad = form_data(action="draft", evidence_safety=SimpleUploadedFile("macro.exe", b"MZ", "application/octet-stream"))
    response = client.post(url, bad)
    assert response.status_code == 200 and Assessment.objects.count() == 1
    assert ".exe" in response.content.decode()
    settings.PORTAL_MAX_UPLOAD_BYTES = 10
    big = form_data(action="draft", evidence_safety=SimpleUploadedFile("big.pdf", b"%PDF" * 10, "application/pdf"))
    response = client.post(url, big)
    assert response.status_code == 200 and Assessment.objects.count() == 1


def test_the_district_enters_an_onsite_evaluation_for_an_assigned_body(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = f"/assessments/new/{world['theirs'].pk}/onsite/"
    response = client.post(url, form_data(action="submit", evaluation_body=str(world["other_body"].pk)))
    assert response.status_code == 302
    assert Assessment.objects.get().evaluation_body == world["other_body"]
    response = client.post(url, form_data(action="submit", evaluation_body=str(world["body"].pk)))
    assert response.status_code == 200  # not a body assigned to this enterprise


# --- Detail, section, work list ------------------------------------------------------------------------


def test_detail_shows_raw_and_derived_answers_points_scenes_and_edition(client, world):
    a = stored(world, raw={"equipment_total": 200, "equipment_digitised": 70}, scene_notes={"marketing": "CRM"})
    client.force_login(world["evaluator"])
    html = client.get(f"/assessments/{a.pk}/").content.decode()
    assert 'id="assessment-score">43.675<' in html
    assert "35.0%" in html and "200" in html  # derived answer and its raw number
    assert "中小企业数字化水平评测指标（2024年版）" in html
    assert "CRM" in html and 'id="assessment-level">0<' in html


def test_editing_points_on_the_index_page_keeps_the_stored_result(client, users, world):
    a = stored(world)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    option = Option.objects.get(item__code="network", number=1)
    response = client.post(
        f"/assessments/index/options/{option.pk}/", {"label": "车间工控网络（更正）", "points": "1.5"}
    )
    assert response.status_code == 302
    option.refresh_from_db()
    assert str(option.points) == "1.5000"
    assert option.history.first().history_user == users[Role.DISTRICT_OFFICIAL]
    html = client.get(f"/assessments/{a.pk}/").content.decode()
    assert 'id="assessment-score">43.675<' in html
    a.refresh_from_db()
    assert a.result["items"]["network"] == "4"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message is checked in English
    bad = client.post(f"/assessments/index/options/{option.pk}/", {"label": "x", "points": "9"})
    assert bad.status_code == 200 and "maximum" in bad.content.decode()


def test_the_district_edits_the_level_rule_table(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    data = {}
    for rule in LevelRule.objects.filter(edition__code="2024"):
        for field in ("min_score", "scene_level", "min_scenes", "min_constraint_scenes"):
            data[f"rule{rule.level}-{field}"] = str(getattr(rule, field))
    data["rule1-min_score"] = "25"
    assert client.post("/assessments/index/2024/", data).status_code == 302
    assert LevelRule.objects.get(edition__code="2024", level=1).min_score == 25
    data["rule1-min_constraint_scenes"] = "11"
    response = client.post("/assessments/index/2024/", data)
    assert LevelRule.objects.get(edition__code="2024", level=1).min_constraint_scenes == 3
    assert response.status_code == 200
    client.force_login(users[Role.UNIT_STAFF])
    assert client.post("/assessments/index/2024/", data).status_code == 403


def test_the_enterprise_section_compares_before_and_after(client, users, world):
    stored(world)
    stored(world, stage="post", answers=FULL_ANSWERS, scenes=scenes_for(3), evaluated_on=days(-1))
    client.force_login(users[Role.UNIT_STAFF])
    html = client.get(f"/enterprises/{world['ours'].pk}/").content.decode()
    assert 'id="assessment-section"' in html and 'id="assessment-chart-data"' in html
    assert "vendor/echarts/echarts.custom.min.js" in html and "cdn" not in html.lower()
    assert 'id="assessment-comparison"' in html
    assert (
        "/assessments/new/" in html and "/self/" in html and "/onsite/" not in html
    )  # the town starts self-assessments
    client.force_login(world["evaluator"])
    html = client.get(f"/enterprises/{world['ours'].pk}/").content.decode()
    assert "/onsite/" in html and "/self/" not in html


def test_the_work_list_shows_done_due_and_overdue(client, users, world):
    from providers.models import EvaluatorAssignment
    from tests.factories import EnterpriseFactory

    late = EnterpriseFactory(unit=world["ours"].unit, name="上海迟到评测有限公司")
    EvaluatorAssignment.objects.create(enterprise=late, evaluation_body=world["body"], assigned_on=days(-60))
    Deadline.objects.create(enterprise=late, kind=DeadlineKind.EVALUATION, due_on=days(-2))
    Deadline.objects.create(enterprise=world["ours"], kind=DeadlineKind.EVALUATION, due_on=days(-2))
    stored(world)
    stored(world, stage="post", evaluated_on=days(-1))
    client.force_login(world["evaluator"])
    response = client.get("/assessments/mine/")
    html = response.content.decode()
    rows = {r["enterprise"].pk: r for r in response.context["page_obj"]}
    assert rows[late.pk]["overdue"] and rows[late.pk]["due_stage"] == "baseline"
    assert not rows[world["ours"].pk]["overdue"] and rows[world["ours"].pk]["due_stage"] is None
    assert "overdue-flag" in html
    overdue = client.get("/assessments/mine/?show=overdue").context["page_obj"]
    assert [r["enterprise"].pk for r in overdue] == [late.pk]


def test_the_assessment_list_filters(client, users, world):
    stored(world)
    stored(world, stage="post", evaluated_on=days(-1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get("/assessments/").context["page_obj"].paginator.count == 2
    assert client.get("/assessments/?stage=post").context["page_obj"].paginator.count == 1


def test_list_pages_do_not_query_per_row(client, users, world, django_assert_max_num_queries):
    from providers.models import EvaluatorAssignment
    from tests.factories import EnterpriseFactory

    for i in range(12):
        enterprise = EnterpriseFactory(unit=world["ours"].unit, name=f"上海查询计数{i:02d}有限公司")
        EvaluatorAssignment.objects.create(enterprise=enterprise, evaluation_body=world["body"], assigned_on=days(-9))
        stored(world, enterprise=enterprise)
    client.force_login(world["evaluator"])
    with django_assert_max_num_queries(15):
        assert client.get("/assessments/mine/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/assessments/").status_code == 200
