"""The scorecard metric providers computes from its own records: enterprise satisfaction.

Registered in :meth:`providers.apps.ProvidersConfig.ready`; the other metrics come from the apps
that own their records (diagnostics; funding for first-try acceptance).
"""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from core import registry

from .models import ProviderRating
from .scorecard import ScorecardMetric, satisfaction_points


def satisfaction(providers, start, end):
    """The average of the ratings (1–5) the providers' enterprises gave in the period (exact, from the
    sum and the count); no ratings, no data."""
    rows = (
        ProviderRating.objects.filter(provider__in=providers, rated_on__gte=start, rated_on__lte=end)
        .order_by()
        .values("provider_id")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    return {
        row["provider_id"]: (Decimal(row["total"]) / Decimal(row["n"]), {"ratings": row["n"], "sum": row["total"]})
        for row in rows
    }


def register():
    registry.scorecard_metrics.register(
        "satisfaction",
        ScorecardMetric(
            "satisfaction",
            _("Enterprise satisfaction"),
            satisfaction,
            points=satisfaction_points,
            description=_(
                "Average rating (1–5) recorded by the enterprises' streets/towns; points = average ÷ 5 × 100."
            ),
        ),
    )
