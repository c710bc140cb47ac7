"""后台管理：the agency registry (through the registry service, so its checks apply), the agency
clerks' links, and the requests and notices read-only (they are the audit of what was asked)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhixing.agencies import services
from zhixing.agencies.models import Agency, AgencyMember, AgencyNotice, AgencyRequest
from zhixing.agencies.protocol import Act
from zhixing.core.admin import ReadOnlyAdmin
from zhixing.core.errors import ServiceError


class AgencyForm(forms.ModelForm):
    acts = forms.MultipleChoiceField(
        label="支持的协助事项", choices=[(a.value, a.value) for a in Act], widget=forms.CheckboxSelectMultiple
    )
    endpoint = forms.URLField(label="接口地址", required=False, max_length=255, assume_scheme="https")
    secret = forms.CharField(label="签名密钥", required=False, widget=forms.PasswordInput(render_value=True))

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "kind",
            "region",
            "endpoint",
            "key_id",
            "secret",
            "acts",
            "answer_hours",
            "active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.agency_validate(
                kind=data.get("kind", ""),
                acts=data.get("acts"),
                endpoint=data.get("endpoint", ""),
                secret=data.get("secret", ""),
            )
        except ServiceError as e:
            self.add_error(e.field if e.field in self.fields else None, e.message)
        return data


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ["code", "name", "kind", "region", "endpoint", "answer_hours", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.agency_register(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            region=data["region"],
            endpoint=data["endpoint"],
            key_id=data["key_id"],
            secret=data["secret"],
            acts=data["acts"],
            answer_hours=data["answer_hours"],
            active=data["active"],
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # requests refer to it; deactivate instead


@admin.register(AgencyMember)
class AgencyMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    list_filter = ["agency"]


@admin.register(AgencyRequest)
class AgencyRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "request_id",
        "agency",
        "act",
        "court",
        "case",
        "status",
        "attempts",
        "created_at",
        "answered_at",
    ]
    list_filter = ["status", "act", "agency"]
    search_fields = ["request_id", "case__case_number"]
    exclude = ["subject"]


@admin.register(AgencyNotice)
class AgencyNoticeAdmin(ReadOnlyAdmin):
    list_display = ["agency", "notice_id", "event", "received_at", "handled"]
