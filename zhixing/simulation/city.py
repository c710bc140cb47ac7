"""模拟城市的执行年度 — a seeded, reproducible plan of a Shaoxing enforcement year.

What arrives (applications per basic court and day, at the magnitude of the seed's figures), what
each application is (its title, amount, applicant and debtor from :mod:`world`), how the debtor
behaves (a *behaviour class*) and how quickly the court's staff act (delays in days, drawn so that
most nodes are met and some are missed). The plan says nothing about the platform: the driver
(``zhixing.twin.driver``) plays it through the services and reacts to what the agencies answer.

Pure Python: no Django, no app (the rules' calendar only, for working days). Every draw comes from
``random.Random`` seeded by SHA-256 of a key, so ``plan_period(start, end, scale=s, seed=n)`` is the
same plan on every machine; a case's draws depend on its own key only, so a longer period extends a
shorter one instead of reshuffling it.

**Assumptions** (the seed gives totals, not shares — everything below is a guess unless it says
otherwise; ``docs/simulation.md`` lists them):

* volume: 60,000 first-instance enforcement applications a year over the six basic courts (the seed:
  29,575 cases closed in the first half of 2021, about 59,000 a year);
* court weights by size (population and economy of the district — a guess): 柯桥 and 诸暨 largest;
* seasonality: a January peak (year-end collection before the Spring Festival), a February trough
  (the festival), a June peak (the half-year push), a December peak;
* applications arrive on working days only;
* title mix, debtor kinds, amounts (log-normal) and behaviour shares: :data:`TITLE_MIX`,
  :data:`DEBTOR_KINDS`, :data:`AMOUNT`, :data:`BEHAVIOURS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from zhixing.rules.calendar import is_workday
from zhixing.simulation.world import World

T = TypeVar("T")

WORLD_SEED = 2026  # the agency simulator's world (AgencySimulator(seed=2026))
ANNUAL_CASES = 60_000

# 基层法院 (courts.yaml) → share of the city's applications (a guess by size; sums to 1).
COURT_WEIGHTS: dict[str, float] = {
    "浙0602": 0.19,  # 越城 — the city centre
    "浙0603": 0.22,  # 柯桥 — textiles, the largest economy
    "浙0604": 0.16,  # 上虞
    "浙0624": 0.08,  # 新昌 — the smallest county
    "浙0681": 0.23,  # 诸暨 — the most populous
    "浙0683": 0.12,  # 嵊州
}
COURT_NAMES = {
    "浙0602": "绍兴市越城区人民法院",
    "浙0603": "绍兴市柯桥区人民法院",
    "浙0604": "绍兴市上虞区人民法院",
    "浙0624": "新昌县人民法院",
    "浙0681": "诸暨市人民法院",
    "浙0683": "嵊州市人民法院",
}
COURT_TOWNS = {
    "浙0602": "越城",
    "浙0603": "柯桥",
    "浙0604": "上虞",
    "浙0624": "新昌",
    "浙0681": "诸暨",
    "浙0683": "嵊州",
}

# Relative monthly volume (normalised below to a mean of 1).
_MONTH_RAW = {
    1: 1.30,
    2: 0.60,
    3: 1.05,
    4: 0.95,
    5: 0.90,
    6: 1.25,
    7: 1.05,
    8: 0.90,
    9: 0.95,
    10: 0.80,
    11: 1.00,
    12: 1.25,
}
MONTH_FACTORS = {m: v * 12 / sum(_MONTH_RAW.values()) for m, v in _MONTH_RAW.items()}

# 执行依据 (filing rules' TITLE_KINDS) → share.
TITLE_MIX: dict[str, float] = {
    "judgment": 0.52,
    "mediation": 0.31,
    "judicial_confirmation": 0.04,
    "arbitration_award": 0.07,
    "notarised_debt": 0.06,
}
DEBTOR_KINDS: dict[str, float] = {"natural_person": 0.70, "legal_person": 0.30}
APPLICANT_FIRM_SHARE = 0.45  # banks, lenders, suppliers
ONLINE_SHARE = 0.65  # 网上立案 by a lawyer; the rest at the counter


@dataclass(frozen=True)
class AmountModel:
    """Log-normal claim amounts (principal, yuan), clipped; firms owe more."""

    median: int = 42_000
    sigma: float = 1.35
    firm_factor: float = 2.8
    low: int = 5_000
    high: int = 30_000_000


AMOUNT = AmountModel()


@dataclass(frozen=True)
class Behaviour:
    code: str
    share: float
    label: str
    profiles: tuple[str, ...]  # the world's debtor profiles (world.PROFILES) that fit
    guess: bool = True


# How the case ends and why. Shares are guesses shaped by national statistics (终本 about a third of
# closings, 执行完毕 about half, the rest terminations and procedural endings).
BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour("pays", 0.20, "执行通知送达后自动履行", ("pays",)),
    Behaviour("pays_under_pressure", 0.07, "限制消费后履行", ("pays", "able_refuses")),
    Behaviour("deducted", 0.22, "有能力不履行：查控发现存款，冻结、扣划", ("able_refuses",)),
    Behaviour("settles", 0.10, "执行和解，分期履行", ("pays", "able_refuses")),
    Behaviour("unable", 0.33, "无财产可供执行：完成终本清单后终结本次执行", ("unable",)),
    Behaviour("withdrawn", 0.05, "申请人撤回申请，终结执行", ("pays", "able_refuses", "unable")),
    Behaviour("refused", 0.01, "仲裁裁决、公证债权文书不予执行", ("pays", "able_refuses", "unable")),
    Behaviour("dismissed", 0.01, "立案后发现不符合受理条件，驳回申请", ("pays", "able_refuses", "unable")),
    Behaviour("duplicate", 0.01, "重复立案，销案", ("pays", "able_refuses", "unable")),
)
BEHAVIOUR_SHARES = {b.code: b.share for b in BEHAVIOURS}
_BY_CODE = {b.code: b for b in BEHAVIOURS}
NON_LITIGATION = frozenset({"arbitration_award", "notarised_debt"})

# Staff: the share of acts done late (after the node's deadline) — a guess, so that the command
# center's on-time figures are neither 100 % nor alarming.
LATE_SHARE = {"filing": 0.05, "notice": 0.12, "leads": 0.15, "inquiry": 0.12}
NO_ASSETS_CONSENT_SHARE = 0.85  # 终本 with the applicant's consent; the rest go to the president


@dataclass(frozen=True)
class Delays:
    """Days, each counted from the anchor named in the comment."""

    filing: int  # received → accepted (node: 7 days)
    notice: int  # filed → performance notice + asset report order (node: 10 days from receipt)
    leads: int  # filed → applicant asked for leads (node: 3 days)
    inquiry: int  # filed → first network inquiry (node: 10 days)
    delivery: int  # notice issued → postal receipt
    act: int  # the debtor's own delay: pays / settles / is found out (behaviour-dependent)
    close: int  # condition met → the judge closes
    instalments: int  # settles: number of monthly instalments


@dataclass(frozen=True)
class Party:
    kind: str  # natural_person | legal_person
    index: int  # the world's person or firm index
    id_number: str


@dataclass(frozen=True)
class PlannedCase:
    key: str  # stable: court code · receipt date · number of the day
    court_code: str
    received_on: dt.date
    online: bool
    title_kind: str
    issuing_body: str
    issuing_court_code: str | None
    document_number: str
    effective_on: dt.date
    performance_deadline: dt.date
    principal: str  # yuan, Decimal string
    costs: str
    jurisdiction_basis: str
    materials: tuple[str, ...]
    applicant: Party
    debtor: Party
    behaviour: str
    delays: Delays
    consents_to_no_assets: bool = True

    @property
    def claim(self) -> Decimal:
        return Decimal(self.principal) + Decimal(self.costs)


@dataclass(frozen=True)
class CityPlan:
    start: dt.date
    end: dt.date
    scale: float
    seed: int
    cases: tuple[PlannedCase, ...]
    expected: dict[str, float] = field(default_factory=dict)  # court → expected arrivals in the period

    def arrivals(self, on: dt.date) -> list[PlannedCase]:
        return [c for c in self.cases if c.received_on == on]

    def by_day(self) -> dict[dt.date, list[PlannedCase]]:
        out: dict[dt.date, list[PlannedCase]] = {}
        for c in self.cases:
            out.setdefault(c.received_on, []).append(c)
        return out

    def shares(self, attr: str) -> dict[str, float]:
        counts: dict[str, int] = {}
        for c in self.cases:
            v = getattr(c, attr)
            counts[v] = counts.get(v, 0) + 1
        n = len(self.cases) or 1
        return {k: v / n for k, v in sorted(counts.items())}


# --- the seed's published figures (人民法院报 2021-07-14; Shaoxing, first half of 2021) ----------------
SEED_PERIOD = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
SEED_FIGURES: dict[str, Decimal] = {
    "cases_closed": Decimal(29_575),
    "amount_recovered": Decimal(3_000_000_000),
    "seal_acts": Decimal(11_200),  # 在线查解封 11,200+ times
    "properties_auctioned": Decimal(613),
    "auction_amount": Decimal(2_930_000_000),
    "title_certificates": Decimal(478),
}


def seed_figures_scaled(*, scale: float, start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """The seed's half-year figures scaled by ``scale`` and by the length of the period."""
    half = (SEED_PERIOD[1] - SEED_PERIOD[0]).days + 1
    factor = Decimal(str(scale)) * Decimal((end - start).days + 1) / Decimal(half)
    return {k: (v * factor).quantize(Decimal("1"), rounding=ROUND_HALF_UP) for k, v in SEED_FIGURES.items()}


# --- draws -------------------------------------------------------------------------------------------------
def _rng(*key: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(str(k) for k in key).encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _weighted(r: random.Random, table: dict[str, float]) -> str:
    x = r.random() * sum(table.values())
    for k, w in table.items():
        x -= w
        if x < 0:
            return k
    return next(reversed(table))


def _poisson(r: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation
        return max(0, round(r.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= limit:
            return k
        k += 1


def _late_or_not(r: random.Random, share: float, on_time: tuple[int, int], late: tuple[int, int]) -> int:
    lo, hi = late if r.random() < share else on_time
    return r.randint(lo, hi)


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _amount(r: random.Random, firm: bool) -> Decimal:
    median = AMOUNT.median * (AMOUNT.firm_factor if firm else 1)
    x = math.exp(math.log(median) + AMOUNT.sigma * r.gauss(0, 1))
    x = min(max(x, AMOUNT.low), AMOUNT.high)
    if r.random() < 0.6:  # most claims are whole yuan
        return Decimal(round(x))
    return Decimal(str(round(x, 2)))


def _costs(principal: Decimal, kind: str) -> Decimal:
    """诉讼费 as the title states it — a rough tariff (a guess; arbitration and notary fees alike)."""
    fee = Decimal(50) + principal * Decimal("0.011")
    if kind in ("mediation", "judicial_confirmation"):
        fee = fee / 2
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _party(world: World, kind: str, start: int, profiles: Sequence[str] | None = None) -> Party:
    """The first world person or firm from ``start`` on that fits (an adult; a debtor of the profile)."""
    index = start
    while True:
        number = world.person_id(index) if kind == "natural_person" else world.firm_id(index)
        adult = kind != "natural_person" or int(number[6:10]) <= 2000
        if adult and (profiles is None or world.profile(number) in profiles):
            return Party(kind, index, number)
        index += 1


def _start_index(r: random.Random, kind: str) -> int:
    """Where a case looks for its party: random over a large range, so that cases rarely share one."""
    return r.randrange(10_000, 90_000_000 if kind == "natural_person" else 9_000_000)


def _title(r: random.Random, kind: str, court: str, received: dt.date) -> dict[str, object]:
    effective = received - dt.timedelta(days=r.randint(25, 420))
    deadline = min(
        effective + dt.timedelta(days=r.choice((0, 10, 15, 30, 60))), received - dt.timedelta(days=5)
    )
    deadline = max(deadline, effective)
    year = effective.year
    town = COURT_TOWNS[court]
    if kind in ("judgment", "mediation"):
        body, number, issuing, basis = (
            COURT_NAMES[court],
            f"（{year}）{court}民初{r.randint(100, 19999)}号",
            court,
            "first_instance",
        )
    elif kind == "judicial_confirmation":
        body, number, issuing, basis = (
            COURT_NAMES[court],
            f"（{year}）{court}民特{r.randint(10, 2999)}号",
            court,
            "first_instance",
        )
    elif kind == "arbitration_award":
        body, number, issuing, basis = (
            "绍兴仲裁委员会",
            f"（{year}）绍仲字第{r.randint(10, 3999)}号",
            None,
            "debtor_domicile",
        )
    else:
        body, number, issuing, basis = (
            f"浙江省绍兴市{town}公证处",
            f"（{year}）浙绍{town}证字第{r.randint(10, 9999)}号",
            None,
            "debtor_domicile",
        )
    materials = ["application", "title", "identity"] + (
        ["execution_certificate"] if kind == "notarised_debt" else []
    )
    return {
        "effective_on": effective,
        "performance_deadline": deadline,
        "issuing_body": body,
        "document_number": number,
        "issuing_court_code": issuing,
        "jurisdiction_basis": basis,
        "materials": tuple(materials),
    }


def _behaviour(r: random.Random, title_kind: str) -> str:
    code = _weighted(r, BEHAVIOUR_SHARES)
    if code == "refused" and title_kind not in NON_LITIGATION:
        return "withdrawn"  # 不予执行 exists only for arbitral awards and notarised debts
    return code


def _delays(r: random.Random, behaviour: str) -> Delays:
    filing = _late_or_not(r, LATE_SHARE["filing"], (0, 5), (8, 14))
    act = {
        "pays": r.randint(1, 12),  # days after the notice is delivered
        "pays_under_pressure": r.randint(5, 40),  # days after the restriction
        "deducted": r.randint(1, 4),  # days between the judge's steps
        "settles": r.randint(8, 45),  # days after filing
        "unable": r.randint(0, 40),  # days after the 3-month minimum
        "withdrawn": r.randint(10, 90),
        "refused": r.randint(20, 60),
        "dismissed": r.randint(5, 30),
        "duplicate": r.randint(3, 20),
    }[behaviour]
    return Delays(
        filing=filing,
        notice=_late_or_not(r, LATE_SHARE["notice"], (1, max(1, 8 - filing)), (11, 30)),
        leads=_late_or_not(r, LATE_SHARE["leads"], (0, 3), (5, 15)),
        inquiry=_late_or_not(r, LATE_SHARE["inquiry"], (1, 9), (12, 30)),
        delivery=r.randint(2, 5),
        act=act,
        close=r.randint(1, 8),
        instalments=r.randint(2, 6),
    )


def working_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    d = start
    while d <= end:
        if is_workday(d):
            yield d
        d += dt.timedelta(days=1)


def plan_period(
    start: dt.date, end: dt.date, *, scale: float = 1.0, seed: int = 2021, world_seed: int = WORLD_SEED
) -> CityPlan:
    """The applications received from ``start`` to ``end`` (inclusive) and what becomes of each."""
    if end < start:
        raise ValueError(f"结束日 {end} 早于开始日 {start}")
    if scale <= 0:
        raise ValueError("scale 须大于零")
    world = World(world_seed)
    days = list(working_days(start, end))
    month_days: dict[tuple[int, int], int] = {}
    d = start.replace(day=1)
    while d <= end:  # working days of each whole month touched, so a partial month keeps its rate
        nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        month_days[(d.year, d.month)] = sum(1 for _ in working_days(d, nxt - dt.timedelta(days=1)))
        d = nxt
    cases: list[PlannedCase] = []
    expected: dict[str, float] = {}
    for day in days:
        for court, weight in COURT_WEIGHTS.items():
            lam = (
                ANNUAL_CASES
                * scale
                * weight
                * MONTH_FACTORS[day.month]
                / 12
                / month_days[(day.year, day.month)]
            )
            expected[court] = expected.get(court, 0.0) + lam
            n = _poisson(_rng(seed, "arrivals", court, day), lam)
            for i in range(n):
                key = f"{court}·{day:%Y%m%d}·{i + 1:03d}"
                r = _rng(seed, "case", key)
                title_kind = _weighted(r, TITLE_MIX)
                behaviour = _behaviour(r, title_kind)
                debtor_kind = _weighted(r, DEBTOR_KINDS)
                principal = _amount(r, debtor_kind == "legal_person")
                title = _title(r, title_kind, court, day)
                applicant_kind = "legal_person" if r.random() < APPLICANT_FIRM_SHARE else "natural_person"
                cases.append(
                    PlannedCase(
                        key=key,
                        court_code=court,
                        received_on=day,
                        online=r.random() < ONLINE_SHARE,
                        title_kind=title_kind,
                        issuing_body=str(title["issuing_body"]),
                        issuing_court_code=title["issuing_court_code"],  # type: ignore[arg-type]
                        document_number=str(title["document_number"]),
                        effective_on=title["effective_on"],  # type: ignore[arg-type]
                        performance_deadline=title["performance_deadline"],  # type: ignore[arg-type]
                        principal=_money(principal),
                        costs=_money(_costs(principal, title_kind)),
                        jurisdiction_basis=str(title["jurisdiction_basis"]),
                        materials=title["materials"],  # type: ignore[arg-type]
                        applicant=_party(world, applicant_kind, _start_index(r, applicant_kind)),
                        debtor=_party(
                            world, debtor_kind, _start_index(r, debtor_kind), _BY_CODE[behaviour].profiles
                        ),
                        behaviour=behaviour,
                        delays=_delays(r, behaviour),
                        consents_to_no_assets=r.random() < NO_ASSETS_CONSENT_SHARE,
                    )
                )
    return CityPlan(start=start, end=end, scale=scale, seed=seed, cases=tuple(cases), expected=expected)
