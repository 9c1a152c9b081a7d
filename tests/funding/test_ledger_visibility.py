"""The ledger's visibility rule through every path that shows ledger money: pages, API lists and
records, exports, the ledger statement and the PDFs.

Budget lines, commitments and disbursements are read by district officials, finance officers,
auditors and admins; unit staff read the commitments and disbursements of their own unit's
enterprises, and no budget line, fund source or ledger statement; provider users and evaluators read
none of them (an API list is empty or 403, a record 404; a whole ledger page may answer 403).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from funding.models import (
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FinancialProduct,
    FundSource,
    InterestSubsidy,
)
from funding.services import financing, ledger
from reports.rendering import documents as documents_pdf

READERS = ("admin", "district", "finance", "auditor")
#: Unit staff of E1's unit (岳阳街道) and of E2's (永丰街道); the providers and bodies of E1 and E2.
OUTSIDERS = ("pa", "pb", "ex", "ey", "provider", "evaluator")
EVERYONE = (*READERS, "unit_own", "unit_other", *OUTSIDERS)


@pytest.fixture
def world(world, users, make_user, units):
    """build_world's programme (E2's subsidy and payment) and, on E1 (the unit staff fixture's unit),
    a commitment of the district's benchmark line with a paid payment and an interest subsidy."""
    w = world
    district, finance = w["district"], w["finance"]
    w["c1"] = ledger.commitment_create(
        actor=district, title="标杆示范：岳阳甲", lines=[(w["benchmark_line"], "50000.00")], enterprise=w["e1"]
    )
    w["cl1"] = w["c1"].lines.get()
    w["d1"] = ledger.disbursement_request(actor=district, commitment_line=w["cl1"], amount="20000.00")
    ledger.disbursement_approve(actor=finance, disbursement=w["d1"])
    ledger.disbursement_pay(actor=w["finance2"], disbursement=w["d1"], voucher_no="PZ-E1")
    w["c2"], w["d2"] = w["commitment"], w["payment"]
    product = FinancialProduct.objects.create(bank="上海农商银行", name="数字化改造贷")
    w["subsidy1"] = financing.interest_subsidy_grant(
        actor=district, enterprise=w["e1"], financial_product=product, loan_amount="1000000.00",
        loan_on=datetime.date(2025, 5, 1), amount="12000.00", granted_on=datetime.date(2025, 5, 2),
        budget_line=w["interest_line"],
    )  # fmt: skip
    w["people"] = {
        "admin": users[Role.ADMIN],
        "district": district,
        "finance": finance,
        "auditor": users[Role.AUDITOR],
        "unit_own": users[Role.UNIT_STAFF],
        "unit_other": make_user(Role.UNIT_STAFF, unit=units["310117002"], username="unit_e2"),
        "pa": w["pa"],
        "pb": w["pb"],
        "ex": w["ex"],
        "ey": w["ey"],
        "provider": users[Role.PROVIDER_USER],
        "evaluator": users[Role.EVALUATOR],
    }
    return w


def _sees(who, *, own_unit_of):
    """Whether ``who`` reads a commitment or payment of an enterprise of unit staff ``own_unit_of``."""
    return who in READERS or who == own_unit_of


# --- the querysets: the rule's one home ----------------------------------------------------------


def test_the_querysets_hold_the_rule(world):
    for who, user in world["people"].items():
        reader = who in READERS
        for model in (FundSource, BudgetLine):
            assert model.objects.visible_to(user).exists() is reader, (who, model)
        expected_e1 = _sees(who, own_unit_of="unit_own")
        expected_e2 = _sees(who, own_unit_of="unit_other")
        for model, path in (
            (Commitment, "enterprise"),
            (CommitmentLine, "commitment__enterprise"),
            (Disbursement, "commitment_line__commitment__enterprise"),
            (InterestSubsidy, "enterprise"),
        ):
            visible = model.objects.visible_to(user)
            assert visible.filter(**{path: world["e1"]}).exists() is expected_e1, (who, model, "E1")
            if model is not InterestSubsidy:
                assert visible.filter(**{path: world["e2"]}).exists() is expected_e2, (who, model, "E2")


# --- the API --------------------------------------------------------------------------------------


def _api_count(client, path):
    response = client.get(path)
    if response.status_code == 403:
        return 0
    assert response.status_code == 200, (path, response.status_code)
    return response.json()["count"]


def test_every_ledger_endpoint_follows_the_rule(api, world):
    e1 = {"commitments": world["c1"], "disbursements": world["d1"], "interest-subsidies": world["subsidy1"]}
    e2 = {"commitments": world["c2"], "disbursements": world["d2"]}
    for who, user in world["people"].items():
        client = api.as_user(user)
        reader = who in READERS
        lines = _api_count(client, "/api/v1/budget-lines/")
        assert (lines > 0) is reader, (who, "budget lines")
        status = client.get(f"/api/v1/budget-lines/{world['sme_line'].pk}/").status_code
        assert status == (200 if reader else 404), (who, "budget line", status)
        for endpoint, record in e1.items():
            sees = _sees(who, own_unit_of="unit_own")
            assert client.get(f"/api/v1/{endpoint}/{record.pk}/").status_code == (200 if sees else 404), (who, endpoint)
            listed = {row["id"] for row in client.get(f"/api/v1/{endpoint}/").json().get("results", [])}
            assert (record.pk in listed) is sees, (who, endpoint, "list")
        for endpoint, record in e2.items():
            sees = _sees(who, own_unit_of="unit_other")
            assert client.get(f"/api/v1/{endpoint}/{record.pk}/").status_code == (200 if sees else 404), (who, endpoint)
        if who in OUTSIDERS:
            for endpoint in ("commitments", "disbursements", "interest-subsidies"):
                assert _api_count(client, f"/api/v1/{endpoint}/") == 0, (who, endpoint)


def test_a_provider_cannot_pay_or_read_through_a_commitment_line_it_cannot_see(api, world):
    client = api.as_user(world["pa"])
    response = client.post("/api/v1/disbursements/", {"commitment_line": world["cl1"].pk, "amount": "1.00"})
    assert response.status_code in (400, 403, 404)
    assert Disbursement.objects.filter(commitment_line=world["cl1"]).count() == 1


# --- the pages and exports --------------------------------------------------------------------------


def _ledger_pages(w):
    return [
        reverse("funding:ledger"),
        reverse("funding:ledger_source", args=["central"]),
        reverse("funding:budget_line", args=[w["sme_line"].pk]),
        reverse("funding:ledger_export"),
        reverse("funding:commitment_list"),
        reverse("funding:payment_queue"),
        reverse("funding:policy_list"),
        reverse("reports:document_ledger_statement"),
    ]


def test_the_whole_ledger_pages_are_for_readers_only(client, world):
    for who, user in world["people"].items():
        client.force_login(user)
        for url in _ledger_pages(world):
            status = client.get(url).status_code
            assert status == (200 if who in READERS else 403), (who, url, status)


def test_a_commitment_or_payment_page_never_shows_money_outside_the_rule(client, world):
    pages = [
        (reverse("funding:commitment_detail", args=[world["c1"].pk]), "unit_own"),
        (reverse("funding:disbursement_detail", args=[world["d1"].pk]), "unit_own"),
        (reverse("funding:commitment_detail", args=[world["c2"].pk]), "unit_other"),
        (reverse("funding:disbursement_detail", args=[world["d2"].pk]), "unit_other"),
    ]
    for who, user in world["people"].items():
        client.force_login(user)
        for url, unit in pages:
            status = client.get(url).status_code
            if who in READERS:
                assert status == 200, (who, url)
            else:
                # Unit staff may read the record in the API; the ledger's pages are the readers'.
                assert status in (403, 404), (who, url, status)
                if not _sees(who, own_unit_of=unit):
                    assert status in (403, 404)


def test_exports_carry_money_only_for_those_who_may_read_it(client, world):
    for who, user in world["people"].items():
        client.force_login(user)
        projects = client.get(reverse("funding:project_export") + "?format=csv")
        assert projects.status_code == 200
        text = projects.content.decode("utf-8-sig")
        assert ("已承诺补贴（元）" in text) is (who in READERS), (who, "project export money")
        financing_export = client.get(reverse("funding:financing_export"))
        if who in READERS or who.startswith("unit"):
            assert financing_export.status_code == 200, who
        else:
            assert financing_export.status_code == 403, who


def test_the_project_page_and_the_enterprise_file_show_money_by_the_rule(client, world):
    for who, user in world["people"].items():
        client.force_login(user)
        response = client.get(reverse("funding:project_detail", args=[world["passed"].pk]))
        if response.status_code == 200:
            html = response.content.decode()
            assert ("数字化改造补贴：永丰乙" in html) is (who in READERS), (who, "project page commitment")
        else:
            assert response.status_code == 404 and not _sees(who, own_unit_of="unit_other"), who
        response = client.get(reverse("enterprises:detail", args=[world["e1"].pk]))
        if response.status_code == 200:
            html = response.content.decode()
            assert ("标杆示范：岳阳甲" in html) is (who in READERS), (who, "enterprise file commitment")
            assert ('id="enterprise-subsidy-totals"' in html) is _sees(who, own_unit_of="unit_own"), who
        else:
            assert response.status_code == 404, who


# --- the PDFs ----------------------------------------------------------------------------------------


def test_the_pdfs_show_ledger_money_by_the_rule(world):
    start, end = datetime.date(2024, 10, 1), datetime.date.today()
    for who, user in world["people"].items():
        reader = who in READERS
        statement = documents_pdf.ledger_statement_context(start, end, user)
        assert bool(statement["sources"]) is reader, (who, "ledger statement")
        enterprise_file = documents_pdf.enterprise_file_context(world["e1"], user)
        money = enterprise_file["money"]
        shown = money["totals"] is not None and money["totals"]["committed"]["yuan"] != "0.00 元"
        assert shown is _sees(who, own_unit_of="unit_own"), (who, "file totals")
        assert bool(money["commitments"]) is reader and bool(money["disbursements"]) is reader, (who, "file detail")
        dossier = documents_pdf.project_dossier_context(world["passed"], user)
        assert bool(dossier["commitments"]) is reader, (who, "dossier commitments")


def test_money_in_the_api_adds_up_to_the_ledger_for_readers(api, world):
    client = api.as_user(world["people"]["auditor"])
    rows = client.get("/api/v1/commitments/").json()["results"]
    total = sum(Decimal(line["amount"]) for row in rows for line in row["lines"])
    assert total == Decimal("462000.00")
