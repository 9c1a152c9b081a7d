from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, BackgroundJob, DownloadLog, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent"]
    search_fields = ["code", "name"]


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "status", "progress", "attempts", "created_by"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "id",
        "kind",
        "status",
        "progress",
        "message",
        "result",
        "error",
        "task_name",
        "task_args",
        "attempts",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "lease_expires_at",
        "worker",
    ]


@admin.register(DownloadLog)
class DownloadLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "description", "ip_address"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in DownloadLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "content_type", "object_id", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["file", "sha256", "size", "mime_type"]
