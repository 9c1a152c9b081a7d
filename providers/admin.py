from django.contrib import admin

from core.admin import SimpleHistoryAdmin

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


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "type", "key_provider_since"]
    search_fields = ["name", "credit_code"]


@admin.register(EvaluationBody)
class EvaluationBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code"]
    search_fields = ["name", "credit_code"]


@admin.register(ProviderAssignment)
class ProviderAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "provider", "assigned_on"]
    fields = ["enterprise", "provider", "assigned_on", "assigned_by"]
    raw_id_fields = ["enterprise"]


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "evaluation_body", "assigned_on"]
    fields = ["enterprise", "evaluation_body", "assigned_on", "assigned_by"]
    raw_id_fields = ["enterprise"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "price_model", "deployments", "recognised_on"]
    list_filter = ["price_model"]
    search_fields = ["name", "provider__name"]


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "kind", "from_value", "to_value", "happened_on", "actor"]
    list_filter = ["kind"]


@admin.register(ProviderRating)
class ProviderRatingAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "provider", "score", "rated_on", "rated_by"]
    raw_id_fields = ["enterprise"]


@admin.register(ScorecardWeights)
class ScorecardWeightsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "updated_at", "updated_by"]


@admin.register(ProviderScorecard)
class ProviderScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "period", "total", "computed_at"]
    list_filter = ["period"]
