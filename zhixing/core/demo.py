"""演示数据 — the seeded courts, their departments, teams and staff, and a few parties.

Idempotent: running it twice changes nothing. Everything goes through the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from stdnum.cn import ric, uscc

from zhixing.core import services
from zhixing.core.models import Court, Department, Party, Team, User
from zhixing.core.roles import Role

DEMO_PASSWORD = "Zhixing@2026"  # noqa: S105 - the published demo password

# Login prefixes per court (pinyin), used for the demo accounts: yuecheng.judge1 …
COURT_LOGINS = {
    "浙": "zjgy",
    "浙06": "sxzy",
    "浙0602": "yuecheng",
    "浙0603": "keqiao",
    "浙0604": "shangyu",
    "浙0624": "xinchang",
    "浙0681": "zhuji",
    "浙0683": "shengzhou",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = [
    "建华",
    "丽娟",
    "海峰",
    "晓明",
    "静",
    "伟",
    "芳",
    "强",
    "敏",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娜",
    "涛",
    "超",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    court: str
    role: str
    team: str


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def resident_id(division: str, birth: str, serial: int) -> str:
    """A resident ID that validates (region + birth date + serial + check digit)."""
    body = f"{division}{birth}{serial:03d}"
    return body + str(ric.calc_check_digit(body + "0"))


def credit_code(division: str, serial: int) -> str:
    body = f"91{division}{serial:09d}"
    return body + uscc.calc_check_digit(body)


_HASH: list[str] = []


def _user(username: str, **kw: object) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    if not _HASH:  # one Argon2 hash for every demo account: seeding stays fast
        _HASH.append(make_password(DEMO_PASSWORD))
    return services.staff_create(username=username, password_hash=_HASH[0], **kw)  # type: ignore[arg-type]


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    """载入演示组织与账号，返回演示账号清单。"""
    courts = services.org_seed_courts()
    logins: list[DemoLogin] = []
    n = 0
    for court in courts:
        prefix = COURT_LOGINS[court.court_code]
        bureau = services.department_create(
            court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局"
        )
        services.department_create(court=court, kind=Department.Kind.COMMAND_CENTER, name="执行指挥中心")
        if court.level == Court.Level.HIGH:
            u = _user(f"{prefix}.supervisor", full_name=_name(n), court=court, role=Role.SUPERVISOR)
            logins.append(DemoLogin(u.username, court.short_name, str(Role.SUPERVISOR.label), ""))
            n += 1
            continue
        services.department_create(court=court, kind=Department.Kind.FILING, name="立案庭")
        teams: list[Team] = []
        for i, track in enumerate([Team.Track.FAST, Team.Track.COMPLEX, Team.Track.FAST], start=1):
            label = "快执" if track == Team.Track.FAST else "精执"
            teams.append(
                services.team_create(court=court, department=bureau, name=f"{label}{i}组", track=track)
            )
        for i, team in enumerate(teams, start=1):
            for role in (Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.OFFICER):
                u = _user(f"{prefix}.{role}{i}", full_name=_name(n), court=court, team=team, role=role)
                n += 1
                if i == 1:
                    logins.append(DemoLogin(u.username, court.short_name, str(Role(role).label), team.name))
        for role in (Role.PRESIDENT, Role.BUREAU_CHIEF, Role.COMMAND_OPERATOR):
            u = _user(f"{prefix}.{role}", full_name=_name(n), court=court, role=role)
            n += 1
            logins.append(DemoLogin(u.username, court.short_name, str(Role(role).label), ""))
        if court.level == Court.Level.INTERMEDIATE:
            u = _user(f"{prefix}.supervisor", full_name=_name(n), court=court, role=Role.SUPERVISOR)
            n += 1
            logins.append(DemoLogin(u.username, court.short_name, str(Role.SUPERVISOR.label), ""))
        _seed_parties(court, n)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", password=DEMO_PASSWORD, full_name="系统管理员")
    logins.append(DemoLogin("admin", "—", "超级管理员（后台）", ""))
    return logins


def _seed_parties(court: Court, salt: int) -> None:
    clerk = User.objects.filter(court=court, role=Role.CLERK).order_by("username").first()
    if clerk is None or Party.objects.filter(registered_by_court=court).exists():
        return
    division = court.division_code
    for i in range(4):
        birth = f"19{70 + (salt + i) % 25:02d}{1 + i:02d}{10 + i:02d}"
        services.party_register(
            actor=clerk,
            kind=Party.Kind.NATURAL_PERSON,
            name=_name(salt + 100 + i),
            id_number=resident_id(division, birth, 100 + i),
            address=f"{court.short_name}某街道{i + 1}号",
        )
    services.party_register(
        actor=clerk,
        kind=Party.Kind.LEGAL_PERSON,
        name=f"绍兴{court.short_name}纺织有限公司",
        id_number=credit_code(division, salt),
        legal_representative=_name(salt + 200),
    )
