"""协助执行单位与协助请求。

``AgencyRequest`` is the outbox: a row written in the same transaction as the decision that
causes it (a freeze ordered, an inquiry started), sent later by the dispatcher outside any
transaction, and answered once (docs/decisions/0007-agency-outbox.md).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.agencies.protocol import Act
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import Court, Party, User


class Agency(models.Model):
    """协助执行单位（银行、不动产登记、公安、民政、市场监管、证券登记、公积金、税务、网格）。"""

    class Kind(models.TextChoices):
        BANK = "bank", _("银行")
        REAL_ESTATE_REGISTRY = "real_estate_registry", _("不动产登记机构")
        PUBLIC_SECURITY = "public_security", _("公安机关（车辆、户籍）")
        CIVIL_AFFAIRS = "civil_affairs", _("民政部门（婚姻登记）")
        MARKET_REGULATION = "market_regulation", _("市场监管部门（股权）")
        SECURITIES_DEPOSITORY = "securities_depository", _("证券登记结算机构")
        PROVIDENT_FUND = "provident_fund", _("住房公积金管理中心")
        TAX = "tax", _("税务机关")
        GRID = "grid", _("网格（网格员）")

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    region = models.CharField(_("区域"), max_length=64, blank=True)
    endpoint = models.URLField(
        _("接口地址"), max_length=255, blank=True, help_text=_("为空表示未对接，由工作台人工答复")
    )
    key_id = models.CharField(_("密钥编号"), max_length=64, blank=True)
    secret = models.CharField(_("签名密钥"), max_length=128, blank=True)
    acts = models.JSONField(_("支持的协助事项"), default=list)
    answer_hours = models.PositiveIntegerField(_("答复时限（小时）"), default=24)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("协助执行单位")
        verbose_name_plural = _("协助执行单位")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def integrated(self) -> bool:
        """已对接：requests go over the protocol; otherwise the agency's clerk answers on the desk."""
        return bool(self.endpoint)

    def supports(self, act: str) -> bool:
        return act in self.acts


class AgencyMember(models.Model):
    """协助执行单位工作人员：the account of an agency clerk who answers on the agency desk."""

    user = models.OneToOneField(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="agency_member"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("协助执行单位工作人员")
        verbose_name_plural = _("协助执行单位工作人员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency.code}"


class AgencyRequest(models.Model):
    """协助执行请求（发件箱）。"""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        AWAITING = "awaiting", _("等待答复")
        ANSWERED = "answered", _("已答复")
        FAILED = "failed", _("发送失败")

    request_id = models.UUIDField(_("请求编号（幂等键）"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, verbose_name=_("协助单位"), on_delete=models.PROTECT, related_name="requests"
    )
    act = models.CharField(_("协助事项"), max_length=24, choices=[(a.value, a.value) for a in Act])
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_requests",
    )
    subject = models.ForeignKey(
        Party, verbose_name=_("被查控人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        User, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("来源"), max_length=32)  # the app that handles the answer
    origin_ref = models.CharField(_("来源记录"), max_length=64, blank=True)
    legal_basis = models.JSONField(_("法律依据"), default=list)
    purpose = models.CharField(_("用途"), max_length=255)
    payload = models.JSONField(_("请求内容"), default=dict)  # act fields; never a plain identity number
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=timezone.now)
    lease_until = models.DateTimeField(_("占用至"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    first_sent_at = models.DateTimeField(_("首次发送时间"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    interim_status = models.CharField(_("中间状态"), max_length=16, blank=True)
    reply_status = models.CharField(_("答复结果"), max_length=16, blank=True)  # completed / rejected
    reply = models.JSONField(_("答复内容"), default=dict, blank=True)
    agency_ref = models.CharField(_("协助单位编号"), max_length=128, blank=True)
    reason_code = models.CharField(_("拒绝代码"), max_length=32, blank=True)
    reason = models.TextField(_("拒绝理由"), blank=True)
    duplicates = models.PositiveIntegerField(_("重复答复次数"), default=0)
    handler_error = models.TextField(_("答复处理错误"), blank=True)
    answered_by = models.ForeignKey(
        User, verbose_name=_("人工答复人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_alerted_at = models.DateTimeField(_("逾期预警时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("协助执行请求")
        verbose_name_plural = _("协助执行请求")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="agency_req_due"),
            models.Index(fields=["agency", "status"], name="agency_req_by_agency"),
            models.Index(fields=["origin", "origin_ref"], name="agency_req_origin"),
            models.Index(
                fields=["due_at"],
                name="agency_req_open_due",
                condition=Q(status__in=["queued", "sending", "awaiting"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.act} {self.request_id}"


class AgencyNotice(models.Model):
    """协助单位主动通知（如轮候查封生效）：recorded once per (agency, notice id)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("协助单位"), on_delete=models.PROTECT, related_name="notices"
    )
    notice_id = models.CharField(_("通知编号"), max_length=128)
    event = models.CharField(_("事件"), max_length=48)
    body = models.JSONField(_("内容"), default=dict)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    handled = models.BooleanField(_("已处理"), default=False)
    handler_error = models.TextField(_("处理错误"), blank=True)

    class Meta:
        verbose_name = _("协助单位通知")
        verbose_name_plural = _("协助单位通知")
        constraints = [models.UniqueConstraint(fields=["agency", "notice_id"], name="agency_notice_once")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.event} {self.notice_id}"
