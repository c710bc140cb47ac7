"""角色 — staff roles and how far each one sees.

One table decides the scope of every role; `zhixing.core.scoping` applies it to every query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JUDGE = "judge", _("执行法官")
    ASSISTANT = "assistant", _("法官助理")
    CLERK = "clerk", _("书记员")
    OFFICER = "officer", _("执行员")
    BUREAU_CHIEF = "bureau_chief", _("执行局长")
    PRESIDENT = "president", _("院长")
    COMMAND_OPERATOR = "command_operator", _("指挥中心操作员")
    SUPERVISOR = "supervisor", _("监督员（上级法院）")
    ADMIN = "admin", _("系统管理员")
    # Outside users: they see only what they submitted themselves (no court scope).
    PARTY = "party", _("当事人")
    LAWYER = "lawyer", _("律师")
    AGENCY_CLERK = "agency_clerk", _("协助执行单位工作人员")


class ScopeLevel(models.TextChoices):
    TEAM = "team", _("本团队")
    COURT = "court", _("本院")
    SUBTREE = "subtree", _("本院及辖区法院")


# How far each role sees. Team members act on their team's work and see their court's
# organisation; a bureau chief sees the whole court; command centres and supervisors of an
# upper court see the courts below it (一屏看全市).
ROLE_SCOPE: dict[str, ScopeLevel] = {
    Role.JUDGE: ScopeLevel.TEAM,
    Role.ASSISTANT: ScopeLevel.TEAM,
    Role.CLERK: ScopeLevel.TEAM,
    Role.OFFICER: ScopeLevel.TEAM,
    Role.BUREAU_CHIEF: ScopeLevel.COURT,
    Role.PRESIDENT: ScopeLevel.COURT,
    Role.ADMIN: ScopeLevel.COURT,
    Role.COMMAND_OPERATOR: ScopeLevel.SUBTREE,
    Role.SUPERVISOR: ScopeLevel.SUBTREE,
}

TEAM_ROLES = frozenset({Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.OFFICER})
EXTERNAL_ROLES = frozenset({Role.PARTY, Role.LAWYER, Role.AGENCY_CLERK})
STAFF_ROLES = frozenset(Role) - EXTERNAL_ROLES
# Roles that handle cases and their parties (the others supervise or administer).
CASE_ROLES = frozenset({*TEAM_ROLES, Role.BUREAU_CHIEF, Role.PRESIDENT, Role.ADMIN})
# Roles that see a court's (or the city's) command-center screens and steer its alerts.
COMMAND_ROLES = frozenset(
    {Role.COMMAND_OPERATOR, Role.SUPERVISOR, Role.BUREAU_CHIEF, Role.PRESIDENT, Role.ADMIN}
)
