"""后台管理：templates and their versions, documents and deliveries — issued documents read-only."""

from django.contrib import admin

from zhixing.core.admin import ReadOnlyAdmin
from zhixing.documents.models import (
    Delivery,
    DeliveryAlert,
    Document,
    DocumentTemplate,
    InboxMessage,
    SimulatedMessage,
    TemplateVersion,
)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "title", "current_version"]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(ReadOnlyAdmin):
    list_display = ["template", "number", "content_hash", "created_at"]
    list_filter = ["template"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "kind", "court", "case_number", "issued_on", "issued_by"]
    list_filter = ["kind", "court"]
    search_fields = ["number", "case_number", "stream"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["document", "recipient_name", "channel", "status", "delivered_on"]
    list_filter = ["channel", "status", "court"]


@admin.register(DeliveryAlert)
class DeliveryAlertAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "reason", "raised_at", "resolved_at"]
    list_filter = ["reason"]


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["recipient_user", "document", "arrived_at", "read_at"]


@admin.register(SimulatedMessage)
class SimulatedMessageAdmin(ReadOnlyAdmin):
    list_display = ["gateway_id", "to", "accepted_at", "receipt_status", "receipt_posted_at"]
