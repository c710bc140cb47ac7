"""演示与测试用的协助单位登记：the simulated agencies of zhixing.simulation.catalogue, with endpoints
on the simulator and keys derived from its master secret; one desk clerk per non-integrated agency."""

from __future__ import annotations

from django.conf import settings

from zhixing.agencies import services
from zhixing.agencies.models import Agency, AgencyMember
from zhixing.agencies.protocol import derive_secret
from zhixing.core.models import User
from zhixing.core.roles import Role

DESK_CLERKS = {"GRID-SX": ("grid_clerk", "网格员 周敏")}


def registry_seed(*, base_url: str | None = None, master_secret: str | None = None) -> list[Agency]:
    """登记模拟城市的全部协助单位（幂等）。"""
    from zhixing.simulation.catalogue import catalogue

    base = (base_url or settings.AGENCY_SIM_URL).rstrip("/")
    master = master_secret or settings.AGENCY_SIM_SECRET
    out = []
    for spec in catalogue():
        out.append(
            services.agency_register(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                region=spec.region,
                endpoint=spec.endpoint(base) if spec.integrated else "",
                key_id=spec.code,
                secret=derive_secret(master, spec.code),
                acts=list(spec.acts),
                answer_hours=spec.answer_hours,
            )
        )
    return out


def desk_clerks_seed(*, password: str) -> list[User]:
    """每个未对接单位一名工作台账号（演示）。"""
    from zhixing.core.services import external_user_create

    users = []
    for code, (username, full_name) in DESK_CLERKS.items():
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = external_user_create(
                username=username, full_name=full_name, role=Role.AGENCY_CLERK, password=password
            )
        AgencyMember.objects.update_or_create(user=user, defaults={"agency": agency})
        users.append(user)
    return users
