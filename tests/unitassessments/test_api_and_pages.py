"""The assessment through HTTP: the API's contract (a plain array, ranks, who gets which rows, a bad year is a 400),
the ranking page with its chart data, a unit's page explaining each part, unit staff's own view, the weights page
(edit, refuse, history), and the exports (xlsx read back, PDF read back with pdftotext), each logged."""

import io
import json
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from core.models import DownloadLog
from core.roles import Role
from unitassessments.models import AssessmentPart

from .conftest import U1, U2

API = "/api/v1/unit-assessments/"
PAGE = "/unit-assessments/"


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICIAL, Role.AUDITOR, Role.ADMIN])
def test_the_api_answers_a_plain_array_of_the_18_units(api, users, world, role):
    response = api.as_user(users[role]).get(API, {"year": "2025"})
    assert response.status_code == 200
    rows = response.json()
    assert isinstance(rows, list) and len(rows) == 18
    by_unit = {row["unit"]: row for row in rows}
    assert by_unit[U1]["score"] == 94.87 and by_unit[U1]["rank"] == 17
    assert by_unit[U2]["score"] == 53.85 and by_unit[U2]["rank"] == 18
    assert all(isinstance(row["rank"], int) for row in rows)
    assert [row["rank"] for row in rows] == sorted(row["rank"] for row in rows)
    parts = {p["key"]: p for p in by_unit[U1]["parts"]}
    assert parts["data_quality"]["measured"] is False and parts["data_quality"]["score"] is None
    assert parts["withdrawals"]["score"] == 66.67 and parts["withdrawals"]["link"].startswith("/enterprises/")


def test_unit_staff_get_their_own_row(api, users, world):
    rows = api.as_user(users[Role.UNIT_STAFF]).get(API, {"year": "2025"}).json()
    assert [(r["unit"], r["rank"]) for r in rows] == [(U1, 17)]


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.PROVIDER_USER, Role.EVALUATOR])
def test_other_roles_are_refused(api, users, role):
    response = api.as_user(users[role]).get(API, {"year": "2025"})
    assert response.status_code == 403 and response.json()["code"]


def test_anonymous_callers_are_refused(client, db):
    assert client.get(API, {"year": "2025"}).status_code in (401, 403)


@pytest.mark.parametrize("query", [{}, {"year": ""}, {"year": "2024"}, {"year": "total"}, {"year": "20251"}])
def test_a_bad_or_missing_year_is_a_400(api, users, query):
    response = api.as_user(users[Role.DISTRICT_OFFICIAL]).get(API, query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_year" and response.json()["field"] == "year"


def test_the_ranking_page_shows_every_unit_its_parts_and_the_chart_data(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(PAGE, {"year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未计量" in html and 'id="assessment-ranking-chart"' in html
    assert html.count('data-unit="') == 18
    marker = html.index('id="assessment-ranking-data"')
    start = html.index(">", marker) + 1
    chart = json.loads(html[start : html.index("</script>", start)])
    assert len(chart["scores"]) == 18 and chart["scores"][-1] == 53.85
    assert "<script>" not in html


def test_a_unit_page_explains_each_part_with_links(client, users, world):
    client.force_login(users[Role.AUDITOR])
    with translation.override("en"):
        html = client.get(f"{PAGE}units/{U1}/", {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "94.87" in html and "17" in html
    assert "1 of the unit&#x27;s 3 enterprises" in html or "3" in html
    assert 'href="/enterprises/?unit=310117001&amp;status=withdrawn"' in html
    assert 'href="/reports/indicators/?period=2025&amp;unit=310117001"' in html
    assert html.count('data-measured="0"') == 2


def test_unit_staff_land_on_their_own_unit_and_not_on_another(client, users, world):
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(PAGE, {"year": "2025"})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}units/{U1}/?year=2025"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"{PAGE}units/{U2}/", {"year": "2025"}).status_code == 404


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.PROVIDER_USER])
def test_pages_refuse_other_roles(client, users, role):
    client.force_login(users[role])
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}units/{U1}/").status_code == 403
    assert client.get(f"{PAGE}weights/").status_code == 403
    assert client.get(f"{PAGE}export/xlsx/", {"year": "2025"}).status_code == 403


def test_pages_answer_400_to_a_bad_year_and_404_to_an_unknown_unit(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get(PAGE, {"year": "1999"}).status_code == 400
    assert client.get(f"{PAGE}units/999999999/").status_code == 404
    assert client.get(f"{PAGE}export/pdf/", {"year": "x"}).status_code == 400


def test_the_weights_page_edits_and_shows_the_history(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    values = {f"w-{p.key}": str(p.weight) for p in AssessmentPart.objects.all()}
    response = client.post(f"{PAGE}weights/", {**values, "w-withdrawals": "50", "reason": "试算"})
    assert response.status_code == 302
    assert AssessmentPart.objects.get(key="withdrawals").weight == Decimal(50)
    html = client.get(f"{PAGE}weights/").content.decode()
    assert 'data-part="withdrawals"' in html and "试算" in html and "district_user" in html
    # The ranking follows at once.
    rows = {r["unit"]: r for r in client.get(API, {"year": "2025"}).json()}
    assert rows[U1]["score"] == 84.13  # (40 × 100 + 15 × 100 + 50 × 66.67) ÷ 105
    # A refused weight saves nothing and says why.
    response = client.post(f"{PAGE}weights/", {**values, "w-withdrawals": "-3"})
    assert response.status_code == 400 and "weight-error" in response.content.decode()
    assert AssessmentPart.objects.get(key="withdrawals").weight == Decimal(50)


def test_auditors_read_the_weights_but_do_not_edit_them(client, users):
    client.force_login(users[Role.AUDITOR])
    assert client.get(f"{PAGE}weights/").status_code == 200
    assert client.post(f"{PAGE}weights/", {"w-withdrawals": "50"}).status_code == 403
    assert AssessmentPart.objects.get(key="withdrawals").weight == 10


def test_the_xlsx_export_holds_the_ranking_and_every_part_and_is_logged(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(f"{PAGE}export/xlsx/", {"year": "2025"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0] == ("名次", "街镇代码", "街镇", "总分") and len(ranking) == 19
    assert ranking[-1][:2] == (18, U2) and ranking[-1][3] == 53.85
    parts = list(book["分项得分"].iter_rows(values_only=True))
    assert len(parts) == 1 + 18 * 5
    assert any(row[0] == U1 and row[4] == "尚未计量" for row in parts[1:])
    assert DownloadLog.objects.filter(kind="unit_assessment", user=users[Role.DISTRICT_OFFICIAL]).count() == 1


def test_the_pdf_export_reads_back_and_is_logged(client, users, world, tmp_path):
    client.force_login(users[Role.UNIT_STAFF])
    response = client.get(f"{PAGE}export/pdf/", {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "a.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "街镇考核" in text and "94.87" in text and "尚未计量" in text
    # Unit staff's file holds their own unit only.
    assert world["u1"].name in text and world["u2"].name not in text
    assert DownloadLog.objects.filter(kind="unit_assessment", user=users[Role.UNIT_STAFF]).count() == 1
