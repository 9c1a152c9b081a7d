"""The provider scorecard's first-try acceptance metric (registered in FundingConfig.ready).

Share (%) of a provider's projects whose first on-site acceptance inspection, dated in the period,
passed. The inspection's result is read as it stands now: a recorded correction of that first
inspection counts (it fixes a typing mistake, not the work). Projects without an inspection in the
period give no data.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core import registry
from providers.scorecard import ScorecardMetric, rate_points

from .models import Acceptance


def first_try_acceptance(providers, start, end):
    rows = (
        Acceptance.objects.filter(
            attempt=1, project__provider__in=providers, accepted_on__gte=start, accepted_on__lte=end
        )
        .order_by()
        .values_list("project__provider_id", "passed")
    )
    counts = {}
    for provider_id, passed in rows:
        entry = counts.setdefault(provider_id, {"inspected": 0, "passed_first_time": 0})
        entry["inspected"] += 1
        entry["passed_first_time"] += 1 if passed else 0
    return {
        provider_id: (Decimal(entry["passed_first_time"]) * 100 / Decimal(entry["inspected"]), entry)
        for provider_id, entry in counts.items()
    }


def register():
    registry.scorecard_metrics.register(
        "first_try_acceptance",
        ScorecardMetric(
            "first_try_acceptance",
            _("First-try acceptance"),
            first_try_acceptance,
            points=rate_points,
            description=_("Share of the provider's projects whose first on-site acceptance in the period passed."),
        ),
    )
