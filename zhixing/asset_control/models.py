"""查控：网络查询、被执行人财产、查封扣押冻结措施、扣划。"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.agencies.models import Agency
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import Court, Party, User
from zhixing.core.money import MoneyField


class InquiryBatch(models.Model):
    """批量网络查控：one act for many cases, with a progress bar."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    purpose = models.CharField(_("用途"), max_length=255)
    skipped = models.JSONField(_("未纳入的案件"), default=list)

    class Meta:
        verbose_name = _("批量查控")
        verbose_name_plural = _("批量查控")

    def __str__(self) -> str:
        return f"批量查控 {self.pk}"


class Inquiry(models.Model):
    """网络查控（一次）：a case's debtors searched across the connected agencies."""

    class Reason(models.TextChoices):
        MANUAL = "manual", _("承办人发起")
        BATCH = "batch", _("批量查控")
        REINQUIRY = "reinquiry", _("终本后定期查询")

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="inquiries"
    )
    batch = models.ForeignKey(
        InquiryBatch,
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    reason = models.CharField(_("发起原因"), max_length=16, choices=Reason.choices, default=Reason.MANUAL)
    requested_by = models.ForeignKey(
        User, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    requested_on = models.DateField(_("发起日期"))
    purpose = models.CharField(_("用途"), max_length=255)
    legal_basis = models.JSONField(_("法律依据"), default=list)
    requests_total = models.PositiveIntegerField(_("请求数"), default=0)
    completed_at = models.DateTimeField(_("全部答复时间"), null=True, blank=True)
    assets_found = models.PositiveIntegerField(_("发现财产数"), default=0)

    class Meta:
        verbose_name = _("网络查控")
        verbose_name_plural = _("网络查控")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"网络查控 {self.pk}（{self.requested_on}）"


class Asset(models.Model):
    """被执行人财产（查控结果）：with its source agency and date."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="assets"
    )
    party = models.ForeignKey(Party, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("来源单位"), on_delete=models.PROTECT, related_name="+")
    agency_ref = models.CharField(_("单位财产编号"), max_length=128)
    kind = models.CharField(_("财产类别"), max_length=24)
    description = models.CharField(_("财产"), max_length=255)
    value = MoneyField(_("价值/余额"), null=True, blank=True)
    details = models.JSONField(_("详情（个人信息）"), default=dict)
    encumbrances = models.JSONField(_("权利负担"), default=list)
    found_on = models.DateField(_("查得日期"))
    last_seen_on = models.DateField(_("最近查询日期"))
    inquiry = models.ForeignKey(
        Inquiry, verbose_name=_("来源查询"), on_delete=models.PROTECT, related_name="assets"
    )

    class Meta:
        verbose_name = _("被执行人财产")
        verbose_name_plural = _("被执行人财产")
        constraints = [
            models.UniqueConstraint(fields=["case", "agency", "agency_ref"], name="asset_once_per_case")
        ]
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.description


class ControlMeasure(models.Model):
    """查封、扣押、冻结措施。"""

    class Kind(models.TextChoices):
        FREEZE = "freeze", _("冻结")
        SEAL = "seal", _("查封")
        SEIZURE = "seizure", _("扣押")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("已发出，待协助单位办理")
        EFFECTIVE = "effective", _("有效")
        WAITING = "waiting", _("轮候")
        REJECTED = "rejected", _("协助单位未能办理")
        FAILED = "failed", _("发送失败")
        RELEASING = "releasing", _("解除中")
        RELEASED = "released", _("已解除")
        EXPIRED = "expired", _("期满失效")

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="controls"
    )
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    asset = models.ForeignKey(
        Asset, verbose_name=_("财产"), on_delete=models.PROTECT, related_name="controls"
    )
    kind = models.CharField(_("措施"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    amount_requested = MoneyField(_("申请控制金额"), null=True, blank=True)
    amount_controlled = MoneyField(_("实际控制金额"), null=True, blank=True)
    amount_deducted = MoneyField(_("已扣划金额"), default=0)
    rank = models.PositiveSmallIntegerField(_("顺位"), null=True, blank=True)
    first_sealing_court = models.CharField(_("首封法院"), max_length=16, blank=True)
    agency_ref = models.CharField(_("协助单位措施编号"), max_length=128, blank=True)
    starts_on = models.DateField(_("起始日"))
    expires_on = models.DateField(_("届满日"))
    renewals = models.PositiveSmallIntegerField(_("续行次数"), default=0)
    reminders_sent = models.JSONField(_("已发续行提醒（届满前日数）"), default=list)
    citations = models.JSONField(_("依据"), default=list)
    overreach = models.JSONField(_("超标的提示"), default=dict, blank=True)
    reason = models.TextField(_("协助单位说明"), blank=True)
    release_ground = models.CharField(_("解除事由"), max_length=24, blank=True)
    released_on = models.DateField(_("解除日期"), null=True, blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("查封扣押冻结")
        verbose_name_plural = _("查封扣押冻结")
        ordering = ["expires_on", "pk"]
        indexes = [
            models.Index(
                fields=["expires_on"],
                name="control_live_expiry",
                condition=Q(status__in=["effective", "waiting"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset}"

    @property
    def live(self) -> bool:
        return self.status in (self.Status.EFFECTIVE, self.Status.WAITING)


class Deduction(models.Model):
    """扣划：frozen money moved to the case's account; the receipt is posted to the ledger."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("已发出")
        DONE = "done", _("已扣划入账")
        REJECTED = "rejected", _("未能扣划")
        FAILED = "failed", _("发送失败")

    measure = models.ForeignKey(
        ControlMeasure, verbose_name=_("冻结措施"), on_delete=models.PROTECT, related_name="deductions"
    )
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("扣划金额"))
    amount_deducted = MoneyField(_("实际扣划"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    transfer_reference = models.CharField(_("划款流水号"), max_length=64, blank=True)
    posting_id = models.PositiveBigIntegerField(_("入账记账号"), null=True, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("扣划")
        verbose_name_plural = _("扣划")

    def __str__(self) -> str:
        return f"扣划 {self.amount}"
