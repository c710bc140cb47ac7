"""后台任务运行数据的管理页面（只读）。"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhixing.core.worker.models import ScheduledRun, WorkerHeartbeat


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(_ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen_at"]
    list_filter = ["hostname"]
    search_fields = ["worker_id", "hostname"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(_ReadOnlyAdmin):
    list_display = ["name", "period_start", "enqueued_at", "task_result"]
    list_filter = ["name"]
    search_fields = ["name"]
    date_hierarchy = "period_start"
    list_select_related = ["task_result"]
