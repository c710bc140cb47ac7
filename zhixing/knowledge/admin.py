"""后台管理：the library read-only (items and links are written only through the services, journaled)."""

from django.contrib import admin

from zhixing.core.admin import ReadOnlyAdmin
from zhixing.knowledge.models import KnowledgeItem, KnowledgeLink


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "court", "author", "status", "published_at"]
    list_filter = ["kind", "status", "court"]
    search_fields = ["title", "summary"]


@admin.register(KnowledgeLink)
class KnowledgeLinkAdmin(ReadOnlyAdmin):
    list_display = ["case", "item", "linked_by", "created_at"]
    search_fields = ["case__case_number", "item__title"]
