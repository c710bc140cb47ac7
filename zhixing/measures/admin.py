"""后台管理：partners are registered through ``lists.partner_create`` (the key is shown once, on the page
that answers the registration, and never stored in clear); their checks and the published list
entries are read-only (they are the audit of what was published and who looked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from zhixing.core.admin import ReadOnlyAdmin
from zhixing.measures import lists
from zhixing.measures.models import ListEntry, Partner, PartnerCheck

ADD_FIELDS = ["name", "kind", "rate_per_minute", "may_mirror"]
CHANGE_FIELDS = ["name", "kind", "key_prefix", "rate_per_minute", "may_mirror", "active", "created_at"]
_KEY_ATTR = "_zhixing_partner_key"


class PartnerAddForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ADD_FIELDS

    def clean_rate_per_minute(self) -> int:
        rate = self.cleaned_data["rate_per_minute"]
        if rate is None or rate < 1:
            raise forms.ValidationError(_("调用上限须为正数"))
        return int(rate)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "key_prefix", "rate_per_minute", "may_mirror", "active", "created_at"]
    list_filter = ["kind", "active", "may_mirror"]
    search_fields = ["name", "key_prefix"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ADD_FIELDS if obj is None else CHANGE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["key_prefix", "created_at"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = PartnerAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Partner, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        partner, key = lists.partner_create(
            name=data["name"],
            kind=data["kind"],
            rate_per_minute=data["rate_per_minute"],
            may_mirror=data["may_mirror"],
        )
        obj.pk = partner.pk
        obj.key_prefix, obj.key_hash = partner.key_prefix, partner.key_hash
        obj.created_at = partner.created_at
        setattr(request, _KEY_ATTR, key)  # only for the answer to this request

    def response_add(self, request: HttpRequest, obj: Partner, post_url_continue: Any = None) -> HttpResponse:
        key = getattr(request, _KEY_ATTR, None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "admin/measures/partner/key_issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("合作单位已登记"),
                "opts": self.opts,
                "partner": obj,
                "key": key,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its checks refer to it; deactivate instead


@admin.register(PartnerCheck)
class PartnerCheckAdmin(ReadOnlyAdmin):
    list_display = ["partner", "kind", "count", "hits", "at"]
    list_filter = ["kind", "partner"]
    date_hierarchy = "at"


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ["kind", "published_name", "published_id", "active", "published_at", "removed_at"]
    list_filter = ["kind", "active"]
    exclude = ["lookup"]

    @admin.display(description=_("姓名/名称"))
    def published_name(self, obj: ListEntry) -> str:
        return str(obj.public.get("name", ""))

    @admin.display(description=_("证件号码"))
    def published_id(self, obj: ListEntry) -> str:
        return str(obj.public.get("id_masked", ""))
