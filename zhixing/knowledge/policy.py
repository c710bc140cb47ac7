"""谁能读、写、发布、撤回、关联 — one place for the knowledge library's permissions.

The services raise on a ``False`` here; the views use the same predicates to show or hide buttons.

- Read: published items are shared city-wide with every staff user (knowledge is not case data);
  drafts and withdrawn items only with their author and the publishing court's bureau chief.
- Write: judges, assistants, bureau chiefs, presidents, command operators and supervisors.
- Edit: the author while the item is not published (withdraw it first), the court's bureau chief always.
- Publish: a bureau chief, president, command operator or supervisor who can see the draft.
- Withdraw: those roles, for an item of a court in their scope (an upper court's command centre too).
- Link to a case: the case's team, or the bureau chief / command operator / supervisor whose scope
  holds the case (``cases.services.case_for_team_act`` checks it in the service).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import User
from zhixing.core.roles import STAFF_ROLES, TEAM_ROLES, Role
from zhixing.core.scoping import scope_for
from zhixing.knowledge.models import KnowledgeItem

WRITER_ROLES = frozenset(
    {Role.JUDGE, Role.ASSISTANT, Role.BUREAU_CHIEF, Role.PRESIDENT, Role.COMMAND_OPERATOR, Role.SUPERVISOR}
)
PUBLISHER_ROLES = frozenset({Role.BUREAU_CHIEF, Role.PRESIDENT, Role.COMMAND_OPERATOR, Role.SUPERVISOR})
LINK_ROLES = frozenset({*TEAM_ROLES, Role.BUREAU_CHIEF, Role.COMMAND_OPERATOR, Role.SUPERVISOR})

S = KnowledgeItem.Status


def is_reader(user: User | AnonymousUser) -> bool:
    """Signed-in staff (outside users — parties, lawyers, agency clerks — never see the library)."""
    if not user.is_authenticated or not user.is_active:
        return False
    assert isinstance(user, User)
    return user.is_superuser or (user.role in STAFF_ROLES and user.court_id is not None)


def is_court_chief(user: User | AnonymousUser, court_id: int) -> bool:
    return isinstance(user, User) and user.role == Role.BUREAU_CHIEF and user.court_id == court_id


def may_view(user: User | AnonymousUser, item: KnowledgeItem) -> bool:
    if not is_reader(user):
        return False
    assert isinstance(user, User)
    if user.is_superuser or item.status == S.PUBLISHED:
        return True
    return item.author_id == user.pk or is_court_chief(user, item.court_id)


def may_write(user: User | AnonymousUser) -> bool:
    return is_reader(user) and isinstance(user, User) and user.role in WRITER_ROLES


def may_edit(user: User | AnonymousUser, item: KnowledgeItem) -> bool:
    if not may_write(user):
        return False
    if is_court_chief(user, item.court_id):
        return True
    return isinstance(user, User) and item.author_id == user.pk and item.status != S.PUBLISHED


def may_publish(user: User | AnonymousUser, item: KnowledgeItem) -> bool:
    return (
        isinstance(user, User)
        and user.role in PUBLISHER_ROLES
        and item.status != S.PUBLISHED
        and may_view(user, item)
        and scope_for(user).allows_court(item.court_id)
    )


def may_withdraw(user: User | AnonymousUser, item: KnowledgeItem) -> bool:
    return (
        is_reader(user)
        and isinstance(user, User)
        and user.role in PUBLISHER_ROLES
        and item.status == S.PUBLISHED
        and scope_for(user).allows_court(item.court_id)
    )


def may_link(user: User | AnonymousUser, case: EnforcementCase) -> bool:
    """The case's team, or a bureau chief / command role whose scope holds the case."""
    if not is_reader(user) or not isinstance(user, User) or user.role not in LINK_ROLES:
        return False
    scope = scope_for(user)
    if not scope.allows_court(case.court_id):
        return False
    return user.role not in TEAM_ROLES or (user.team_id is not None and user.team_id == case.team_id)
