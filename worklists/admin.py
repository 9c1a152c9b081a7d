from django.contrib import admin

from core.admin import SimpleHistoryAdmin

from .models import PolicyDocument, WorkTask


@admin.register(WorkTask)
class WorkTaskAdmin(SimpleHistoryAdmin):
    list_display = ["position", "title", "responsible_departments", "unit", "deadline", "status", "percent"]
    list_filter = ["category", "status"]
    search_fields = ["title", "responsible_departments"]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "issuer", "issued_on", "effective_to", "repealed"]
    search_fields = ["number", "title", "issuer"]
