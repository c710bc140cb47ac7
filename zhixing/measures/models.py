"""强制措施：proposals, consumption restrictions, dishonest listings, detentions and fines, referrals;
the published lists (one row per published entry) with their change feed; partners and their checks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import ApprovalRequest, Party, User
from zhixing.core.money import MoneyField


class MeasureKind(models.TextChoices):
    CONSUMPTION_RESTRICTION = "consumption_restriction", _("限制消费")
    DISHONEST_LISTING = "dishonest_listing", _("纳入失信被执行人名单")
    DETENTION = "detention", _("司法拘留")
    FINE = "fine", _("罚款")
    CRIMINAL_REFERRAL = "criminal_referral", _("移送追究拒执罪")
    LISTING_DELETION = "listing_deletion", _("删除失信信息")
    RESTRICTION_LIFTING = "restriction_lifting", _("解除限制消费")


class Proposal(models.Model):
    """措施建议：raised by the sweep when the law's conditions are met; the judge decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("待决定")
        APPROVAL = "approval", _("待院长批准")
        DONE = "done", _("已决定采取")
        DECLINED = "declined", _("决定不采取")
        LAPSED = "lapsed", _("条件已消失")

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="proposals"
    )
    party = models.ForeignKey(Party, verbose_name=_("对象"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("措施"), max_length=32, choices=MeasureKind.choices)
    ground = models.CharField(_("事由"), max_length=48, blank=True)
    due = models.BooleanField(_("依法应当采取"), default=False)
    reasons = models.JSONField(_("理由"), default=list)
    evidence = models.JSONField(_("履行能力证据"), default=dict, blank=True)
    citations = models.JSONField(_("依据"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        User, verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("决定理由"), blank=True)
    approval = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("审批"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    params = models.JSONField(_("措施内容"), default=dict, blank=True)  # amount, days, act …

    class Meta:
        verbose_name = _("措施建议")
        verbose_name_plural = _("措施建议")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "kind", "ground"],
                condition=Q(status__in=["open", "approval"]),
                name="one_open_proposal_per_measure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party.name}"


class Measure(models.Model):
    """已采取的强制措施（限制消费、失信、拘留、罚款、移送）：one row per decision, with its document."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        WITHHELD = "withheld", _("暂缓公布")
        LIFTED = "lifted", _("已解除/已删除")
        EXPIRED = "expired", _("期满")
        DONE = "done", _("已执行完毕")

    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="measures"
    )
    party = models.ForeignKey(Party, verbose_name=_("对象"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("措施"), max_length=32, choices=MeasureKind.choices)
    ground = models.CharField(_("事由"), max_length=48, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    decided_on = models.DateField(_("决定日期"))
    starts_on = models.DateField(_("起始日"))
    ends_on = models.DateField(_("届满日"), null=True, blank=True)  # listing term; None = no fixed term
    term_years = models.PositiveSmallIntegerField(_("期限（年）"), null=True, blank=True)
    amount = MoneyField(_("罚款金额"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("拘留日数"), null=True, blank=True)
    bound_persons = models.JSONField(_("单位被执行人的受限人员"), default=list, blank=True)
    document_number = models.CharField(_("文书编号"), max_length=64, blank=True)
    citations = models.JSONField(_("依据"), default=list)
    evidence = models.JSONField(_("履行能力证据"), default=dict, blank=True)
    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("建议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measure",
    )
    decided_by = models.ForeignKey(User, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+")
    deletion_due_on = models.DateField(_("应删除日期"), null=True, blank=True)
    withheld_until = models.DateField(_("暂缓公布至"), null=True, blank=True)
    ended_on = models.DateField(_("解除/删除日期"), null=True, blank=True)
    end_ground = models.CharField(_("解除/删除事由"), max_length=48, blank=True)

    class Meta:
        verbose_name = _("强制措施")
        verbose_name_plural = _("强制措施")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["kind", "status"], name="measure_kind_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party.name}"


class Correction(models.Model):
    """纠正申请（失信规定第11–12条）：reviewed in 15 days, corrected within 3 working days if justified,
    otherwise rejected by decision, with reconsideration by the upper court (the listing stays in force)."""

    class Ground(models.TextChoices):
        NOT_TO_BE_LISTED = "not_to_be_listed", _("不应纳入失信名单")
        INACCURATE = "inaccurate", _("记载和公布的失信信息不准确")
        TO_BE_DELETED = "to_be_deleted", _("失信信息应予删除")

    class Status(models.TextChoices):
        PENDING = "pending", _("审查中")
        CORRECTED = "corrected", _("已纠正")
        REJECTED = "rejected", _("驳回")

    measure = models.ForeignKey(
        Measure, verbose_name=_("失信信息"), on_delete=models.PROTECT, related_name="corrections"
    )
    ground = models.CharField(_("申请事由"), max_length=24, choices=Ground.choices)
    statement = models.TextField(_("申请理由"))
    applied_by = models.ForeignKey(
        User, verbose_name=_("申请人/登记人"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("申请日期"))
    review_by = models.DateField(_("审查期限"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("审查日期"), null=True, blank=True)
    decision_note = models.TextField(_("审查意见"), blank=True)
    correct_by = models.DateField(_("纠正期限"), null=True, blank=True)
    reconsideration_apply_by = models.DateField(_("申请复议期限"), null=True, blank=True)
    reconsideration_applied_on = models.DateField(_("申请复议日期"), null=True, blank=True)
    reconsideration_decide_by = models.DateField(_("复议期限"), null=True, blank=True)
    reconsideration_result = models.CharField(_("复议结果"), max_length=12, blank=True)  # upheld | reversed
    reconsideration_note = models.TextField(_("复议意见"), blank=True)
    reconsidered_by = models.ForeignKey(
        User, verbose_name=_("复议人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    citations = models.JSONField(_("依据"), default=list)

    class Meta:
        verbose_name = _("失信信息纠正申请")
        verbose_name_plural = _("失信信息纠正申请")

    def __str__(self) -> str:
        return f"{self.get_ground_display()}（{self.applied_on}）"


class ListEntry(models.Model):
    """公布名单的一条（失信被执行人名单、限制消费人员）：what is published, and the lookup hash the
    partners' checks use. Only the published fields are stored here (identity numbers masked)."""

    class Kind(models.TextChoices):
        DISHONEST = "dishonest", _("失信被执行人")
        CONSUMPTION = "consumption", _("限制消费人员")

    kind = models.CharField(_("名单"), max_length=16, choices=Kind.choices)
    measure = models.ForeignKey(
        Measure, verbose_name=_("措施"), on_delete=models.PROTECT, related_name="entries"
    )
    party = models.ForeignKey(Party, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="+")
    lookup = models.CharField(_("证件号查找摘要"), max_length=64, db_index=True)
    public = models.JSONField(_("公布内容"), default=dict)
    active = models.BooleanField(_("公布中"), default=True)
    published_at = models.DateTimeField(_("公布时间"), default=timezone.now)
    removed_at = models.DateTimeField(_("撤下时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名单条目")
        verbose_name_plural = _("名单条目")
        indexes = [models.Index(fields=["kind", "active"], name="list_entry_kind_active")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public.get('name', '')}"


class ListChange(models.Model):
    """名单变更流：an increasing id is the cursor partners mirror the lists from (added / removed)."""

    class Change(models.TextChoices):
        ADDED = "added", _("公布")
        REMOVED = "removed", _("撤下")

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("条目"), on_delete=models.PROTECT, related_name="changes"
    )
    change = models.CharField(_("变更"), max_length=8, choices=Change.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("名单变更")
        verbose_name_plural = _("名单变更")

    def __str__(self) -> str:
        return f"{self.pk} {self.change}"


class Partner(models.Model):
    """合作单位（航空、铁路、银行、登记机关）：key, rate limit, whether it may mirror full identities."""

    class Kind(models.TextChoices):
        AIRLINE = "airline", _("航空公司")
        RAILWAY = "railway", _("铁路")
        BANK = "bank", _("银行")
        REGISTRY = "registry", _("登记机关")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    key_prefix = models.CharField(_("密钥前缀"), max_length=16, unique=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64)
    rate_per_minute = models.PositiveIntegerField(_("每分钟调用上限"), default=600)
    may_mirror = models.BooleanField(_("可同步完整名单（协议约定）"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")

    def __str__(self) -> str:
        return self.name


class PartnerCheck(models.Model):
    """合作单位的每一次核查（单个、批量、变更流）。"""

    partner = models.ForeignKey(
        Partner, verbose_name=_("合作单位"), on_delete=models.PROTECT, related_name="checks"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("方式"), max_length=8)  # single | batch | feed
    count = models.PositiveIntegerField(_("核查数量"))
    hits = models.PositiveIntegerField(_("命中数量"))
    hit_entries = models.JSONField(_("命中条目"), default=list)

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        indexes = [models.Index(fields=["partner", "at"], name="partner_check_recent")]

    def __str__(self) -> str:
        return f"{self.partner} {self.kind} {self.count}"
