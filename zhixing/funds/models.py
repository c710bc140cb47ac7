"""执行款 — one account number per case, and an insert-only double-entry ledger.

Every ``Entry`` is itself balanced: a positive amount moves from one ledger account (debit) to
another (credit). The database refuses a zero or negative amount, a move from an account to
itself, and any UPDATE or DELETE of entries and postings (triggers, migration 0002): money can
only move, never appear or vanish, and a correction is a reversing posting with a reason.

Balances are derived: credits − debits per account (a liability's balance is positive, the bank
asset's is negative), so the balances of all accounts always sum to zero.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import Court, User
from zhixing.core.money import MoneyField


class Bank(models.Model):
    """开户银行：the bank holding a court's execution-funds account; signs its transfer notices."""

    code = models.CharField(_("银行代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("通知签名密钥"), max_length=128)  # HMAC-SHA256 key of the bank's notices
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("开户银行")
        verbose_name_plural = _("开户银行")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class CaseAccount(models.Model):
    """案款账号（一案一账号）。"""

    case = models.OneToOneField(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="funds_account"
    )
    number = models.CharField(_("账号"), max_length=32, unique=True)
    opened_at = models.DateTimeField(_("开立时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案款账号")
        verbose_name_plural = _("案款账号")

    def __str__(self) -> str:
        return self.number


class LedgerAccount(models.Model):
    """台账科目。"""

    class Kind(models.TextChoices):
        COURT_FUNDS_BANK = "court_funds_bank", _("执行款专户（资产）")
        CASE_LIABILITY = "case_liability", _("案款（应付）")
        UNIDENTIFIED = "unidentified", _("不明款项（应付）")
        PAYEE_PAYABLE = "payee_payable", _("应付收款人")
        FEES_INCOME = "fees_income", _("执行费收入")

    kind = models.CharField(_("科目类型"), max_length=24, choices=Kind.choices)
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )

    class Meta:
        verbose_name = _("台账科目")
        verbose_name_plural = _("台账科目")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case"], condition=Q(case__isnull=False), name="ledger_account_per_case"
            ),
            models.UniqueConstraint(
                fields=["kind", "court"], condition=Q(case__isnull=True), name="ledger_account_per_court"
            ),
            models.CheckConstraint(
                condition=Q(kind="case_liability", case__isnull=False)
                | (~Q(kind="case_liability") & Q(case__isnull=True)),
                name="ledger_account_case_iff_case_liability",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.case_id or self.court_id}"

    @property
    def is_liability(self) -> bool:
        return self.kind in {self.Kind.CASE_LIABILITY, self.Kind.UNIDENTIFIED, self.Kind.PAYEE_PAYABLE}


class Posting(models.Model):
    """记账：one business event, made of one or more balanced entries. Insert-only."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("到账")
        PAYOUT = "payout", _("发放")
        FEE = "fee", _("收取费用")
        REFUND = "refund", _("退款")
        TRANSFER = "transfer", _("转账")
        REVERSAL = "reversal", _("冲正")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    reason = models.TextField(_("事由"), blank=True)
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("冲正的记账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    source = models.ForeignKey(
        "self",
        verbose_name=_("关联记账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
    )  # e.g. the unidentified receipt a resolution moves into a case
    idempotency_key = models.CharField(_("幂等键"), max_length=128, unique=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("记账人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记账时间"), default=timezone.now)
    stream = models.CharField(_("日志流"), max_length=64)

    class Meta:
        verbose_name = _("记账")
        verbose_name_plural = _("记账")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reversal") | (Q(reversal_of__isnull=False) & ~Q(reason="")),
                name="posting_reversal_has_target_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal") | Q(reversal_of__isnull=True),
                name="posting_only_reversal_reverses",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(models.Model):
    """分录：a positive amount moved from ``debit_account`` to ``credit_account``. Insert-only."""

    posting = models.ForeignKey(
        Posting, verbose_name=_("记账"), on_delete=models.PROTECT, related_name="entries"
    )
    debit_account = models.ForeignKey(
        LedgerAccount, verbose_name=_("借方科目"), on_delete=models.PROTECT, related_name="debits"
    )
    credit_account = models.ForeignKey(
        LedgerAccount, verbose_name=_("贷方科目"), on_delete=models.PROTECT, related_name="credits"
    )
    amount = MoneyField(_("金额"))

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")), name="entry_accounts_differ"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debit_account_id}→{self.credit_account_id} {self.amount}"


class BankNoticeLog(models.Model):
    """银行到账通知：recorded raw and committed first, posted afterwards (a crash loses nothing)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收待入账")
        POSTED = "posted", _("已入账")
        REJECTED = "rejected", _("已拒收")

    bank_code = models.CharField(_("银行代码"), max_length=32)
    bank = models.ForeignKey(
        Bank, verbose_name=_("银行"), null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    reference = models.CharField(_("银行流水号"), max_length=64, blank=True)
    account_number = models.CharField(_("收款账号"), max_length=64, blank=True)
    amount = MoneyField(_("金额"), null=True, blank=True)
    payer_name = models.CharField(_("付款人"), max_length=128, blank=True)
    body = models.TextField(_("通知原文"))
    signature = models.CharField(_("签名"), max_length=256, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    error = models.TextField(_("拒收或入账失败原因"), blank=True)
    posting = models.OneToOneField(
        Posting,
        verbose_name=_("记账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notice",
    )
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    processed_at = models.DateTimeField(_("入账时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("银行到账通知")
        verbose_name_plural = _("银行到账通知")
        ordering = ["received_at", "id"]
        constraints = [
            # the same notice twice is recorded (and posted) once; forged ones do not block the real one
            models.UniqueConstraint(
                fields=["bank_code", "reference"],
                condition=~Q(status="rejected"),
                name="bank_notice_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.bank_code}/{self.reference}（{self.get_status_display()}）"
