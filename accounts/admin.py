from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "role", "unit", "provider", "evaluation_body", "is_active"]
    list_filter = ["role", "is_active", "unit"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            _("Portal role"),
            {
                "fields": [
                    "role",
                    "display_name",
                    "phone",
                    "unit",
                    "provider",
                    "evaluation_body",
                    "must_change_password",
                ]
            },
        ),
    ]
