"""The dashboard's pace (docs/domain.md §6 "Pace"): completion against the share of the period elapsed, in
words and colour with a legend, and the per cent beside its bar, never inside it."""

import datetime
import re
from decimal import Decimal

import pytest

from core.roles import Role
from reports.selectors.dashboards import elapsed_share, pace

D = datetime.date
URL = "/reports/indicators/"


def test_the_elapsed_share_counts_days_from_the_first_to_the_as_of_date():
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    assert elapsed_share(start=start, end=end, as_of=D(2024, 12, 31)) == 0
    assert elapsed_share(start=start, end=end, as_of=start) == Decimal(1) / Decimal(365)
    assert elapsed_share(start=start, end=end, as_of=D(2025, 7, 2)) == Decimal(183) / Decimal(365)
    assert elapsed_share(start=start, end=end, as_of=end) == 1
    assert elapsed_share(start=start, end=end, as_of=D(2026, 5, 1)) == 1


@pytest.mark.parametrize(
    ("completion", "elapsed", "expected"),
    [
        (None, Decimal("0.5"), None),
        (Decimal("1"), Decimal("0.2"), "achieved"),
        (Decimal("1.3"), Decimal("1"), "achieved"),
        (Decimal("0.5"), Decimal("0.5"), "on_track"),
        (Decimal("0.6"), Decimal("0.5"), "on_track"),
        (Decimal("0.4"), Decimal("0.5"), "behind"),  # exactly 80 % of what is expected by now
        (Decimal("0.39"), Decimal("0.5"), "at_risk"),
        (Decimal("0.03"), Decimal("1"), "at_risk"),
        (0, Decimal("0"), "on_track"),  # nothing expected yet
    ],
)
def test_the_pace_rule(completion, elapsed, expected):
    assert pace(completion, elapsed=elapsed) == expected


def test_low_completions_are_readable_and_each_cell_says_its_pace(client, users, dash):
    dash.transformed(D(2025, 5, 1), cloud_verified_on=D(2025, 6, 1))
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(URL, {"as_of": "2025-12-31"})
    html = response.content.decode()
    row = next(r for r in response.context["table"] if r["indicator"].number == "1")
    cell = next(c for c in row["cells"] if c["period"] == "2025")
    assert cell["completion"] == 0 and cell["pace"] == "at_risk"  # 1 of 275 at the year's end
    # The legend explains the colours, with each period's elapsed share.
    legend = re.search(r'<div class="card-body py-2 small" id="pace-legend">(.*?)</div>', html, re.S).group(1)
    for words in ("已完成", "进度正常", "滞后", "预警", "已过 100%"):
        assert words in legend, words
    # Each completion's per cent stands beside its bar (a 3 % bar is too thin to hold it) with its pace in
    # words, and each bar is named for the indicator.
    for bar in re.findall(r'<a href="[^"]*" class="completion-link pace-(\w+)" data-pace="\w+">(.*?)</a>', html, re.S):
        code, inner = bar
        progress = re.search(r'<span class="progress-bar"[^>]*></span>', inner)
        assert progress, inner
        assert re.search(r'class="indicator-completion">\d+%</span>', inner)
        assert 'aria-label="' in inner and "完成率" in inner
        assert code in ("achieved", "on_track", "behind", "at_risk")
