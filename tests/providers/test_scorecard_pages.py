"""Scorecard pages: the district's comparison table (sorting, weights, recompute), a card with its
history and the reply form, the provider's own view, the weights page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.models import BackgroundJob
from core.roles import Role
from providers import services
from providers.models import ProviderScorecard, ScorecardWeights
from providers.scorecard import METRIC_HELP, scorecard_metrics


@pytest.fixture
def cards(world):
    services.scorecard_compute(actor=world["district"], period="2025")
    return {c.provider_id: c for c in ProviderScorecard.objects.filter(period="2025")}


def test_the_comparison_table_sorts_by_total_and_by_metric(client, world, cards):
    # A: satisfaction 4 → 80; B: satisfaction 2 → 40 (the world's ratings, the only data).
    assert cards[world["prov_a"].pk].total == Decimal("80.00") and cards[world["prov_b"].pk].total == Decimal("40.00")
    client.force_login(world["district"])
    url = reverse("providers:scorecards")
    page = client.get(url, {"period": "2025"})
    assert [c.provider.name for c in page.context["cards"]] == ["甲数字科技有限公司", "乙智造服务有限公司"]
    ascending = client.get(url, {"period": "2025", "sort": "-total"})
    assert [c.provider.name for c in ascending.context["cards"]] == ["乙智造服务有限公司", "甲数字科技有限公司"]
    by_metric = client.get(url, {"period": "2025", "sort": "-satisfaction"})
    assert by_metric.context["cards"][0].provider == world["prov_b"]
    html = page.content.decode()
    assert "80.00" in html and 'id="recompute-form"' in html
    assert client.get(url, {"period": "2025", "sort": "bogus"}).status_code == 200
    assert list(client.get(url, {"period": "2026H1"}).context["cards"]) == []


def test_finance_and_auditors_compare_without_recomputing(client, users, cards):
    client.force_login(users[Role.AUDITOR])
    page = client.get(reverse("providers:scorecards")).content.decode()
    assert "recompute-form" not in page and "甲数字科技有限公司" in page


def test_the_recompute_button_queues_a_job(client, world, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("core.jobs.job_send", lambda job: sent.append(job.task_args))
    client.force_login(world["district"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("providers:scorecards"), {"period": "2025h1"})
    assert response.status_code == 302 and response.url.endswith("?period=2025H1")
    job = BackgroundJob.objects.get(kind="scorecard_compute")
    assert sent == [[str(job.pk), "2025H1"]]
    bad = client.post(reverse("providers:scorecards"), {"period": "next year"}, follow=True)
    assert any(m.level_tag == "error" for m in bad.context["messages"])


def test_the_task_computes_the_cards(world):
    from core import jobs
    from providers.tasks import compute_scorecards_task

    job = jobs.job_create(
        kind="scorecard_compute", task_name="providers.tasks.compute_scorecards_task", actor=world["district"]
    )
    assert compute_scorecards_task(str(job.pk), "2025Q2") == BackgroundJob.Status.DONE
    assert ProviderScorecard.objects.filter(period="2025Q2").count() == 2
    assert compute_scorecards_task(str(job.pk), "2025Q2") is None  # a repeated delivery does nothing


def test_a_card_shows_values_shares_and_the_redistribution(client, world, cards):
    client.force_login(world["district"])
    page = client.get(reverse("providers:scorecard_detail", args=[cards[world["prov_a"].pk].pk]))
    rows = {row["metric"].code: row for row in page.context["rows"]}
    assert rows["satisfaction"]["share"] == 100.0  # the only metric with data takes the whole weight
    assert rows["on_time"]["share"] is None
    assert escape(str(METRIC_HELP)) in page.content.decode()  # the page states the redistribution


def test_the_provider_replies_to_its_own_card(client, users, world, cards):
    card = cards[world["prov_a"].pk]
    client.force_login(users[Role.PROVIDER_USER])
    own = client.get(reverse("providers:scorecards"))
    assert [c.pk for c in own.context["cards"]] == [card.pk]
    url = reverse("providers:scorecard_detail", args=[card.pk])
    assert 'id="reply-form"' in client.get(url).content.decode()
    empty = client.post(url, {"reply": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reply"]
    response = client.post(url, {"reply": "满意度偏低的两家企业已安排回访。"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.reply == "满意度偏低的两家企业已安排回访。" and card.replied_by == users[Role.PROVIDER_USER]
    client.force_login(world["district"])
    page = client.get(url).content.decode()
    assert "满意度偏低的两家企业已安排回访。" in page and 'id="reply-form"' not in page


def test_the_provider_page_lists_its_cards_by_period(client, users, world, cards):
    services.scorecard_compute(actor=world["district"], period="2025H2")
    client.force_login(users[Role.PROVIDER_USER])
    page = client.get(reverse("providers:detail", args=[world["prov_a"].pk]))
    assert [c.period for c in page.context["scorecards"]] == ["2025", "2025H2"]
    card_page = client.get(reverse("providers:scorecard_detail", args=[cards[world["prov_a"].pk].pk]))
    assert [c.period for c in card_page.context["other_cards"]] == ["2025H2"]


def test_the_district_sets_the_weights_with_history(client, users, world):
    client.force_login(world["district"])
    url = reverse("providers:scorecard_weights")
    page = client.get(url)
    assert page.context["form"]["w_on_time"].value() == 25
    bad = client.post(url, {"w_on_time": "-5", "w_returns": "x", "w_level_gain": "25", "w_satisfaction": "15"})
    assert set(bad.context["form"].errors) >= {"w_on_time", "w_returns"}
    zero = client.post(url, {f"w_{m.code}": "0" for m in scorecard_metrics()})
    assert zero.status_code == 200 and zero.context["form"].non_field_errors()
    weights = {f"w_{m.code}": "20" for m in scorecard_metrics()}
    response = client.post(url, {**weights, "w_on_time": "40", "w_returns": "10", "note": "突出时效"})
    assert response.status_code == 302
    weights = ScorecardWeights.objects.get()
    assert weights.weights["on_time"] == 40 and weights.weights["returns"] == 10
    assert weights.weights["first_try_acceptance"] == 20  # kept (default or set) whether or not registered yet
    assert weights.history.latest().history_user == world["district"]
    assert "突出时效" in client.get(url).content.decode()
    client.force_login(users[Role.FINANCE_OFFICER])
    read_only = client.get(url).content.decode()
    assert 'id="weights-form"' not in read_only and 'id="weights-table"' in read_only
