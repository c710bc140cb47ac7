"""模拟协助执行单位名录 — the simulated agencies of Shaoxing (绍兴) and what each of them does.

Each agency answers the acts its kind supports (``protocol.AGENCY_KINDS``). Banks and the
securities depository answer by callback (as the 总对总 network does, within 24 hours); the local
registries answer synchronously. The grid (网格) is not integrated: it has no endpoint and its
clerks answer on the platform's agency desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zhixing.agencies.protocol import AGENCY_KINDS

AnswerMode = Literal["sync", "callback"]


@dataclass(frozen=True)
class AgencySpec:
    """模拟单位：code, name, kind, region, supported acts, how and how fast it answers."""

    code: str
    name: str
    kind: str  # a key of protocol.AGENCY_KINDS
    region: str
    acts: tuple[str, ...]
    answer_mode: AnswerMode
    answer_hours: int
    integrated: bool = True  # False: no endpoint, answered on the platform's agency desk

    def endpoint(self, base_url: str) -> str:
        """This agency's endpoint on a simulator served at ``base_url`` (requests go to ``…/v1/requests``)."""
        return f"{base_url.rstrip('/')}/agencies/{self.code}"


REGION = "浙江省绍兴市"


def _acts(kind: str) -> tuple[str, ...]:
    return tuple(str(a) for a in AGENCY_KINDS[kind])


def _spec(
    code: str,
    name: str,
    kind: str,
    mode: AnswerMode,
    hours: int,
    *,
    region: str = REGION,
    integrated: bool = True,
) -> AgencySpec:
    return AgencySpec(code, name, kind, region, _acts(kind), mode, hours, integrated)


# Answer hours follow the parameter agency_answer_hours (banks and the depository 24, others 72,
# the grid a week).
_CATALOGUE: tuple[AgencySpec, ...] = (
    _spec("ICBC-SX", "中国工商银行绍兴分行", "bank", "callback", 24),
    _spec("ABC-SX", "中国农业银行绍兴分行", "bank", "callback", 24),
    _spec("CCB-SX", "中国建设银行绍兴分行", "bank", "callback", 24),
    _spec("BOC-SX", "中国银行绍兴分行", "bank", "callback", 24),
    _spec("SXBANK", "绍兴银行", "bank", "callback", 24),
    _spec("REG-SX", "绍兴市不动产登记中心", "real_estate_registry", "sync", 72),
    _spec("PSB-SX", "绍兴市公安局（车辆、户籍）", "public_security", "sync", 72),
    _spec("CA-SX", "绍兴市民政局（婚姻登记）", "civil_affairs", "sync", 72),
    _spec("AMR-SX", "绍兴市市场监督管理局（股权）", "market_regulation", "sync", 72),
    _spec("CSDC", "中国证券登记结算有限责任公司", "securities_depository", "callback", 24, region="全国"),
    _spec("HPF-SX", "绍兴市住房公积金管理中心", "provident_fund", "sync", 72),
    _spec("TAX-SX", "国家税务总局绍兴市税务局", "tax", "sync", 72),
    _spec("GRID-SX", "绍兴市基层治理网格（网格员）", "grid", "sync", 168, integrated=False),
)
_BY_CODE = {s.code: s for s in _CATALOGUE}

BANK_CODES: tuple[str, ...] = tuple(s.code for s in _CATALOGUE if s.kind == "bank")

# Which agency holds (and answers inquiries about) each kind of asset.
HOLDER_OF_KIND: dict[str, str] = {
    "real_estate": "REG-SX",
    "vehicle": "PSB-SX",
    "household": "PSB-SX",
    "marriage": "CA-SX",
    "equity": "AMR-SX",
    "securities": "CSDC",
    "provident_fund": "HPF-SX",
    "income": "TAX-SX",
}  # bank_deposit: the bank of the account


def catalogue() -> list[AgencySpec]:
    """All simulated agencies, integrated or not, in a stable order."""
    return list(_CATALOGUE)


def spec(code: str) -> AgencySpec:
    """The agency with this code; KeyError if there is none."""
    return _BY_CODE[code]
