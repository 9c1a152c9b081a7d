"""The provider performance scorecard: a registry of metrics, periods, and the arithmetic.

**Metrics are registered** by the app that owns the records they are computed from, in its
``AppConfig.ready`` (providers registers satisfaction; diagnostics registers reports on time,
rounds of return and level gained; funding registers first-try acceptance), so this module never
imports apps to its right::

    registry.scorecard_metrics.register(code, ScorecardMetric(code, label, compute, higher_is_better=True, points=None))

``compute(providers, start, end)`` answers ``{provider_id: (value, detail)}`` for the providers of
the queryset in one bulk query (never one query per provider); a provider missing from the answer,
or answered with ``value`` ``None``, has *no data* for that metric in the period. ``detail`` is a
small JSON-able dict shown on the card (counts behind the value).

**Points.** Each metric's value becomes 0–100 points, deterministically (``points`` at registration):

* ``rate_points`` (the default when ``higher_is_better``): a percentage 0–100 is its own points;
* the default when not ``higher_is_better``: 100 − the percentage;
* ``returns_points``: 100 − 50 × the average rounds of return, floored at 0;
* ``level_gain_points``: 50 per digital level gained on average, between 0 and 100;
* ``satisfaction_points``: the average rating (1–5) ÷ 5 × 100.

Points are rounded to two places (half up).

**Total.** The weighted mean of the points of the metrics with data:
``total = Σ weightᵢ × pointsᵢ ÷ Σ weightᵢ`` over the metrics that have data for the provider and a
weight above 0, rounded to two places (half up). A metric without data therefore drops out and its
weight is spread over the others in proportion to their weights; a provider with no data at all has
no total.

**Periods** are codes: ``2025`` (a year), ``2025H1``/``2025H2`` (halves), ``2025Q1``…``2025Q4``
(quarters). The pilot began on 2024-10-01, so the year 2025 (the programme's first reporting year,
docs/domain.md §6) starts on 2024-10-01, and no period starts before that day.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import registry
from core.errors import DomainError

PILOT_START = datetime.date(2024, 10, 1)
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

#: The weights a fresh portal starts with (the district edits them). Codes not registered (yet) are kept
#: so that a metric registered by a later app (first-try acceptance, by funding) starts with its weight.
DEFAULT_WEIGHTS = {
    "on_time": 25,
    "returns": 15,
    "first_try_acceptance": 20,
    "level_gain": 25,
    "satisfaction": 15,
}


def _dec(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value):
    return _dec(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _clamp(value, low=Decimal(0), high=HUNDRED):
    return max(low, min(high, value))


def rate_points(value):
    """A percentage (0–100) is its own points."""
    return _clamp(_dec(value))


def inverse_rate_points(value):
    """A percentage where less is better: 100 − the percentage."""
    return HUNDRED - _clamp(_dec(value))


def returns_points(value):
    """Average rounds of return: 100 − 50 × rounds, floored at 0 (none = 100, one = 50, two or more = 0)."""
    return _clamp(HUNDRED - 50 * _dec(value))


def level_gain_points(value):
    """Average digital levels gained: 50 per level, between 0 and 100 (two levels or more = 100)."""
    return _clamp(50 * _dec(value))


def satisfaction_points(value):
    """Average satisfaction 1–5: ÷ 5 × 100."""
    return _clamp(_dec(value) / 5 * HUNDRED)


@dataclass(frozen=True)
class ScorecardMetric:
    code: str
    label: str
    compute: object
    higher_is_better: bool = True
    points: object = None
    description: str = ""

    def to_points(self, value):
        """The metric's value as 0–100 points, rounded to two places."""
        convert = self.points or (rate_points if self.higher_is_better else inverse_rate_points)
        return _round(convert(value))


def scorecard_metrics():
    """The registered metrics, in the order of :data:`DEFAULT_WEIGHTS`, then by code."""
    order = {code: i for i, code in enumerate(DEFAULT_WEIGHTS)}
    return sorted(registry.scorecard_metrics.values(), key=lambda m: (order.get(m.code, len(order)), m.code))


def scorecard_metric(code):
    return registry.scorecard_metrics.get(code)


# --- Periods -------------------------------------------------------------------------------------

PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:(?P<half>H[12])|(?P<quarter>Q[1-4]))?$")


def period_bounds(code):
    """``(start, end)`` of a period code; a ``DomainError`` on ``period`` for a malformed or unusable one."""
    match = PERIOD_RE.match((code or "").strip().upper())
    if not match:
        raise DomainError(
            "invalid_period",
            _("A period is a year (2025), a half (2025H1) or a quarter (2025Q3)."),
            field="period",
        )
    year = int(match["year"])
    if match["half"]:
        first_month = 1 if match["half"] == "H1" else 7
        months = 6
    elif match["quarter"]:
        first_month = 3 * (int(match["quarter"][1]) - 1) + 1
        months = 3
    else:
        first_month, months = 1, 12
    start = datetime.date(year, first_month, 1)
    last_month = first_month + months - 1
    end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if year == PILOT_START.year + 1 and first_month == 1 and months == 12:
        # The programme's first reporting year runs from the start of the pilot (docs/domain.md §6).
        start = PILOT_START
    if end < PILOT_START:
        raise DomainError(
            "period_before_pilot", _("The pilot began on 2024-10-01: choose a later period."), field="period"
        )
    start = max(start, PILOT_START)
    return start, end


def normalise_period(code):
    return (code or "").strip().upper()


# --- The arithmetic ------------------------------------------------------------------------------


def score_card(raw, weights, metrics=None):
    """One provider's card from the metrics' raw answers ``{code: (value, detail)}`` and ``weights``.

    Returns ``(metrics_json, total)``: ``{code: {"value", "points", "detail", "weight"}}`` (``value``
    and ``points`` ``None`` when there is no data) and the total as a ``Decimal`` (or ``None``).
    Pure: the hand-computed tests of the arithmetic call it directly.
    """
    metrics = metrics if metrics is not None else scorecard_metrics()
    card = {}
    weighted = Decimal(0)
    weight_sum = Decimal(0)
    for metric in metrics:
        value, detail = raw.get(metric.code, (None, {}))
        weight = _dec(weights.get(metric.code, 0) or 0)
        if value is None:
            card[metric.code] = {"value": None, "points": None, "detail": detail or {}, "weight": float(weight)}
            continue
        value = _dec(value)
        points = metric.to_points(value)
        card[metric.code] = {
            "value": float(_round(value)),
            "points": float(points),
            "detail": detail or {},
            "weight": float(weight),
        }
        if weight > 0:
            weighted += weight * points
            weight_sum += weight
    total = _round(weighted / weight_sum) if weight_sum else None
    return card, total


METRIC_HELP = gettext_lazy(
    "A metric with no data for a provider in the period is left out and its weight is spread over the "
    "provider's other metrics in proportion to their weights."
)
