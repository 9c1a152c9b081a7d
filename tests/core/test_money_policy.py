"""Issue 18 item 1: one money policy across the pages (docs/style.md "Money on the page").

Amounts are kept in 元. Lists, queues and summaries show them in 万元, with the exact 元 on hover; a record's own
detail shows both units; every figure names its unit, in the cell or in its column's header. The template scan
below fails when a page shows a bare figure without a unit nearby, or an exact-元 figure in a list.
"""

import re
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template

from core.money import format_percent

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"

#: Records' own pages, where amounts are exact 元 (a project's cost breakdown, a commitment's lines, the subsidy
#: computation, a policy's cap): the file says "(yuan)" or "Amounts in yuan." beside them.
EXACT_YUAN_PAGES = {
    "funding/project_detail.html",
    "funding/commitment_detail.html",
    "funding/project_commit.html",
    "funding/policy_list.html",
}


def render(text, **context):
    return Template("{% load portal %}" + text).render(Context(context))


def test_a_figure_in_wan_carries_the_exact_yuan_on_hover():
    html = render("{{ v|wan_yuan }}", v=Decimal("380000.00"))
    assert re.fullmatch(r'<span class="money" title="380,000.00 元" data-yuan="380000.00">38.00</span>', html)
    assert "38.00 万元" in render("{{ v|money_wan }}", v=Decimal("380000"))
    assert render("{{ v|wan_yuan|default:'—' }}", v=None) == "—"


def test_a_records_own_amount_shows_both_units():
    html = render("{{ v|money_both }}", v=Decimal("808000"))
    assert "80.80 万元" in html and "808,000.00 元" in html
    assert render("{{ v|money_both|default:'—' }}", v=None) == "—"


def _templates_using(filter_name):
    pattern = re.compile(r"\|" + filter_name + r"\b")
    for path in TEMPLATES.rglob("*.html"):
        if pattern.search(path.read_text()):
            yield path.relative_to(TEMPLATES).as_posix(), path.read_text()


def test_every_page_showing_wan_figures_names_the_unit():
    for name, text in _templates_using("wan_yuan"):
        assert "10k yuan" in text or "10,000 yuan" in text, f"{name}: a 万元 figure whose unit the page never names"


def test_exact_yuan_figures_appear_only_on_a_records_own_page_and_name_their_unit():
    for name, text in _templates_using("yuan"):
        assert name in EXACT_YUAN_PAGES, f"{name}: a list shows exact 元; lists show 万元 (|wan_yuan, |money_wan)"
        assert "yuan)" in text or "Amounts in yuan." in text, f"{name}: exact 元 without its unit"


def test_the_acceptance_form_states_the_eligible_spend_with_its_units():
    text = (TEMPLATES / "funding/acceptance_form.html").read_text()
    assert "project.eligible_spend|money_both" in text


def test_one_rounding_rule_for_percentages():
    assert format_percent(Decimal(1) / 3) == "33.3%"
    assert format_percent(0.333334) == "33.3%"
    assert format_percent(Decimal("0.0005")) == "0.1%"  # half up, everywhere
    from funding.templatetags.funding_tags import percent

    assert percent(Decimal(1) / 3) == format_percent(Decimal(1) / 3)


def test_a_derived_rate_is_shown_by_the_same_rule():
    from core.money import percent_of_hundred

    assert percent_of_hundred(Decimal("33.3334")) == "33.3%"  # 设备联网率: kept exact for scoring, shown rounded
    assert percent_of_hundred(35) == "35.0%"
    assert percent_of_hundred(None) == "—"
