from django.contrib import admin

from core.admin import SimpleHistoryAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "unit", "sector", "scale", "tier", "status"]
    list_filter = ["status", "sector", "scale", "tier", "unit"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["replacement"]
