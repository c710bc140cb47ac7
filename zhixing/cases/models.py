"""执行案件的数据 — titles, the filing queue, cases, their parties, nodes, suspensions, settlements."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import Court, Party, Team, User
from zhixing.core.money import MoneyField

TITLE_KINDS = [
    ("judgment", _("判决书")),
    ("ruling", _("裁定书")),
    ("mediation", _("调解书")),
    ("judicial_confirmation", _("司法确认裁定书")),
    ("arbitration_award", _("仲裁裁决书")),
    ("notarised_debt", _("公证债权文书")),
]

STAGES = [
    ("filed", _("已立案")),
    ("in_enforcement", _("执行中")),
    ("suspended", _("中止执行")),
    ("settlement", _("和解履行中")),
    ("closed", _("已结案")),
]

CLOSING_MODES = [
    ("fully_performed", _("执行完毕")),
    ("no_assets_closure", _("终结本次执行程序")),
    ("termination", _("终结执行")),
    ("withdrawn_from_docket", _("销案")),
    ("refused", _("不予执行")),
    ("dismissed", _("驳回申请")),
    # how linked objection / review cases end (执异、执复 are 审查类 cases with rulings of their own)
    ("objection_upheld", _("异议成立")),
    ("objection_rejected", _("驳回异议")),
]


class EnforcementTitle(models.Model):
    """执行依据（生效法律文书）。"""

    kind = models.CharField(_("文书类型"), max_length=32, choices=TITLE_KINDS)
    issuing_body = models.CharField(_("作出机关"), max_length=128)
    issuing_court = models.ForeignKey(
        Court, verbose_name=_("作出法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("文书编号"), max_length=64)
    effective_on = models.DateField(_("生效日期"))
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    last_instalment_due = models.DateField(_("最后一期履行日"), null=True, blank=True)
    principal = MoneyField(_("本金"), default=0)
    interest_terms = models.TextField(_("利息"), blank=True)
    costs = MoneyField(_("诉讼费等费用"), default=0)
    non_money_obligations = models.TextField(_("非金钱给付义务"), blank=True)
    # issuing body + document number, normalised: the same title filed twice is found by it
    fingerprint = models.CharField(_("文书指纹"), max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = _("执行依据")
        verbose_name_plural = _("执行依据")

    def __str__(self) -> str:
        return f"{self.issuing_body}{self.document_number}"

    @property
    def claim_amount(self) -> Any:
        return self.principal + self.costs


class CaseApplication(models.Model):
    """执行申请（立案队列）：submitted online or at the counter, accepted or rejected by a clerk."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审查")
        ACCEPTED = "accepted", _("已立案")
        REJECTED = "rejected", _("不予受理")

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上申请")
        COUNTER = "counter", _("窗口申请")
        DELEGATION = "delegation", _("委托执行")
        # the upper court's transfers (cases/transfers.py): the channel names the power
        ESCALATION = "escalation", _("提级执行")
        DESIGNATION = "designation", _("指定执行")
        CROSS_ENFORCEMENT = "cross_enforcement", _("交叉执行")

    court = models.ForeignKey(Court, verbose_name=_("受理法院"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(_("渠道"), max_length=24, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        User, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("收到申请日期"))
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    acceptance_due_on = models.DateField(_("立案审查期限"))
    title = models.ForeignKey(EnforcementTitle, verbose_name=_("执行依据"), on_delete=models.PROTECT)
    jurisdiction_basis = models.CharField(_("管辖依据"), max_length=32)
    materials = models.JSONField(_("已交材料"), default=list)
    parties = models.JSONField(
        _("当事人"), default=list
    )  # [{party_id, role, agent_name, agent_phone, address}]
    claim_amount = MoneyField(_("申请执行标的额"))
    decided_by = models.ForeignKey(
        User, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    findings = models.JSONField(_("审查意见"), default=list)
    case = models.OneToOneField(
        "EnforcementCase",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin_case = models.ForeignKey(
        "EnforcementCase",
        verbose_name=_("原执行案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
    )

    class Meta:
        verbose_name = _("执行申请")
        verbose_name_plural = _("执行申请")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["court", "status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"


class CaseNumberCounter(models.Model):
    """案号计数器：one row per court, year and type code, incremented under a row lock.

    No gap and no duplicate: the increment is part of the filing transaction.
    """

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    type_code = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案号计数器")
        verbose_name_plural = _("案号计数器")
        constraints = [
            models.UniqueConstraint(fields=["court", "year", "type_code"], name="case_number_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}/{self.type_code}:{self.last}"


class EnforcementCase(models.Model):
    """执行案件。"""

    class Kind(models.TextChoices):
        FIRST = "first", _("首次执行")
        RESTORED = "restored", _("恢复执行")
        PRESERVATION = "preservation", _("财产保全执行")
        OBJECTION = "objection", _("执行异议")
        REVIEW = "review", _("执行复议")

    class Track(models.TextChoices):
        FAST = "fast_track", _("快执")
        COMPLEX = "complex_track", _("精执")

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField(_("案号"), max_length=64, unique=True)
    year = models.PositiveIntegerField(_("年度"))
    type_code = models.CharField(_("类型代字"), max_length=8)
    sequence = models.PositiveIntegerField(_("编号"))
    kind = models.CharField(_("案件类型"), max_length=16, choices=Kind.choices, default=Kind.FIRST)
    title = models.ForeignKey(EnforcementTitle, verbose_name=_("执行依据"), on_delete=models.PROTECT)
    stage = models.CharField(_("阶段"), max_length=16, choices=STAGES, default="filed")
    track = models.CharField(_("繁简"), max_length=16, choices=Track.choices, blank=True)
    track_score = models.IntegerField(_("繁简评分"), default=0)
    track_reasons = models.JSONField(_("分流理由"), default=list)
    track_override_reason = models.TextField(_("改变分流的理由"), blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("团队"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    judge = models.ForeignKey(
        User,
        verbose_name=_("承办法官"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    received_on = models.DateField(_("收到申请日期"))
    filed_on = models.DateField(_("立案日期"))
    claim_amount = MoneyField(_("申请执行标的额"))
    non_litigation = models.BooleanField(_("非诉执行"), default=False)
    enforcement_deadline = models.DateField(_("执行期限届满日"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closing_mode = models.CharField(_("结案方式"), max_length=32, choices=CLOSING_MODES, blank=True)
    closing_ground = models.CharField(_("结案事由"), max_length=64, blank=True)
    closing_citations = models.JSONField(_("结案依据"), default=list)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("关联原案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    delegated_to = models.ForeignKey(
        Court, verbose_name=_("受托法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    duplicate_of = models.JSONField(
        _("疑似重复立案"), default=list
    )  # case numbers of the same title + debtor
    filing_citations = models.JSONField(_("立案依据"), default=list)
    last_activity_at = models.DateTimeField(_("最近办案活动"), default=timezone.now)
    # Denormalised from the open nodes so that workbench lists sort on an index, whatever their size:
    # 2 = a node overdue, 1 = a node due soon, 0 = none; next_due_on = the earliest open node's due date.
    alert_rank = models.PositiveSmallIntegerField(_("预警等级"), default=0)
    next_due_on = models.DateField(_("最近节点期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("执行案件")
        verbose_name_plural = _("执行案件")
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["court", "stage", "filed_on"]),
            models.Index(fields=["team", "stage", "filed_on"]),
            # the workbench's order (overdue first, then the nearest deadline) for open cases,
            # per team and per court: the first page is read from the index whatever the size
            models.Index(
                F("team"),
                F("alert_rank").desc(),
                F("next_due_on").asc(),
                F("filed_on").desc(),
                F("id").desc(),
                name="case_team_worklist",
                condition=~Q(stage="closed"),
            ),
            models.Index(
                F("court"),
                F("alert_rank").desc(),
                F("next_due_on").asc(),
                F("filed_on").desc(),
                F("id").desc(),
                name="case_court_worklist",
                condition=~Q(stage="closed"),
            ),
            models.Index(fields=["judge", "stage"]),
            models.Index(fields=["court", "year", "type_code", "sequence"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="closed", closed_on__isnull=False, closing_mode__gt="")
                | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="case_closed_has_mode_and_date",
            )
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def stream(self) -> str:
        return f"case:{self.pk}"


class CaseParty(models.Model):
    """案件当事人。"""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("申请执行人")
        DEBTOR = "debtor", _("被执行人")
        THIRD_PARTY = "third_party", _("案外人")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(_("诉讼地位"), max_length=16, choices=Role.choices)
    agent_name = models.CharField(_("代理人"), max_length=64, blank=True)
    agent_phone = models.CharField(_("代理人电话"), max_length=32, blank=True)
    delivery_address = models.CharField(_("送达地址"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        constraints = [models.UniqueConstraint(fields=["case", "party", "role"], name="case_party_unique")]
        indexes = [models.Index(fields=["party", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.party.name}"


class Node(models.Model):
    """节点：a step with a statutory deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("未完成")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    class Alert(models.TextChoices):
        NONE = "none", _("正常")
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已超期")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="nodes")
    code = models.CharField(_("节点"), max_length=48)
    ref = models.CharField(_("关联"), max_length=48, blank=True)  # e.g. the asset lead it concerns
    title = models.CharField(_("名称"), max_length=64)
    anchor_date = models.DateField(_("起算日"))
    due_on = models.DateField(_("期限届满日"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    alert = models.CharField(_("预警"), max_length=16, choices=Alert.choices, default=Alert.NONE)
    # computed with a year whose holiday arrangement is not yet published: recomputed when it is
    provisional = models.BooleanField(_("暂定"), default=False)
    citations = models.JSONField(_("依据"), default=list)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "code", "ref"], name="node_unique")]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["status", "alert"])]

    def __str__(self) -> str:
        return f"{self.case} {self.title} {self.due_on}"


class Suspension(models.Model):
    """中止执行。"""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="suspensions")
    ground = models.CharField(_("中止事由"), max_length=48)
    started_on = models.DateField(_("中止日期"))
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    citations = models.JSONField(_("依据"), default=list)

    class Meta:
        verbose_name = _("中止执行")
        verbose_name_plural = _("中止执行")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.ground} {self.started_on}"


class Settlement(models.Model):
    """执行和解：an agreement with an instalment plan."""

    class Status(models.TextChoices):
        PERFORMING = "performing", _("履行中")
        PERFORMED = "performed", _("已履行完毕")
        DEFAULTED = "defaulted", _("未按期履行")
        RESTORED = "restored", _("已恢复执行")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="settlements")
    agreed_on = models.DateField(_("达成日期"))
    terms = models.TextField(_("和解内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PERFORMING)
    instalments = models.JSONField(
        _("分期计划"), default=list
    )  # [{"due_on": "2026-01-10", "amount": "1000.00"}]

    class Meta:
        verbose_name = _("执行和解")
        verbose_name_plural = _("执行和解")

    def __str__(self) -> str:
        return f"{self.case_id} {self.agreed_on} {self.get_status_display()}"


class SettlementPayment(models.Model):
    """和解履行款。"""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("履行日期"))
    amount = MoneyField(_("金额"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("和解履行记录")
        verbose_name_plural = _("和解履行记录")
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"
