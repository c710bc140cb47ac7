"""后台管理：organisation and staff data for administrators. The journal is read-only here."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import ApiToken, ApprovalRequest, Court, Department, JournalEvent, Party, Team, User


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["court_code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["court_code", "name", "short_name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "kind"]
    list_filter = ["kind", "court"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "track", "department"]
    list_filter = ["track", "court"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "court", "team", "role", "is_active", "locked_until"]
    list_filter = ["role", "court", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("法院与角色"), {"fields": ("full_name", "court", "team", "role", "phone")}),
        (_("安全"), {"fields": ("failed_login_count", "locked_until", "totp_enabled")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(JournalEvent)
class JournalEventAdmin(ReadOnlyAdmin):
    list_display = ["stream", "seq", "kind", "court", "actor", "occurred_at"]
    list_filter = ["kind", "court"]
    search_fields = ["stream"]


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin):
    """Parties are registered through the service (validation, encryption); the admin only lists them."""

    list_display = ["name", "kind", "id_masked", "registered_by_court", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["id_cipher", "id_lookup"]


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "court", "act", "approver_role", "status", "requested_at"]
    list_filter = ["status", "approver_role", "court"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
