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


# --- payouts (发放) and reconciliation (对账) — issue 5 part 2 -------------------------------------
class PayoutBatch(models.Model):
    """发放批次：proposed → approved (money moved to 应付收款人) → sent → settled / partly_failed."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        REJECTED = "rejected", _("不予批准")
        APPROVED = "approved", _("已批准待发送")
        SENT = "sent", _("已发送银行")
        SETTLED = "settled", _("已全部发放")
        PARTLY_FAILED = "partly_failed", _("部分发放失败")

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        User, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    approval = models.OneToOneField(
        "core.ApprovalRequest",
        verbose_name=_("审批"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payout_batch",
    )
    bank = models.ForeignKey(Bank, verbose_name=_("付款银行"), on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(_("幂等键"), max_length=128, unique=True)
    total = MoneyField(_("合计金额"))
    line_count = models.PositiveIntegerField(_("笔数"))
    posting = models.OneToOneField(
        Posting,
        verbose_name=_("批准记账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payout_batch",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["court", "status"])]

    def __str__(self) -> str:
        return f"发放批次#{self.pk}（{self.get_status_display()}）"


class Payout(models.Model):
    """发放明细：one payee of a batch; its id is the idempotency key sent to the bank."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        PAID = "paid", _("已支付")
        FAILED = "failed", _("支付失败")
        RETURNED = "returned", _("已退回")

    batch = models.ForeignKey(
        PayoutBatch, verbose_name=_("发放批次"), on_delete=models.PROTECT, related_name="lines"
    )
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payouts"
    )
    payee_name = models.CharField(_("收款人"), max_length=128)
    payee_account = models.CharField(_("收款账号"), max_length=40)
    amount = MoneyField(_("金额"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    bank_reference = models.CharField(_("银行流水号"), max_length=64, null=True, blank=True, unique=True)
    returned_reason = models.TextField(_("失败或退回原因"), blank=True)
    return_reference = models.CharField(_("退回流水号"), max_length=64, null=True, blank=True, unique=True)
    posting = models.ForeignKey(
        Posting,
        verbose_name=_("结果记账"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payout_lines",
    )
    settled_at = models.DateTimeField(_("结果时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        ordering = ["batch", "id"]
        indexes = [models.Index(fields=["batch", "status"]), models.Index(fields=["case", "status"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.masked_account} {self.amount}"

    @property
    def masked_account(self) -> str:
        """收款账号脱敏：前四位与后四位，中间以星号代替。"""
        a = self.payee_account
        return a if len(a) <= 8 else f"{a[:4]}{'*' * (len(a) - 8)}{a[-4:]}"


class Reconciliation(models.Model):
    """对账：a bank statement matched against the ledger; the differences are stored as found."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(Bank, verbose_name=_("银行"), on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(
        User, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)
    period_start = models.DateField(_("对账起日"))
    period_end = models.DateField(_("对账止日"))
    statement_lines = models.PositiveIntegerField(_("对账单笔数"))
    matched = models.PositiveIntegerField(_("相符笔数"))
    differences = models.JSONField(_("差异"), default=list)
    digest = models.CharField(_("对账单摘要（SHA-256）"), max_length=64)

    class Meta:
        verbose_name = _("银行对账")
        verbose_name_plural = _("银行对账")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"对账 {self.period_start}～{self.period_end}（差异{len(self.differences)}笔）"


class DistributionPlan(models.Model):
    """执行款分配方案：proposed by the judge, approved by the bureau chief, served, then executed."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准并送达")
        EXECUTED = "executed", _("已执行")
        REJECTED = "rejected", _("不予批准")

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proceeds = MoneyField(_("可分配款项"))
    lines = models.JSONField(_("分配明细"), default=list)
    surplus = MoneyField(_("余款"), default=0)
    method = models.CharField(_("普通债权受偿方式"), max_length=16, blank=True)
    warnings = models.JSONField(_("提示"), default=list)
    citations = models.JSONField(_("依据"), default=list)
    approval = models.ForeignKey(
        "core.ApprovalRequest",
        verbose_name=_("审批"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("分配方案文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objection_deadline = models.DateField(_("异议期届满日"), null=True, blank=True)
    payout_batch = models.ForeignKey(
        PayoutBatch,
        verbose_name=_("发放批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(User, verbose_name=_("拟定人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("拟定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("分配方案")
        verbose_name_plural = _("分配方案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.proceeds} {self.get_status_display()}"
