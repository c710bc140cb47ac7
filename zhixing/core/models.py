"""共享内核的数据 — organisation, staff, parties and identities, the journal, approvals, tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.core.identity import IdType
from zhixing.core.roles import ROLE_SCOPE, Role, ScopeLevel


# --- organisation ---------------------------------------------------------------------------
class Court(models.Model):
    """法院。Courts form a tree (high → intermediate → basic)."""

    class Level(models.TextChoices):
        HIGH = "high", _("高级人民法院")
        INTERMEDIATE = "intermediate", _("中级人民法院")
        BASIC = "basic", _("基层人民法院")

    court_code = models.CharField(_("法院代字"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    short_name = models.CharField(_("简称"), max_length=16)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of court codes, "/浙/浙06/浙0602/": a subtree is one prefix query.
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False)
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = (self.parent.path if self.parent else "/") + self.court_code + "/"
        super().save(*args, **kwargs)


class Department(models.Model):
    """部门（执行局、指挥中心、立案庭……）。"""

    class Kind(models.TextChoices):
        ENFORCEMENT_BUREAU = "enforcement_bureau", _("执行局")
        COMMAND_CENTER = "command_center", _("执行指挥中心")
        FILING = "filing", _("立案庭")
        ADMINISTRATION = "administration", _("办公室")

    court = models.ForeignKey(
        Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return f"{self.court.short_name}·{self.name}"


class Team(models.Model):
    """执行团队：快执团队或精执团队。"""

    class Track(models.TextChoices):
        FAST = "fast_track", _("快执团队")
        COMPLEX = "complex_track", _("精执团队")

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="teams")
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("名称"), max_length=64)
    track = models.CharField(_("类型"), max_length=16, choices=Track.choices)

    class Meta:
        verbose_name = _("执行团队")
        verbose_name_plural = _("执行团队")
        ordering = ["court__path", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.court.short_name}·{self.name}"


class User(AbstractUser):
    """工作人员账号。A staff user belongs to one court (and, for team roles, one team)."""

    full_name = models.CharField(_("姓名"), max_length=32, blank=True)
    court = models.ForeignKey(
        Court, verbose_name=_("法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("团队"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    failed_login_count = models.PositiveIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    totp_secret = models.CharField(_("动态口令密钥（加密）"), max_length=255, blank=True)
    totp_enabled = models.BooleanField(_("启用动态口令"), default=False)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(court__isnull=False), name="user_team_needs_court"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def scope_level(self) -> ScopeLevel | None:
        return ROLE_SCOPE.get(self.role) if self.role else None

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class ApiToken(models.Model):
    """API 令牌：clients send ``Authorization: Bearer zx_<prefix>_<secret>``; only a hash is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=64)
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    key_hash = models.CharField(_("摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix})"


# --- parties --------------------------------------------------------------------------------
class Party(models.Model):
    """当事人：自然人、法人或非法人组织。The identity number is stored encrypted."""

    class Kind(models.TextChoices):
        NATURAL_PERSON = "natural_person", _("自然人")
        LEGAL_PERSON = "legal_person", _("法人")
        OTHER_ORGANISATION = "other_organisation", _("非法人组织")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("姓名/名称"), max_length=128)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices)
    id_cipher = models.TextField(_("证件号（密文）"), editable=False)
    id_lookup = models.CharField(_("证件号查找摘要"), max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("证件号（脱敏）"), max_length=32, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    address = models.CharField(_("送达地址"), max_length=255, blank=True)
    registered_by_court = models.ForeignKey(
        Court, verbose_name=_("登记法院"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


# --- the journal ----------------------------------------------------------------------------
GENESIS_HASH = "0" * 64


class JournalEvent(models.Model):
    """日志事件：append-only, chained per stream by SM3 so that any edit is detectable.

    A stream is one chain: ``case:<id>`` for a case, ``party:<id>`` for a party's record,
    ``org:<court_code>`` for organisation acts, ``approval:<id>`` … The database refuses UPDATE
    on this table (a trigger, see migration 0002); deletions and reorderings are found by
    ``zhixing verify``.
    """

    stream = models.CharField(_("链"), max_length=64)
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("事件类型"), max_length=64)
    court = models.ForeignKey(
        Court, verbose_name=_("法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    payload = models.JSONField(_("内容"), default=dict)
    prev_hash = models.CharField(_("前一事件摘要"), max_length=64)
    hash = models.CharField(_("摘要"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("日志事件")
        verbose_name_plural = _("日志事件")
        ordering = ["stream", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="journal_stream_seq_unique")]
        indexes = [
            models.Index(fields=["court", "occurred_at"]),
            models.Index(fields=["kind", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.kind}"


class JournalHead(models.Model):
    """每条链的链头：最后的序号与摘要。Appends lock this row, so concurrent appends serialise."""

    stream = models.CharField(_("链"), max_length=64, primary_key=True)
    seq = models.PositiveIntegerField(_("最后序号"), default=0)
    hash = models.CharField(_("最后摘要"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("日志链头")
        verbose_name_plural = _("日志链头")

    def __str__(self) -> str:
        return f"{self.stream}@{self.seq}"


# --- approvals ------------------------------------------------------------------------------
class ApprovalRequest(models.Model):
    """审批：an act that a bureau chief or president must approve before it takes effect."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("不予批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    act = models.CharField(_("审批事项"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    stream = models.CharField(_("所属日志链"), max_length=64)
    payload = models.JSONField(_("内容"), default=dict)
    approver_role = models.CharField(_("审批角色"), max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    request_reason = models.TextField(_("申请理由"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("审批")
        verbose_name_plural = _("审批")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["court", "status", "approver_role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="approval_decided_when_closed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"
