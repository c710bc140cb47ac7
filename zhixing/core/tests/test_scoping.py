"""Who sees what: every rule of `scoping` with its negative test."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from zhixing.core import selectors
from zhixing.core.models import Court, Team, User
from zhixing.core.roles import Role
from zhixing.core.scoping import scope_for, scoped

SHAOXING_BASIC = {"浙0602", "浙0603", "浙0604", "浙0624", "浙0681", "浙0683"}


def codes(user: User | AnonymousUser) -> set[str]:
    return set(selectors.court_list(user=user).values_list("court_code", flat=True))


def test_judge_sees_only_own_court(make_user: Callable[..., User]) -> None:
    judge = make_user(Role.JUDGE, "浙0602")
    assert codes(judge) == {"浙0602"}
    assert selectors.court_get(user=judge, court_code="浙0603") is None
    assert selectors.court_get(user=judge, court_code="浙06") is None


def test_intermediate_supervisor_sees_the_city(make_user: Callable[..., User]) -> None:
    sup = make_user(Role.SUPERVISOR, "浙06")
    assert codes(sup) == {"浙06", *SHAOXING_BASIC}
    assert selectors.court_get(user=sup, court_code="浙") is None  # not upwards


def test_high_court_supervisor_sees_everything_below(make_user: Callable[..., User]) -> None:
    assert codes(make_user(Role.SUPERVISOR, "浙")) == {"浙", "浙06", *SHAOXING_BASIC}


def test_command_operator_of_a_basic_court_sees_only_it(make_user: Callable[..., User]) -> None:
    assert codes(make_user(Role.COMMAND_OPERATOR, "浙0681")) == {"浙0681"}


def test_bureau_chief_sees_own_court_only(make_user: Callable[..., User]) -> None:
    assert codes(make_user(Role.BUREAU_CHIEF, "浙0603")) == {"浙0603"}


def test_team_scope_limits_team_owned_rows(
    make_user: Callable[..., User], make_team: Callable[..., Team]
) -> None:
    t1, t2 = make_team("浙0602"), make_team("浙0602")
    judge = make_user(Role.JUDGE, "浙0602", team=t1)
    chief = make_user(Role.BUREAU_CHIEF, "浙0602")
    teams = Team.objects.filter(pk__in=[t1.pk, t2.pk])
    assert set(scoped(teams, judge, team_field="id")) == {t1}
    assert set(scoped(teams, chief, team_field="id")) == {t1, t2}


@pytest.mark.django_db
def test_anonymous_and_roleless_users_see_nothing(courts: dict[str, Court]) -> None:
    assert codes(AnonymousUser()) == set()
    nobody = User.objects.create_user("nobody", password="x", court=courts["浙0602"])
    assert codes(nobody) == set()
    assert not scope_for(nobody).court_ids


def test_inactive_user_sees_nothing(make_user: Callable[..., User]) -> None:
    judge = make_user(Role.JUDGE, "浙0602")
    judge.is_active = False
    assert codes(judge) == set()


@pytest.mark.django_db
def test_superuser_sees_all(courts: dict[str, Court]) -> None:
    root = User.objects.create_superuser("root", password="x")
    assert len(codes(root)) == 8
