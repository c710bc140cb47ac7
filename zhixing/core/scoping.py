"""可见范围 — the one scoping mechanism every selector uses.

A user sees what their court, team and role allow (`roles.ROLE_SCOPE`):

- team roles (judge, assistant, clerk, officer): their court's organisation, and of work that
  belongs to a team only their own team's;
- bureau chief and court admin: everything of their court;
- command operators and supervisors: their court and every court below it;
- superusers: everything.

Nobody else sees another court's data. Views that fetch one object go through a scoped
queryset, so an object out of scope is simply "not found" (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from zhixing.core.models import Court, User
from zhixing.core.roles import ScopeLevel

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    all_courts: bool
    court_ids: frozenset[int]
    team_id: int | None  # set for team roles: team-owned work is limited to this team

    def allows_court(self, court_id: int | None) -> bool:
        return self.all_courts or (court_id is not None and court_id in self.court_ids)


NOTHING = Scope(all_courts=False, court_ids=frozenset(), team_id=None)


def scope_for(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    assert isinstance(user, User)
    if user.is_superuser:
        return Scope(all_courts=True, court_ids=frozenset(), team_id=None)
    level = user.scope_level
    if user.court_id is None or level is None:
        return NOTHING
    if level == ScopeLevel.SUBTREE:
        assert user.court is not None
        # The subtree is read once per user object (a request's user, a service's actor): a screen
        # asks for the scope many times. Keyed by the court's path so that a move is never stale.
        cached = getattr(user, "_subtree_scope", None)
        if cached is not None and cached[0] == user.court.path:
            return cached[1]
        ids = frozenset(Court.objects.filter(path__startswith=user.court.path).values_list("id", flat=True))
        scope = Scope(all_courts=False, court_ids=ids, team_id=None)
        user._subtree_scope = (user.court.path, scope)  # type: ignore[attr-defined]
        return scope
    team_id = user.team_id if level == ScopeLevel.TEAM else None
    return Scope(all_courts=False, court_ids=frozenset({user.court_id}), team_id=team_id)


def scoped(
    qs: QuerySet[M], user: User | AnonymousUser, *, court_field: str = "court", team_field: str | None = None
) -> QuerySet[M]:
    """Limit ``qs`` to what ``user`` may see.

    ``court_field`` names the path to the owning court (``"court"``, ``"case__court"``, or
    ``"id"`` for the Court model itself). ``team_field`` names the owning team for team-owned
    work (cases, tasks); a team member then sees only rows of their own team.
    """
    scope = scope_for(user)
    if scope.all_courts:
        return qs
    if not scope.court_ids:
        return qs.none()
    q = Q(**{f"{court_field}__in": scope.court_ids})
    if team_field is not None and scope.team_id is not None:
        q &= Q(**{team_field: scope.team_id})
    return qs.filter(q)
