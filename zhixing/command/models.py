"""指挥中心：KPI roll-ups kept from the journal, supervision alerts, instructions, court-reported figures."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import Court, Team, User
from zhixing.core.money import MoneyField

# The counted fields of a roll-up row. The first group are ``rules.kpis.Totals`` fields for first
# enforcement cases (首执, the KPIs' population); the second the command center's other counters.
TOTALS_FIELDS = (
    "filed",
    "closed",
    "closed_fully_performed",
    "closed_termination_with_payment",
    "closed_no_assets",
    "no_assets_checked",
    "no_assets_compliant",
    "closed_within_period",
    "with_property",
    "with_property_executed_in_period",
    "days_to_close",
)
MONEY_FIELDS = ("amount_applied", "amount_recovered", "received")
EXTRA_FIELDS = (
    "filed_other",  # 执恢、执保 and other kinds filed
    "closed_other",
    "preservation_closed",
    "voluntary_closed",  # 执行完毕 without any coercive measure or control (自动履行)
    "settlements",
    "measures_taken",
    "controls_effective",
    "controls_released",
    "deductions",
    "nodes_overdue",
)
COUNT_FIELDS = TOTALS_FIELDS + EXTRA_FIELDS
ALL_FIELDS = COUNT_FIELDS + MONEY_FIELDS


class Rollup(models.Model):
    """日统计：one row per day and unit (court · team · judge), summed by every screen.

    Rows are only ever incremented by the projection (``command.projection``); a screen over any
    window is one aggregate over at most days × units rows, whatever the number of journal events.
    A case is counted where it is now while open (a reassignment moves its 'filed' to the new
    team and judge, on its filing day) and where it was when it closed.
    """

    day = models.DateField(_("日期"))
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=48, editable=False)  # "court:team:judge" ids, 0 for none (unique key)

    filed = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    closed_fully_performed = models.IntegerField(default=0)
    closed_termination_with_payment = models.IntegerField(default=0)
    closed_no_assets = models.IntegerField(default=0)
    no_assets_checked = models.IntegerField(default=0)
    no_assets_compliant = models.IntegerField(default=0)
    closed_within_period = models.IntegerField(default=0)
    with_property = models.IntegerField(default=0)
    with_property_executed_in_period = models.IntegerField(default=0)
    days_to_close = models.IntegerField(default=0)
    amount_applied = MoneyField(default=0)
    amount_recovered = MoneyField(default=0)
    received = MoneyField(default=0)

    filed_other = models.IntegerField(default=0)
    closed_other = models.IntegerField(default=0)
    preservation_closed = models.IntegerField(default=0)
    voluntary_closed = models.IntegerField(default=0)
    settlements = models.IntegerField(default=0)
    measures_taken = models.IntegerField(default=0)
    controls_effective = models.IntegerField(default=0)
    controls_released = models.IntegerField(default=0)
    deductions = models.IntegerField(default=0)
    nodes_overdue = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        constraints = [models.UniqueConstraint(fields=["day", "unit"], name="rollup_day_unit_unique")]
        indexes = [models.Index(fields=["court", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.unit}"

    @staticmethod
    def unit_key(court_id: int, team_id: int | None, judge_id: int | None) -> str:
        return f"{court_id}:{team_id or 0}:{judge_id or 0}"


class CaseFact(models.Model):
    """The projection's own memory of a case: where it is counted and what the KPIs need at closing."""

    case_id = models.BigIntegerField(primary_key=True)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    team_id = models.BigIntegerField(null=True)
    judge_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=16)
    filed_on = models.DateField()
    coerced = models.BooleanField(default=False)  # a measure or a control was taken
    assets_found = models.BooleanField(default=False)
    closed_on = models.DateField(null=True)

    def __str__(self) -> str:
        return f"case {self.case_id}"


class ProjectionCursor(models.Model):
    """How far the projection has read the journal (by event id), and the ids it has not seen yet
    below that point — an insert whose transaction commits after a later one (``gaps``, id → first
    seen, dropped after ``COMMAND_GAP_SECONDS``)."""

    name = models.CharField(max_length=32, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=dict)
    events = models.BigIntegerField(default=0)  # events applied, for the operations page
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name}@{self.last_id}"


class MonthlyFigure(models.Model):
    """法院报送数：figures the platform does not hold (titles with payment content from the trial
    system, pre-suit mediations, petitions), reported per court and month by its command center."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))  # first day of the month
    titles_with_payment = models.PositiveIntegerField(_("给付内容生效法律文书数"), default=0)
    mediations = models.PositiveIntegerField(_("诉前调解成功数"), default=0)
    petitions_received = models.PositiveIntegerField(_("执行信访收案"), default=0)
    petitions_concluded = models.PositiveIntegerField(_("执行信访办结"), default=0)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("法院报送数")
        verbose_name_plural = _("法院报送数")
        constraints = [models.UniqueConstraint(fields=["court", "month"], name="monthly_figure_unique")]

    def __str__(self) -> str:
        return f"{self.court_id} {self.month:%Y-%m}"


class Alert(models.Model):
    """监督预警：raised by a rule, assigned, acknowledged and resolved."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        RESOLVED = "resolved", _("已处理")

    class Level(models.TextChoices):
        WARNING = "warning", _("黄色预警")
        CRITICAL = "critical", _("红色预警")

    rule = models.CharField(_("预警规则"), max_length=32)
    subject = models.CharField(_("对象"), max_length=64)  # e.g. "node:12", "case:3", "request:9"
    level = models.CharField(_("等级"), max_length=16, choices=Level.choices, default=Level.WARNING)
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.EnforcementCase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("预警内容"), max_length=200)
    detail = models.JSONField(_("详情"), default=dict)
    citations = models.JSONField(_("依据"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        User, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("预警日期"))
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("处理结果"), blank=True)
    auto_resolved = models.BooleanField(_("系统核销"), default=False)

    class Meta:
        verbose_name = _("监督预警")
        verbose_name_plural = _("监督预警")
        ordering: ClassVar[list[str]] = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"],
                condition=~models.Q(status="resolved"),
                name="alert_one_live_per_subject",
            )
        ]
        indexes = [models.Index(fields=["court", "status"]), models.Index(fields=["assignee", "status"])]

    def __str__(self) -> str:
        return self.title


class Instruction(models.Model):
    """指令：交办 (assign) or 督办 (supervise) from a command center or an upper court, answered by
    feedback before a deadline, reminded and escalated when late."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", _("交办")
        SUPERVISE = "supervise", _("督办")

    class Status(models.TextChoices):
        ISSUED = "issued", _("已下达")
        ACKNOWLEDGED = "acknowledged", _("已签收")
        ANSWERED = "answered", _("已反馈")
        RETURNED = "returned", _("退回补充")
        CLOSED = "closed", _("已办结")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("编号"), max_length=32, unique=True)
    issuing_court = models.ForeignKey(
        Court, verbose_name=_("下达法院"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(User, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+")
    target_court = models.ForeignKey(
        Court, verbose_name=_("承办法院"), on_delete=models.PROTECT, related_name="+"
    )
    target_team = models.ForeignKey(
        Team, verbose_name=_("承办团队"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_judge = models.ForeignKey(
        User, verbose_name=_("承办法官"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.EnforcementCase",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("事项"), max_length=200)
    body = models.TextField(_("要求"))
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("反馈期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    level = models.PositiveSmallIntegerField(_("升级层级"), default=0)
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)
    citations = models.JSONField(_("依据"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交办督办指令")
        verbose_name_plural = _("交办督办指令")
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_court", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def stream(self) -> str:
        return f"instruction:{self.pk}"


class InstructionEntry(models.Model):
    """指令往来：each report, reply, return, reminder and escalation, in order."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("签收")
        REPORT = "report", _("反馈")
        RETURN = "return", _("退回补充")
        ACCEPTANCE = "acceptance", _("办结")
        REMINDER = "reminder", _("到期提醒")
        ESCALATION = "escalation", _("逾期升级")
        POWER = "power", _("上级法院措施")

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.instruction_id} {self.kind}"
