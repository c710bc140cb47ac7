"""导航：the menu each role sees. One table; the base template renders it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from zhixing.core.roles import CASE_ROLES, EXTERNAL_ROLES, TEAM_ROLES, Role

STAFF_CASE_ROLES = frozenset(Role) - EXTERNAL_ROLES
FILING_NAV_ROLES = frozenset({Role.CLERK, Role.BUREAU_CHIEF, Role.PARTY, Role.LAWYER})
AGENCY_NAV_ROLES = frozenset({*CASE_ROLES, Role.COMMAND_OPERATOR, Role.SUPERVISOR})
# An agency clerk works only on the agency desk: the desk and their account, nothing of the courts.
AGENCY_CLERK_MENU = frozenset({"agencies:desk", "web:account"})

COMMAND_NAV_ROLES = frozenset(
    {Role.BUREAU_CHIEF, Role.PRESIDENT, Role.COMMAND_OPERATOR, Role.SUPERVISOR, Role.ADMIN, Role.JUDGE}
)
# (url name, label, roles that see it — None for every signed-in staff user)
MENU: list[tuple[str, str, frozenset[str] | None]] = [
    ("web:home", "工作台", None),
    ("cases:workbench", "案件", STAFF_CASE_ROLES),
    ("cases:applications", "立案", FILING_NAV_ROLES),
    ("asset_control:batches", "批量查控", TEAM_ROLES),
    ("agencies:list", "协助单位", AGENCY_NAV_ROLES),
    ("agencies:desk", "协助执行工作台", frozenset({Role.AGENCY_CLERK})),
    ("command:home", "指挥中心", COMMAND_NAV_ROLES),
    ("command:alerts", "监督预警", STAFF_CASE_ROLES),
    ("command:instructions", "交办督办", STAFF_CASE_ROLES),
    ("web:court_list", "法院与团队", None),
    ("web:party_list", "当事人", CASE_ROLES),
    ("documents:alert_list", "送达预警", CASE_ROLES),
    ("funds:unidentified", "不明款项", frozenset({Role.CLERK, Role.BUREAU_CHIEF})),
    ("documents:inbox", "文书收件箱", None),
    ("documents:template_list", "文书模板", frozenset({Role.ADMIN, Role.BUREAU_CHIEF, Role.PRESIDENT})),
    ("web:approval_list", "审批", None),
    ("public_lists", "失信名单查询", None),
    ("knowledge:list", "经验交流", STAFF_CASE_ROLES),
    ("web:account", "账号安全", None),
]


def menu_for(request: HttpRequest) -> list[dict[str, str | bool]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[dict[str, str | bool]] = []
    clerk = user.role == Role.AGENCY_CLERK and not user.is_superuser
    for name, label, roles in MENU:
        if clerk and name not in AGENCY_CLERK_MENU:
            continue
        if roles is not None and user.role not in roles and not user.is_superuser:
            continue
        url = reverse(name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": _(label), "current": current})
    if user.is_superuser or user.role == Role.ADMIN:
        items.append({"url": reverse("admin:index"), "label": _("后台管理"), "current": False})
    return items
