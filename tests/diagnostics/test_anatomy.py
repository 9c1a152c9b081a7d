"""The diagnostics app's one namespace (paths unchanged) and the shared money rule on a report's costs."""

from decimal import Decimal

import pytest
from django.urls import resolve, reverse

from core.errors import DomainError
from diagnostics.services.diagnoses import diagnosis_create, diagnosis_update


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("diagnostics:index:list", [], "/assessments/index/"),
        ("diagnostics:index:detail", ["2024"], "/assessments/index/2024/"),
        ("diagnostics:index:option", [7], "/assessments/index/options/7/"),
        ("diagnostics:assessments:list", [], "/assessments/"),
        ("diagnostics:assessments:mine", [], "/assessments/mine/"),
        ("diagnostics:assessments:live_score", [], "/assessments/live-score/"),
        ("diagnostics:assessments:create", [3, "onsite"], "/assessments/new/3/onsite/"),
        ("diagnostics:assessments:detail", [5], "/assessments/5/"),
        ("diagnostics:assessments:edit", [5], "/assessments/5/edit/"),
        ("diagnostics:assessments:delete", [5], "/assessments/5/delete/"),
        ("diagnostics:diagnoses:list", [], "/diagnoses/"),
        ("diagnostics:diagnoses:work_queue", [], "/diagnoses/queue/"),
        ("diagnostics:diagnoses:review_queue", [], "/diagnoses/review/"),
        ("diagnostics:diagnoses:create", [], "/diagnoses/new/"),
        ("diagnostics:diagnoses:deadlines", [], "/diagnoses/deadlines/"),
        ("diagnostics:diagnoses:detail", [5], "/diagnoses/5/"),
        ("diagnostics:diagnoses:edit", [5], "/diagnoses/5/edit/"),
        ("diagnostics:diagnoses:signed_pdf", [5], "/diagnoses/5/signed-pdf/"),
        ("diagnostics:diagnoses:version", [5, 2], "/diagnoses/5/versions/2/"),
        ("diagnostics:diagnoses:action", [5, "submit"], "/diagnoses/5/submit/"),
    ],
)
def test_every_page_keeps_its_path_under_the_one_diagnostics_namespace(name, args, path):
    assert reverse(name, args=args) == path
    assert resolve(path).namespace == name.rsplit(":", 1)[0]


def test_the_api_keeps_its_paths():
    assert reverse("api:assessment-score") == "/api/v1/assessments/score/"
    assert reverse("api:assessment-list") == "/api/v1/assessments/"
    assert reverse("api:diagnosis-detail", args=[5]) == "/api/v1/diagnoses/5/"
    assert reverse("api:deadline-list") == "/api/v1/deadlines/"


@pytest.mark.django_db
def test_report_costs_follow_the_portal_money_rule(world):
    report = diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["provider"])
    report = diagnosis_update(
        actor=world["provider_user"], diagnosis=report, proposed_cost="1,200,000.50", software_cost="0"
    )
    assert report.proposed_cost == Decimal("1200000.50") and report.software_cost == Decimal("0.00")
    for text in ("100.005", "1e5", "¥100", "１００", "1,20,000"):
        with pytest.raises(DomainError) as exc:
            diagnosis_update(actor=world["provider_user"], diagnosis=report, proposed_cost=text)
        assert (exc.value.code, exc.value.field) == ("invalid_amount", "proposed_cost")
    assert diagnosis_update(actor=world["provider_user"], diagnosis=report, proposed_cost="").proposed_cost is None
