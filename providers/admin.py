from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment


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
    raw_id_fields = ["enterprise"]


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["enterprise", "evaluation_body", "assigned_on"]
    raw_id_fields = ["enterprise"]
