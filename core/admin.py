from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin as _LibraryHistoryAdmin

from .models import Attachment, BackgroundJob, DownloadLog, OrgUnit


class SimpleHistoryAdmin(_LibraryHistoryAdmin):
    """django-simple-history's admin, with the history page of an id that is not one answering 404 (the
    library's own answers 500: docs/api.md "Bad input, again"). Every admin with history uses this one."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except (ValidationError, ValueError, TypeError) as exc:
            raise Http404 from exc
        return super().history_view(request, object_id, extra_context)


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
