"""Provider scorecard metrics computed from diagnosis reports, deadlines and on-site evaluations.

Registered in ``core.registry.scorecard_metrics`` from
:meth:`diagnostics.apps.DiagnosticsConfig.ready` (providers sits left of diagnostics and never
imports it). Each function answers ``{provider_id: (value, detail)}`` for a queryset of providers
and a period ``start``–``end`` (inclusive), with one query (two for the level gained), never one
per provider. A provider absent from the answer has no data for the metric in the period.
"""

from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core import registry
from providers.scorecard import ScorecardMetric, level_gain_points, rate_points, returns_points

from .choices import DeadlineKind, DiagnosisStatus, Stage
from .models import Assessment, Deadline, Diagnosis


def reports_on_time(providers, start, end):
    """Share (%) of the provider's diagnosis reports first submitted in the period whose first
    submission (``submitted_on``) is on or before the enterprise's diagnosis deadline; a report whose
    enterprise has no diagnosis deadline counts as on time."""
    due = Deadline.objects.filter(enterprise=OuterRef("enterprise"), kind=DeadlineKind.DIAGNOSIS).values("due_on")[:1]
    rows = (
        Diagnosis.objects.filter(provider__in=providers, submitted_on__gte=start, submitted_on__lte=end)
        .annotate(due_on=Subquery(due))
        .order_by()
        .values_list("provider_id", "submitted_on", "due_on")
    )
    counts = {}
    for provider_id, submitted_on, due_on in rows:
        entry = counts.setdefault(provider_id, {"submitted": 0, "on_time": 0, "without_deadline": 0})
        entry["submitted"] += 1
        if due_on is None:
            entry["without_deadline"] += 1
            entry["on_time"] += 1
        elif submitted_on <= due_on:
            entry["on_time"] += 1
    return {
        provider_id: (Decimal(entry["on_time"]) * 100 / Decimal(entry["submitted"]), entry)
        for provider_id, entry in counts.items()
    }


def rounds_of_return(providers, start, end):
    """Average number of times the provider's reports accepted in the period were returned for revision."""
    rows = (
        Diagnosis.objects.filter(
            provider__in=providers,
            status=DiagnosisStatus.ACCEPTED,
            accepted_on__gte=start,
            accepted_on__lte=end,
        )
        .order_by()
        .values_list("provider_id", "return_count")
    )
    counts = {}
    for provider_id, return_count in rows:
        entry = counts.setdefault(provider_id, {"accepted": 0, "returns": 0})
        entry["accepted"] += 1
        entry["returns"] += return_count or 0
    return {
        provider_id: (Decimal(entry["returns"]) / Decimal(entry["accepted"]), entry)
        for provider_id, entry in counts.items()
    }


def _latest_levels(enterprise_ids, end):
    """``{(enterprise_id, stage): (evaluated_on, level)}``: each enterprise's latest authoritative
    (on-site, submitted) evaluation per stage dated up to ``end`` (same day: the one entered last)."""
    latest = {}
    rows = (
        Assessment.objects.authoritative()
        .filter(enterprise_id__in=enterprise_ids, evaluated_on__lte=end, level__isnull=False)
        .order_by("evaluated_on", "pk")
        .values_list("enterprise_id", "stage", "evaluated_on", "level")
    )
    for enterprise_id, stage, evaluated_on, level in rows:
        latest[(enterprise_id, stage)] = (evaluated_on, level)
    return latest


def level_gained(providers, start, end):
    """Average digital levels gained by the enterprises whose current accepted diagnosis is the
    provider's: the latest on-site post-transformation level (that evaluation dated in the period)
    minus the latest on-site baseline level (dated up to the period's end). Enterprises without both
    evaluations are left out; a provider with none of them has no data."""
    current = dict(
        Diagnosis.objects.filter(provider__in=providers, is_current=True, status=DiagnosisStatus.ACCEPTED)
        .order_by()
        .values_list("enterprise_id", "provider_id")
    )
    if not current:
        return {}
    latest = _latest_levels(list(current), end)
    counts = {}
    for enterprise_id, provider_id in current.items():
        post = latest.get((enterprise_id, Stage.POST))
        baseline = latest.get((enterprise_id, Stage.BASELINE))
        if post is None or baseline is None or not (start <= post[0] <= end):
            continue
        entry = counts.setdefault(provider_id, {"enterprises": 0, "levels_gained": 0})
        entry["enterprises"] += 1
        entry["levels_gained"] += post[1] - baseline[1]
    return {
        provider_id: (Decimal(entry["levels_gained"]) / Decimal(entry["enterprises"]), entry)
        for provider_id, entry in counts.items()
    }


def register():
    """Called from ``DiagnosticsConfig.ready``."""
    registry.scorecard_metrics.register(
        "on_time",
        ScorecardMetric(
            "on_time",
            _("Diagnosis reports on time"),
            reports_on_time,
            points=rate_points,
            description=_(
                "Share of reports first submitted in the period by the enterprise's diagnosis deadline "
                "(no deadline counts as on time); points = the percentage."
            ),
        ),
    )
    registry.scorecard_metrics.register(
        "returns",
        ScorecardMetric(
            "returns",
            _("Rounds of return for revision"),
            rounds_of_return,
            higher_is_better=False,
            points=returns_points,
            description=_(
                "Average rounds of return of the reports accepted in the period; points = 100 − 50 × average, at least 0."
            ),
        ),
    )
    registry.scorecard_metrics.register(
        "level_gain",
        ScorecardMetric(
            "level_gain",
            _("Digital level gained by its enterprises"),
            level_gained,
            points=level_gain_points,
            description=_(
                "Average of latest on-site post level − latest on-site baseline level of the enterprises whose "
                "current accepted diagnosis is the provider's (post evaluation in the period); points = 50 per "
                "level, from 0 to 100."
            ),
        ),
    )
