"""The questionnaire component: rendering, round trip, derived answers, the live score endpoint."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.roles import Role
from diagnostics.forms.questionnaire import QuestionnaireForm
from diagnostics.selectors.index import current_edition

pytestmark = pytest.mark.django_db


def post_data(**extra):
    data = {
        "index_edition": "2024",
        "item_network": ["1", "2"],
        "raw_equipment_total": "200",
        "raw_equipment_digitised": "70",  # 35% → 3
        "raw_equipment_networked": "25",  # 12.5% → 1.5
        "item_data_collection": ["1", "2", "14"],
        "item_information_systems": "2",
        "item_network_security": ["1", "2", "3", "4"],
        "item_planning": "3",
        "item_mechanisms": ["1"],
        "item_talent": ["1", "2"],
        "raw_spend_y1": "4",
        "raw_revenue_y1": "100",
        "raw_spend_y2": "6",
        "raw_revenue_y2": "100",  # average 5% → 0
        "raw_energy_before": "2.5",
        "raw_energy_now": "2.1",  # better
        "raw_pass_rate_before": "98.5",
        "raw_pass_rate_now": "98.501",  # same at 2 decimals
        "raw_revenue_previous": "1000",
        "raw_employees_previous": "10",
        "raw_revenue_current": "900",
        "raw_employees_current": "10",  # worse
        "raw_cost_previous": "800",
        "raw_cost_current": "700",  # 80 → 77.78 per 100 yuan: better
        "scene_product_design": "2",
        "scene_marketing": "3",
        "note_marketing": "CRM in use since 2023",
    }
    data.update(extra)
    return data


def test_the_contract_example_entered_as_raw_numbers_scores_exactly():
    form = QuestionnaireForm(current_edition(), data=post_data())
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers["equipment_digitised_rate"] == 35
    assert answers["equipment_networked_rate"] == 12.5
    assert answers["funding_ratio"] == 5
    assert (answers["energy"], answers["quality"], answers["revenue_per_employee"], answers["cost_ratio"]) == (
        "better",
        "same",
        "worse",
        "better",
    )
    assert answers["data_security"] == []
    result = form.result()
    assert result.score == Decimal("43.675")
    assert result.level == 0
    assert form.scenes() == {"product_design": 2, "marketing": 3}
    assert form.scene_notes() == {"marketing": "CRM in use since 2023"}
    assert form.raw()["equipment_total"] == "200" and form.raw()["pass_rate_now"] == "98.501"


def test_the_form_round_trips_a_stored_record():
    edition = current_edition()
    first = QuestionnaireForm(edition, data=post_data())
    assert first.is_valid()
    record = {
        "answers": first.answers(),
        "raw": first.raw(),
        "scenes": first.scenes(),
        "scene_notes": first.scene_notes(),
    }
    again = QuestionnaireForm(edition, initial_record=record)
    html = render_to_string(
        "diagnostics/_questionnaire.html", {"questionnaire": again}, request=RequestFactory().get("/")
    )
    assert 'name="item_network" value="1" id="id_item_network_1" checked' in html
    assert 'name="raw_equipment_total" id="id_raw_equipment_total" value="200"' in html
    assert '<option value="3" selected>3</option>' in html
    assert "CRM in use since 2023" in html
    assert "★" in html
    assert "35.0% →" in html  # the derived answer shown beside the raw numbers
    assert again.score_card()["result"].score == Decimal("43.675")
    # Submitting the rendered initial values gives the same record back.
    resubmitted = QuestionnaireForm(edition, data=post_data())
    assert resubmitted.is_valid()
    assert resubmitted.answers() == record["answers"] and resubmitted.scenes() == record["scenes"]


def test_a_record_without_raw_numbers_keeps_its_direct_answers():
    record = {"answers": {"equipment_digitised_rate": 60.0001, "energy": "same", "planning": 5}, "scenes": {}}
    form = QuestionnaireForm(current_edition(), initial_record=record)
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, "", [])}
    data["item_network"] = []
    bound = QuestionnaireForm(current_edition(), data=data)
    assert bound.is_valid(), bound.errors
    assert bound.answers()["equipment_digitised_rate"] == 60.0001
    assert bound.answers()["energy"] == "same"
    assert bound.result().items["equipment_digitised_rate"] == Decimal("6")


def test_impossible_raw_numbers_are_errors_on_their_inputs():
    form = QuestionnaireForm(
        current_edition(), data=post_data(raw_equipment_networked="250", raw_employees_current="0")
    )
    assert not form.is_valid()
    assert "raw_equipment_networked" in form.errors
    assert "raw_employees_current" in form.errors
    assert form.result() is None


def test_live_score_answers_the_card_with_the_result(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    response = client.post("/assessments/live-score/", post_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="live-total">43.675<' in html
    assert 'id="derived-energy" hx-swap-oob="true"' in html


def test_live_score_shows_errors_and_needs_a_signed_in_user(client, users):
    response = client.post("/assessments/live-score/", post_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(users[Role.AUDITOR])
    response = client.post("/assessments/live-score/", post_data(raw_equipment_digitised="300"))
    assert response.status_code == 200
    assert 'id="live-errors"' in response.content.decode()
    assert client.get("/assessments/live-score/").status_code == 405
    assert client.post("/assessments/live-score/", {"index_edition": "1999"}).status_code == 404
