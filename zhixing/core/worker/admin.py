"""后台任务运行数据的管理页面（只读）。"""

from __future__ import annotations

from django.contrib import admin

from zhixing.core.admin import ReadOnlyAdmin
from zhixing.core.worker.models import ScheduledRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "last_seen_at"]
    list_filter = ["hostname"]
    search_fields = ["worker_id", "hostname"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "period_start", "enqueued_at", "task_result"]
    list_filter = ["name"]
    search_fields = ["name"]
    date_hierarchy = "period_start"
    list_select_related = ["task_result"]
