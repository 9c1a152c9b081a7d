"""Reads of providers, products, evaluation bodies, assignments, ratings and scorecards, scoped by the viewer.

Every read goes through the model's ``visible_to``: a record outside the viewer's scope is missing
(``DoesNotExist``, a 404 in the views), exactly like one that does not exist.
"""

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.roles import Role
from enterprises.choices import Status
from enterprises.filters import EnterpriseFilter
from enterprises.selectors import enterprise_list

from .choices import PoolStatus, ProviderType
from .filters import (
    EvaluationBodyFilter,
    EvaluatorAssignmentFilter,
    ProductFilter,
    ProviderAssignmentFilter,
    ProviderFilter,
    ProviderRatingFilter,
    ProviderScorecardFilter,
)
from .models import (
    EvaluationBody,
    EvaluatorAssignment,
    Product,
    Provider,
    ProviderAssignment,
    ProviderEvent,
    ProviderRating,
    ProviderScorecard,
    ScorecardWeights,
)
from .scorecard import DEFAULT_WEIGHTS, scorecard_metrics


def _count(queryset, field):
    """A correlated ``COUNT(*)`` subquery of ``queryset`` rows whose ``field`` is the outer row."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# --- Providers -------------------------------------------------------------------------------------


def provider_list(*, viewer):
    """Providers the viewer may see: the whole pool, or a provider user's own record."""
    return Provider.objects.visible_to(viewer)


def provider_list_with_counts(*, viewer):
    """Providers with the number of enterprises assigned (in the viewer's scope), products and recognised
    products (one query for the page, however many rows)."""
    return provider_list(viewer=viewer).annotate(
        enterprise_count=_count(ProviderAssignment.objects.visible_to(viewer), "provider"),
        product_count=_count(Product.objects.all(), "provider"),
        recognised_count=_count(Product.objects.recognised(), "provider"),
    )


def provider_filtered(*, viewer, params):
    """The viewer's providers narrowed by the list's filters (shared by page, export and API)."""
    filterset = ProviderFilter(params or None, queryset=provider_list_with_counts(viewer=viewer).order_by("name", "pk"))
    return filterset, filterset.qs


def provider_counts(*, queryset):
    """``{"total", "key", "by_type": {code: n}, "by_pool": {code: n}}`` over a (filtered) queryset."""
    base = queryset.order_by()
    by_type = dict.fromkeys(ProviderType.values, 0)
    for row in base.values("type").annotate(n=Count("pk")):
        by_type[row["type"]] = row["n"]
    by_pool = dict.fromkeys(PoolStatus.values, 0)
    for row in base.values("pool_status").annotate(n=Count("pk")):
        by_pool[row["pool_status"]] = row["n"]
    return {
        "total": sum(by_type.values()),
        "key": base.filter(key_provider_since__isnull=False).count(),
        "by_type": by_type,
        "by_pool": by_pool,
    }


def provider_get(*, viewer, pk):
    return provider_list_with_counts(viewer=viewer).get(pk=pk)


def provider_events(*, viewer, provider):
    return ProviderEvent.objects.visible_to(viewer).filter(provider=provider).select_related("actor")


def provider_users(*, provider):
    return get_user_model().objects.filter(provider=provider, role=Role.PROVIDER_USER).order_by("username")


def provider_diagnosis_count(*, provider):
    """How many diagnosis reports the provider has written (the relation is declared by diagnostics)."""
    return provider.diagnoses.count()


def provider_assignments(*, viewer, provider):
    """The enterprises assigned to ``provider`` that the viewer may see, with their unit."""
    return (
        ProviderAssignment.objects.visible_to(viewer)
        .filter(provider=provider)
        .select_related("enterprise__unit", "assigned_by")
        .order_by("enterprise__name")
    )


def provider_assignment_list(*, viewer, params=None):
    filterset = ProviderAssignmentFilter(
        params or None,
        queryset=ProviderAssignment.objects.visible_to(viewer).select_related("enterprise", "provider").order_by("pk"),
    )
    return filterset.qs


# --- Products --------------------------------------------------------------------------------------


def product_list(*, viewer):
    return Product.objects.visible_to(viewer).select_related("provider")


def product_filtered(*, viewer, params):
    filterset = ProductFilter(
        params or None, queryset=product_list(viewer=viewer).order_by("provider__name", "name", "pk"), viewer=viewer
    )
    return filterset, filterset.qs


def product_get(*, viewer, pk):
    return product_list(viewer=viewer).get(pk=pk)


def recognised_products(*, viewer):
    return product_list(viewer=viewer).recognised()


# --- Evaluation bodies -----------------------------------------------------------------------------


def evaluation_body_list(*, viewer):
    return EvaluationBody.objects.visible_to(viewer)


def evaluation_body_filtered(*, viewer, params):
    queryset = evaluation_body_list(viewer=viewer).annotate(
        enterprise_count=_count(EvaluatorAssignment.objects.visible_to(viewer), "evaluation_body"),
        staff_count=_count(get_user_model().objects.filter(role=Role.EVALUATOR), "evaluation_body"),
    )
    filterset = EvaluationBodyFilter(params or None, queryset=queryset.order_by("name", "pk"))
    return filterset, filterset.qs


def evaluation_body_get(*, viewer, pk):
    return evaluation_body_list(viewer=viewer).get(pk=pk)


def evaluation_body_staff(*, evaluation_body):
    return get_user_model().objects.filter(evaluation_body=evaluation_body, role=Role.EVALUATOR).order_by("username")


def evaluator_assignments(*, viewer, evaluation_body):
    return (
        EvaluatorAssignment.objects.visible_to(viewer)
        .filter(evaluation_body=evaluation_body)
        .select_related("enterprise__unit", "assigned_by")
        .order_by("enterprise__name")
    )


def evaluator_assignment_list(*, viewer, params=None):
    filterset = EvaluatorAssignmentFilter(
        params or None,
        queryset=EvaluatorAssignment.objects.visible_to(viewer)
        .select_related("enterprise", "evaluation_body")
        .order_by("pk"),
    )
    return filterset.qs


# --- Assigning -------------------------------------------------------------------------------------


def assignable_enterprises(*, viewer, params, exclude_ids=()):
    """Pilot enterprises the district may pick from (the registry's filters; in the pilot list unless
    another status is asked for), leaving out those already assigned."""
    params = params.copy()
    if not params.get("status"):
        params["status"] = Status.ACTIVE
    filterset = EnterpriseFilter(params, queryset=enterprise_list(viewer=viewer).order_by("unit__code", "name"))
    return filterset, filterset.qs.exclude(pk__in=list(exclude_ids))


def enterprise_provider_assignments(*, viewer, enterprise):
    return (
        ProviderAssignment.objects.visible_to(viewer)
        .filter(enterprise=enterprise)
        .select_related("provider", "assigned_by")
        .order_by("assigned_on", "pk")
    )


def enterprise_evaluator_assignments(*, viewer, enterprise):
    return (
        EvaluatorAssignment.objects.visible_to(viewer)
        .filter(enterprise=enterprise)
        .select_related("evaluation_body", "assigned_by")
        .order_by("assigned_on", "pk")
    )


# --- Ratings ---------------------------------------------------------------------------------------


def rating_list(*, viewer, params=None):
    filterset = ProviderRatingFilter(
        params or None,
        queryset=ProviderRating.objects.visible_to(viewer)
        .select_related("enterprise", "provider", "rated_by")
        .order_by("-rated_on", "-pk"),
    )
    return filterset.qs


def rating_summary(*, viewer, provider):
    """``{"count", "average"}`` of the ratings of ``provider`` the viewer may see."""
    return (
        ProviderRating.objects.visible_to(viewer)
        .filter(provider=provider)
        .aggregate(count=Count("pk"), average=Avg("score"))
    )


# --- Scorecards ------------------------------------------------------------------------------------


def scorecard_list(*, viewer, params=None):
    filterset = ProviderScorecardFilter(
        params or None,
        queryset=ProviderScorecard.objects.visible_to(viewer)
        .select_related("provider", "replied_by")
        .order_by("-ends_on", "provider__name", "pk"),
    )
    return filterset.qs


def scorecard_get(*, viewer, pk):
    return (
        ProviderScorecard.objects.visible_to(viewer).select_related("provider", "replied_by", "computed_by").get(pk=pk)
    )


def scorecard_periods(*, viewer):
    """The periods for which the viewer sees cards, most recent first."""
    rows = ProviderScorecard.objects.visible_to(viewer).order_by().values("period", "starts_on", "ends_on").distinct()
    return [r["period"] for r in sorted(rows, key=lambda r: (r["ends_on"], r["starts_on"]), reverse=True)]


def provider_scorecards(*, viewer, provider):
    """One provider's cards, one per period, most recent first (its history across periods)."""
    return ProviderScorecard.objects.visible_to(viewer).filter(provider=provider).order_by("-ends_on", "period")


def current_weights():
    """``{code: weight}`` for every registered metric (the stored set, defaults where it says nothing)."""
    stored = ScorecardWeights.objects.order_by("pk").first()
    saved = stored.weights if stored else {}
    return {m.code: int(saved.get(m.code, DEFAULT_WEIGHTS.get(m.code, 0))) for m in scorecard_metrics()}


def weights_record():
    return ScorecardWeights.objects.order_by("pk").select_related("updated_by").first()


def weights_history():
    return ScorecardWeights.history.select_related("history_user").order_by("-history_date")[:20]


def ratings_of_enterprise(*, viewer, enterprise):
    return (
        ProviderRating.objects.visible_to(viewer)
        .filter(enterprise=enterprise)
        .select_related("provider", "rated_by")
        .order_by("-rated_on", "-pk")
    )
