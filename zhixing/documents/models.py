"""法律文书与送达的数据 — templates and their versions, issued documents, deliveries, alerts.

An issued :class:`Document` never changes: it is numbered and its data fixed (and hashed into the
case journal) in the act's transaction; its PDF is rendered once, outside that transaction, by the
worker (or on first demand), stored as a content-addressed file under ``DOCUMENTS_DIR`` and
recorded as its :class:`DocumentFile` with its SHA-256 (also journaled). Both models refuse updates
and the database refuses UPDATE through triggers (migrations 0002, 0003). A correction is a new
document whose ``corrects`` points at the old one. Deliveries change (their status moves on).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import Court, Party, User


class ImmutableDocumentError(RuntimeError):
    """已签发的文书不可修改（更正请另行签发更正文书）。"""


# --- templates ------------------------------------------------------------------------------
class DocumentTemplate(models.Model):
    """文书模板：one per document kind; its text lives in versions."""

    kind = models.CharField(_("文书种类"), max_length=64, unique=True)
    title = models.CharField(_("文书名称"), max_length=64)
    current_version = models.ForeignKey(
        "TemplateVersion",
        verbose_name=_("当前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.title}（{self.kind}）"


class TemplateVersion(models.Model):
    """模板版本：the exact text a document was rendered with (the kind's file and the shared layout)."""

    template = models.ForeignKey(
        DocumentTemplate, verbose_name=_("模板"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    source = models.TextField(_("模板文本"))
    layout_source = models.TextField(_("版式文本"))
    meta = models.JSONField(_("元数据"), default=dict)
    content_hash = models.CharField(_("摘要（SHA-256）"), max_length=64)
    created_at = models.DateTimeField(_("载入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("模板版本")
        verbose_name_plural = _("模板版本")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="documents_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.kind} v{self.number}"


# --- numbering ------------------------------------------------------------------------------
class DocumentCounter(models.Model):
    """文书编号计数器：per court, year and kind; advanced inside the issuing transaction (gapless)."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("文书种类"), max_length=64)
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("文书编号计数器")
        verbose_name_plural = _("文书编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "kind"], name="documents_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court.court_code} {self.year} {self.kind} #{self.last}"


# --- documents ------------------------------------------------------------------------------
class Document(models.Model):
    """法律文书：numbered, sealed, archived unchanged (its PDF and hash never change)."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    stream = models.CharField(_("所属日志链"), max_length=64, db_index=True)
    case_number = models.CharField(_("案号"), max_length=64)
    subject_label = models.CharField(_("事项"), max_length=200, blank=True)
    kind = models.CharField(_("文书种类"), max_length=64)
    title = models.CharField(_("文书名称"), max_length=64)
    template_version = models.ForeignKey(
        TemplateVersion, verbose_name=_("模板版本"), on_delete=models.PROTECT, related_name="documents"
    )
    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("年度序号"))
    number = models.CharField(_("文书编号"), max_length=64, unique=True)
    issued_on = models.DateField(_("签发日期"))
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    issued_by = models.ForeignKey(User, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+")
    context = models.JSONField(_("文书数据"), default=dict)
    citations = models.JSONField(_("法律依据"), default=list)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    class Meta:
        verbose_name = _("法律文书")
        verbose_name_plural = _("法律文书")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "kind", "seq"], name="documents_number_unique")
        ]
        indexes = [models.Index(fields=["stream", "issued_at"]), models.Index(fields=["court", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableDocumentError(f"文书 {self.number} 已签发，不可修改；如需更正请签发更正文书")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableDocumentError(f"文书 {self.number} 已签发归档，不可删除")

    @property
    def filename(self) -> str:
        return f"{self.number}{self.title}.pdf"


class DocumentFile(models.Model):
    """文书文件：the PDF of an issued document, rendered once outside the issuing transaction.

    Written by :func:`zhixing.documents.services.document_render` (the worker's task, or the first
    download before it ran); never changed afterwards (model guard and database trigger).
    """

    document = models.OneToOneField(
        Document, verbose_name=_("文书"), primary_key=True, on_delete=models.PROTECT, related_name="file"
    )
    content_hash = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    size = models.PositiveIntegerField(_("文件大小（字节）"))
    storage_name = models.CharField(_("存储位置"), max_length=255)
    rendered_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文书文件")
        verbose_name_plural = _("文书文件")

    def __str__(self) -> str:
        return f"{self.document_id} {self.content_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableDocumentError("文书文件已归档，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableDocumentError("文书文件已归档，不可删除")


# --- deliveries -----------------------------------------------------------------------------
class Delivery(models.Model):
    """送达：one recipient of one document by one channel, with its status and deemed date."""

    class Channel(models.TextChoices):
        ELECTRONIC = "electronic", _("电子送达")
        POSTAL = "postal", _("邮寄送达")
        IN_PERSON = "in_person", _("直接送达")
        BY_ANNOUNCEMENT = "by_announcement", _("公告送达")

    class Status(models.TextChoices):
        PENDING = "pending", _("待送达")
        SENT = "sent", _("已发出")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("送达失败")
        RETURNED = "returned", _("邮件退回")

    document = models.ForeignKey(
        Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="deliveries"
    )
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(_("受送达人"), max_length=128)
    recipient_role = models.CharField(_("诉讼地位"), max_length=32, blank=True)
    recipient_party = models.ForeignKey(
        Party, verbose_name=_("当事人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_user = models.ForeignKey(
        User, verbose_name=_("平台用户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("送达地址/手机/邮箱"), max_length=255, blank=True)
    channel = models.CharField(_("送达方式"), max_length=24, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    published_on = models.DateField(_("公告日期"), null=True, blank=True)
    tracking_number = models.CharField(_("邮件单号"), max_length=64, blank=True)
    gateway_message_id = models.CharField(_("网关消息号"), max_length=64, blank=True, db_index=True)
    delivered_on = models.DateField(_("视为送达日期"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达确认时间"), null=True, blank=True)
    receipt = models.TextField(_("送达回证/回执"), blank=True)
    receipt_hash = models.CharField(_("回证文件摘要"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=255, blank=True)
    citations = models.JSONField(_("送达日期依据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")
        ordering = ["document", "id"]
        indexes = [models.Index(fields=["court", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_on__isnull=False),
                name="documents_delivered_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.number} → {self.recipient_name}（{self.get_channel_display()}）"


class InboxMessage(models.Model):
    """收件箱：a document delivered electronically to a platform user; storing it is the arrival."""

    recipient_user = models.ForeignKey(
        User, verbose_name=_("收件人"), on_delete=models.PROTECT, related_name="document_inbox"
    )
    delivery = models.OneToOneField(
        Delivery, verbose_name=_("送达"), on_delete=models.PROTECT, related_name="inbox_message"
    )
    document = models.ForeignKey(Document, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField(_("到达时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("收件箱文书")
        verbose_name_plural = _("收件箱文书")
        ordering = ["-arrived_at", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient_user} ← {self.document.number}"


class DeliveryAlert(models.Model):
    """未送达预警：overdue, failed or returned deliveries, visible to the court's staff."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("逾期未送达")
        FAILED = "failed", _("送达失败")
        RETURNED = "returned", _("邮件退回")

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("送达"), on_delete=models.PROTECT, related_name="alerts"
    )
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=16, choices=Reason.choices)
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("送达预警")
        verbose_name_plural = _("送达预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "reason"],
                condition=Q(resolved_at__isnull=True),
                name="documents_one_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.get_reason_display()}"


class SimulatedMessage(models.Model):
    """短信/邮件网关模拟器的消息：the local simulator records what a real gateway would send."""

    gateway_id = models.CharField(_("网关消息号"), max_length=64, unique=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)
    to = models.CharField(_("收件地址"), max_length=255)
    text = models.TextField(_("内容"))
    accepted_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    deliver_after = models.DateTimeField(_("模拟送达时间"))
    receipt_status = models.CharField(_("回执状态"), max_length=16, blank=True)
    receipt_posted_at = models.DateTimeField(_("回执发出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("模拟网关消息")
        verbose_name_plural = _("模拟网关消息")
        ordering = ["accepted_at", "id"]

    def __str__(self) -> str:
        return f"{self.gateway_id} → {self.to}"
