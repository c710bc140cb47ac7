"""模拟世界 — synthetic, seeded people, firms and assets of Shaoxing (绍兴).

Everything is a function of ``(seed, identity number)`` through SHA-256, so any valid resident
identity number or unified social credit code has reproducible assets without coordination
between the platform and the simulator: the platform registers a party, the simulator answers an
inquiry about the same number with the same accounts, houses and cars every time.

* :meth:`World.people` / :meth:`World.firms` enumerate distinct synthetic persons and firms
  (indices map to identity numbers through a keyed permutation, so no two indices collide);
* :meth:`World.profile` says how a debtor behaves: ``pays`` (pays voluntarily), ``able_refuses``
  (can pay, does not) or ``unable`` (cannot);
* :meth:`World.assets` lists what a subject owns, each asset held by one simulated agency
  (``catalogue``), some already sealed or frozen by another court (``encumbrances``);
* :meth:`World.inquiry` is one agency's answer to an inquiry, as protocol ``Asset`` dicts.

Pure Python: no Django, no app imports (only the simulated catalogue). Money is ``Decimal``
(two places); dates are fixed relative to :data:`ANCHOR`, never the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from zhixing.simulation.catalogue import BANK_CODES, spec

T = TypeVar("T")

ANCHOR = dt.date(2026, 1, 1)  # "now" of the world's history: foreign measures, last tax year
TAX_YEAR = ANCHOR.year - 1
CENT = Decimal("0.01")

PROFILES = ("pays", "able_refuses", "unable")
PROFILE_SHARES = {"pays": 0.45, "able_refuses": 0.30, "unable": 0.25}

# County-level area codes of Shaoxing and the district they are in today (330682 was 上虞市).
AREAS: tuple[tuple[str, str], ...] = (
    ("330602", "越城区"),
    ("330603", "柯桥区"),
    ("330604", "上虞区"),
    ("330624", "新昌县"),
    ("330681", "诸暨市"),
    ("330682", "上虞区"),
    ("330683", "嵊州市"),
)
_DISTRICT = dict(AREAS)
BIRTH_FIRST = dt.date(1950, 1, 1)
BIRTH_LAST = dt.date(2004, 12, 31)
_BIRTH_DAYS = (BIRTH_LAST - BIRTH_FIRST).days + 1

# Courts whose seals and freezes exist before the platform sees a debtor (never 浙0602, the demo's
# own court, so that "another court" is always another court).
FOREIGN_COURTS = ("浙0603", "浙0604", "浙0681", "浙0683", "浙0624", "浙06", "浙0106", "浙0212")

_STREETS = {
    "越城区": ("解放北路", "中兴中路", "胜利西路", "环城西路", "延安东路", "人民西路", "越东路"),
    "柯桥区": ("笛扬路", "金柯桥大道", "湖西路", "群贤路", "鉴湖路", "柯华路"),
    "上虞区": ("人民大道", "市民大道", "江扬路", "百官路", "舜江路"),
    "新昌县": ("鼓山中路", "人民中路", "七星路", "江滨西路"),
    "诸暨市": ("艮塔西路", "望云路", "浣纱南路", "暨阳路", "东二路"),
    "嵊州市": ("官河南路", "北直街", "剡湖路", "领带园路"),
}
_COMPOUNDS = (
    "金色家园", "镜湖花园", "东方明珠苑", "世茂云图", "兰园", "阳光水岸", "中梁首府", "鉴湖景园",
    "天阳名都", "宝业四季园", "蓝天名苑", "江南名府", "锦绣华庭", "越都名府", "风雅鉴湖", "玉兰花园",
)  # fmt: skip
_PRICE_PER_M2 = {  # yuan per m², residential
    "越城区": (18_000, 32_000),
    "柯桥区": (16_000, 30_000),
    "上虞区": (12_000, 22_000),
    "诸暨市": (13_000, 24_000),
    "嵊州市": (9_000, 16_000),
    "新昌县": (9_000, 16_000),
}

_SURNAMES: tuple[tuple[str, float], ...] = tuple(
    (s, w)
    for group, w in (
        ("王陈张李周徐沈", 6.0),
        ("钱孙吴金胡俞朱章楼宣杨黄赵刘", 3.0),
        ("马郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾田董袁潘蒋蔡余杜叶程苏魏吕丁任姚卢姜崔钟谭陆汪范石", 1.0),
        ("廖贾夏方邹孟熊秦邱江尹薛段雷侯史陶贺顾毛龚邵万严戴莫孔汤裘骆", 0.5),
    )
    for s in group
)
_GIVEN_MALE = "伟强磊军勇杰涛明斌辉刚建华国峰浩鹏宇俊超波林海平东文龙志飞鑫晨阳凯洋栋江立新荣斌昊"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧红萍琳颖倩洁晶梅莉丹佳蕾欣怡琴云薇晓秀英美月蓉"

_TRADE_NAMES = (
    "恒丰", "宏达", "永利", "金鑫", "华美", "天成", "瑞丰", "鸿运", "越龙", "兰亭", "鉴湖", "会稽", "古越",
    "稽山", "镜湖", "正大", "东盛", "万丰", "卧龙", "海亮", "精工", "宝业", "盛泰", "远东", "新和", "三力",
)  # fmt: skip
_INDUSTRIES = (
    "纺织", "印染", "化纤", "服饰", "机械", "建材", "建设工程", "贸易", "房地产开发", "电子科技", "黄酒",
    "珍珠", "五金", "餐饮管理", "物流", "袜业", "轴承", "茶业",
)  # fmt: skip

_BANK_BIN = {
    "ICBC-SX": "622202",
    "ABC-SX": "622848",
    "CCB-SX": "621700",
    "BOC-SX": "621661",
    "SXBANK": "623169",
}
_BANK_CORPORATE = {"ICBC-SX": "1211", "ABC-SX": "1955", "CCB-SX": "3305", "BOC-SX": "3706", "SXBANK": "1170"}

_CARS: tuple[tuple[str, str, int, int], ...] = (  # brand, model, new price range (yuan)
    ("大众", "朗逸", 100_000, 140_000),
    ("丰田", "卡罗拉", 110_000, 150_000),
    ("本田", "雅阁", 170_000, 230_000),
    ("比亚迪", "秦PLUS", 80_000, 130_000),
    ("吉利", "帝豪", 60_000, 90_000),
    ("特斯拉", "Model 3", 230_000, 290_000),
    ("宝马", "3系", 290_000, 400_000),
    ("奔驰", "C级", 320_000, 450_000),
    ("别克", "英朗", 90_000, 120_000),
    ("日产", "轩逸", 90_000, 130_000),
    ("理想", "L7", 300_000, 380_000),
    ("五菱", "宏光MINI EV", 30_000, 50_000),
)
_TRUCKS: tuple[tuple[str, str, int, int], ...] = (
    ("解放", "J6P 牵引车", 300_000, 450_000),
    ("东风", "天龙 载货车", 250_000, 380_000),
    ("江铃", "顺达 轻卡", 90_000, 140_000),
    ("福田", "欧曼 自卸车", 280_000, 420_000),
)
_STATIONS = ("城东", "城西", "城南", "城北")
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


# --- deterministic randomness -----------------------------------------------------------------------
def _digest(*key: object) -> bytes:
    return hashlib.sha256("\x1f".join(str(k) for k in key).encode()).digest()


def _hex(*key: object, n: int = 12) -> str:
    return _digest(*key).hex()[:n].upper()


class _Rng:
    """A stream of draws keyed by strings; only ``random.Random.random`` (stable across versions)."""

    __slots__ = ("_r",)

    def __init__(self, *key: object) -> None:
        self._r = random.Random(int.from_bytes(_digest(*key)[:16], "big"))

    def random(self) -> float:
        return self._r.random()

    def below(self, n: int) -> int:
        return min(n - 1, int(self._r.random() * n))

    def between(self, lo: int, hi: int) -> int:
        return lo + self.below(hi - lo + 1)

    def chance(self, p: float) -> bool:
        return self._r.random() < p

    def choice(self, seq: Sequence[T]) -> T:
        return seq[self.below(len(seq))]

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        x = self._r.random() * sum(w for _, w in pairs)
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        pool = list(seq)
        return [pool.pop(self.below(len(pool))) for _ in range(min(k, len(pool)))]

    def digits(self, n: int) -> str:
        return "".join(str(self.below(10)) for _ in range(n))

    def money(self, lo: int, hi: int) -> Decimal:
        """Yuan, uniform in [lo, hi], to the fen."""
        return Decimal(self.between(lo * 100, hi * 100)).scaleb(-2)

    def tiered(self, tiers: Sequence[tuple[float, int, int]]) -> Decimal:
        lo, hi = self.weighted([((lo, hi), w) for w, lo, hi in tiers])
        return self.money(lo, hi)

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.below((last - first).days + 1))


def _money(d: Decimal) -> str:
    return str(d.quantize(CENT))


def _years_later(d: dt.date, years: int) -> dt.date:
    """The last day of a term of whole years starting on ``d``."""
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return end - dt.timedelta(days=1)


# --- identity numbers -------------------------------------------------------------------------------
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def ric_check_digit(body17: str) -> str:
    """居民身份证号校验码 (GB 11643)."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, _RIC_WEIGHTS, strict=True)) % 11]


def uscc_check_char(body17: str) -> str:
    """统一社会信用代码校验码 (GB 32100)."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """组织机构代码校验码 (GB 11714), digits only."""
    c = 11 - sum(int(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def is_resident_id(number: str) -> bool:
    n = number.strip().upper()
    if len(n) != 18 or not n[:17].isdigit() or n[17] != ric_check_digit(n[:17]):
        return False
    try:
        dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    return True


def is_uscc(number: str) -> bool:
    n = number.strip().upper()
    return (
        len(n) == 18
        and n[:2].isalnum()
        and all(c in _USCC_ALPHABET for c in n[2:])
        and n[17] == uscc_check_char(n[:17])
    )


def _luhn(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VIN_VALUES.update(dict(zip("JKLMN", range(1, 6), strict=True)) | {"P": 7, "R": 9})
_VIN_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _vin(r: _Rng) -> str:
    body = "LSV" + "".join(r.choice(_VIN_CHARS) for _ in range(14))
    total = sum(_VIN_VALUES[c] * w for c, w in zip(body, _VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    return body[:8] + check + body[9:]


class _Permutation:
    """A keyed bijection of [0, n) (four Feistel rounds with cycle walking)."""

    def __init__(self, key: str, n: int) -> None:
        self.key, self.n = key, n
        bits = max(2, (n - 1).bit_length())
        self.half = (bits + 1) // 2
        self.mask = (1 << self.half) - 1

    def __call__(self, i: int) -> int:
        if not 0 <= i < self.n:
            raise IndexError(f"index {i} outside [0, {self.n})")
        x = i
        while True:
            left, right = x >> self.half, x & self.mask
            for rnd in range(4):
                f = int.from_bytes(_digest(self.key, rnd, right)[:8], "big") & self.mask
                left, right = right, left ^ f
            x = (left << self.half) | right
            if x < self.n:
                return x


# --- the world's inhabitants --------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    """模拟自然人。"""

    name: str
    id_number: str
    gender: str  # 男 / 女
    birth_date: dt.date
    phone: str
    address: str
    district: str
    profile: str
    index: int | None = None  # position in World.people, None when built from an arbitrary number
    id_type: str = "resident_id"


@dataclass(frozen=True)
class Firm:
    """模拟企业（法人）。"""

    name: str
    uscc: str
    legal_representative: Person
    phone: str
    address: str
    district: str
    profile: str
    index: int | None = None
    id_type: str = "uscc"

    @property
    def id_number(self) -> str:
        return self.uscc


@dataclass(frozen=True)
class WorldAsset:
    """One asset as its holding agency knows it (``value`` None for information: household, marriage)."""

    ref: str  # stable, prefixed by the agency code
    agency: str
    kind: str  # protocol.ASSET_KINDS
    description: str
    value: Decimal | None
    details: dict[str, Any] = field(default_factory=dict)
    encumbrances: list[dict[str, Any]] = field(default_factory=list)  # foreign seals/freezes, by rank

    def as_protocol(self) -> dict[str, Any]:
        """The protocol ``Asset`` dict."""
        return {
            "ref": self.ref,
            "kind": self.kind,
            "description": self.description,
            "value": None if self.value is None else _money(self.value),
            "details": dict(self.details),
            "encumbrances": [dict(e) for e in self.encumbrances],
        }


# Per profile: chances of holding each kind of asset, balances, and how often another court got
# there first.
_PARAMS: dict[str, dict[str, Any]] = {
    "pays": {
        "bank": 0.97,
        "bank2": 0.35,
        "balance": ((0.3, 5_000, 50_000), (0.5, 50_000, 300_000), (0.2, 300_000, 1_500_000)),
        "house": 0.55,
        "house2": 0.15,
        "car": 0.50,
        "equity": 0.08,
        "securities": 0.20,
        "provident_fund": 0.65,
        "income": 0.85,
        "sealed_house": 0.08,
        "sealed_car": 0.05,
        "frozen_deposit": 0.03,
    },
    "able_refuses": {
        "bank": 0.95,
        "bank2": 0.55,
        "balance": ((0.2, 1_000, 20_000), (0.4, 50_000, 500_000), (0.4, 200_000, 3_000_000)),
        "house": 0.70,
        "house2": 0.35,
        "car": 0.60,
        "equity": 0.25,
        "securities": 0.30,
        "provident_fund": 0.50,
        "income": 0.70,
        "sealed_house": 0.35,
        "sealed_car": 0.20,
        "frozen_deposit": 0.12,
    },
    "unable": {
        "bank": 0.55,
        "bank2": 0.10,
        "balance": ((0.75, 0, 500), (0.2, 500, 5_000), (0.05, 5_000, 20_000)),
        "house": 0.12,
        "house2": 0.0,
        "car": 0.15,
        "equity": 0.03,
        "securities": 0.03,
        "provident_fund": 0.25,
        "income": 0.35,
        "sealed_house": 0.55,
        "sealed_car": 0.30,
        "frozen_deposit": 0.25,
    },
}

_MONEY_KINDS = frozenset({"bank_deposit", "securities", "provident_fund", "equity"})


class World:
    """The seeded world: ``World(2026)`` is the same city on every machine and every run."""

    PERSON_SPACE = len(AREAS) * _BIRTH_DAYS * 999
    FIRM_SPACE = 100_000_000

    def __init__(self, seed: int = 2026) -> None:
        self.seed = seed
        self._person_perm = _Permutation(f"{seed}|people", self.PERSON_SPACE)
        self._firm_perm = _Permutation(f"{seed}|firms", self.FIRM_SPACE)
        self._assets: dict[str, list[WorldAsset]] = {}

    # --- people and firms ---------------------------------------------------------------------------
    def person_id(self, index: int) -> str:
        """The resident identity number of the index-th person (distinct for distinct indices)."""
        j = self._person_perm(index)
        area, j = AREAS[j % len(AREAS)][0], j // len(AREAS)
        seq, day = j % 999 + 1, j // 999
        born = BIRTH_FIRST + dt.timedelta(days=day)
        body = f"{area}{born:%Y%m%d}{seq:03d}"
        return body + ric_check_digit(body)

    def firm_id(self, index: int) -> str:
        """The unified social credit code of the index-th firm (distinct for distinct indices)."""
        org8 = f"{self._firm_perm(index):08d}"
        area = AREAS[_Rng(self.seed, "firm-area", org8).below(len(AREAS))][0]
        body = f"91{area}{org8}{org_check_char(org8)}"
        return body + uscc_check_char(body)

    def people(self, n: int, *, start: int = 0) -> list[Person]:
        return [self.person(self.person_id(i), index=i) for i in range(start, start + n)]

    def firms(self, n: int, *, start: int = 0) -> list[Firm]:
        return [self.firm(self.firm_id(i), index=i) for i in range(start, start + n)]

    def person(self, id_number: str, *, index: int | None = None) -> Person:
        """The person behind any resident identity number (name, phone, address are derived from it)."""
        n = id_number.strip().upper()
        r = _Rng(self.seed, "person", n)
        gender = "男" if int(n[16]) % 2 else "女"
        district = _DISTRICT.get(n[:6]) or r.choice(AREAS)[1]
        return Person(
            name=self._name(r, gender),
            id_number=n,
            gender=gender,
            birth_date=dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14])),
            phone=self._phone(r),
            address=self._home(r, district),
            district=district,
            profile=self.profile(n),
            index=index,
        )

    def _firm_basics(self, uscc: str) -> tuple[_Rng, str, str]:
        r = _Rng(self.seed, "firm", uscc)
        district = _DISTRICT.get(uscc[2:8]) or r.choice(AREAS)[1]
        place = r.choice(("绍兴", f"绍兴市{district}", "浙江", f"绍兴市{district}"))
        form = r.choice(("有限公司", "有限公司", "股份有限公司"))
        return r, district, f"{place}{r.choice(_TRADE_NAMES)}{r.choice(_INDUSTRIES)}{form}"

    def firm_name(self, uscc: str) -> str:
        return self._firm_basics(uscc.strip().upper())[2]

    def firm(self, uscc: str, *, index: int | None = None) -> Firm:
        """The firm behind any unified social credit code."""
        n = uscc.strip().upper()
        r, district, name = self._firm_basics(n)
        rep_index = r.below(1_000_000)
        return Firm(
            name=name,
            uscc=n,
            legal_representative=self.person(self.person_id(rep_index), index=rep_index),
            phone=f"0575-8{r.digits(7)}",
            address=f"浙江省绍兴市{district}{r.choice(_STREETS[district])}{r.between(1, 999)}号",
            district=district,
            profile=self.profile(n),
            index=index,
        )

    def _name(self, r: _Rng, gender: str) -> str:
        chars = _GIVEN_MALE if gender == "男" else _GIVEN_FEMALE
        given = r.choice(chars) + (r.choice(chars) if r.chance(0.7) else "")
        return r.weighted(_SURNAMES) + given

    @staticmethod
    def _phone(r: _Rng) -> str:
        return "1" + r.choice("356789") + r.digits(9)

    @staticmethod
    def _home(r: _Rng, district: str) -> str:
        return (
            f"浙江省绍兴市{district}{r.choice(_STREETS[district])}{r.choice(_COMPOUNDS)}"
            f"{r.between(1, 30)}幢{r.between(1, 3)}单元{r.between(1, 28)}0{r.between(1, 4)}室"
        )

    def profile(self, id_number: str) -> str:
        """How the subject behaves as a debtor: pays / able_refuses / unable (45 / 30 / 25 %)."""
        x = _Rng(self.seed, "profile", id_number.strip().upper()).random()
        if x < PROFILE_SHARES["pays"]:
            return "pays"
        return "able_refuses" if x < PROFILE_SHARES["pays"] + PROFILE_SHARES["able_refuses"] else "unable"

    # --- assets ---------------------------------------------------------------------------------------
    def assets(self, id_number: str, *, id_type: str | None = None) -> list[WorldAsset]:
        """Everything the subject owns or is registered for; [] for a number that is not valid."""
        n = id_number.strip().upper()
        cached = self._assets.get(n)
        if cached is not None:
            return cached
        if id_type != "uscc" and is_resident_id(n):
            found = self._person_assets(self.person(n))
        elif id_type != "resident_id" and is_uscc(n):
            found = self._firm_assets(self.firm(n))
        else:
            found = []
        if len(self._assets) > 200_000:
            self._assets.clear()
        self._assets[n] = found
        return found

    def inquiry(
        self, agency_code: str, id_number: str, *, id_type: str | None = None
    ) -> list[dict[str, Any]]:
        """What this agency answers to an inquiry about the subject (protocol Asset dicts)."""
        return [a.as_protocol() for a in self.assets(id_number, id_type=id_type) if a.agency == agency_code]

    def asset(self, id_number: str, ref: str) -> WorldAsset | None:
        return next((a for a in self.assets(id_number) if a.ref == ref), None)

    def _foreign(
        self, r: _Rng, ref: str, kind: str, count: int, years: int, *, amount: Decimal | None = None
    ) -> list[dict[str, Any]]:
        courts = r.sample(FOREIGN_COURTS, count)
        placed = r.day(dt.date(2023, 6, 1), dt.date(2025, 6, 30))
        out: list[dict[str, Any]] = []
        for rank, court in enumerate(courts, start=1):
            enc: dict[str, Any] = {
                "kind": kind,
                "court": court,
                "rank": rank,
                "measure_ref": f"{ref.split(':', 1)[0]}:F-{_hex(self.seed, 'foreign', ref, rank)}",
                "effective_from": placed.isoformat(),
                "expires_on": _years_later(placed, years).isoformat(),
            }
            if amount is not None:
                enc["amount"] = _money(amount)
            out.append(enc)
            placed += dt.timedelta(days=r.between(10, 200))
        return out

    def _deposits(self, subject: Person | Firm, p: dict[str, Any], firm: bool) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "bank_deposit", subject.id_number)
        if not r.chance(p["bank"]):
            return []
        count = 1 + (r.chance(p["bank2"]) if not firm else r.below(3))
        out: list[WorldAsset] = []
        for bank in r.sample(BANK_CODES, count):
            if firm:
                account = f"{_BANK_CORPORATE[bank]}{r.digits(15)}"
                balance = r.tiered(
                    ((0.4, 1_000, 100_000), (0.4, 100_000, 2_000_000), (0.2, 2_000_000, 20_000_000))
                )
                account_type = "对公基本存款账户" if not out else "对公一般存款账户"
            else:
                body = _BANK_BIN[bank] + r.digits(12)
                account = body + _luhn(body)
                balance = r.tiered(p["balance"])
                account_type = "借记卡"
            bank_name = spec(bank).name
            ref = f"{bank}:{account}"
            encumbrances = []
            if balance > 0 and r.chance(p["frozen_deposit"]):
                held = (
                    balance if r.chance(0.6) else (balance * Decimal(r.between(20, 80)) / 100).quantize(CENT)
                )
                encumbrances = self._foreign(r, ref, "freeze", 1, 1, amount=held)
            out.append(
                WorldAsset(
                    ref=ref,
                    agency=bank,
                    kind="bank_deposit",
                    description=f"{bank_name} {account_type} 尾号{account[-4:]}，余额 {_money(balance)} 元",
                    value=balance,
                    details={
                        "bank": bank_name,
                        "account_number": account,
                        "account_type": account_type,
                        "currency": "CNY",
                        "balance": _money(balance),
                        "opened_on": r.day(dt.date(2005, 1, 1), dt.date(2024, 12, 31)).isoformat(),
                    },
                    encumbrances=encumbrances,
                )
            )
        return out

    def _houses(self, subject: Person | Firm, p: dict[str, Any], firm: bool) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "real_estate", subject.id_number)
        if not r.chance(p["house"]):
            return []
        count = 1 + r.chance(p["house2"])
        out = []
        for i in range(count):
            district = subject.district if i == 0 else r.choice(AREAS)[1]
            street = r.choice(_STREETS[district])
            if firm:
                use = "工业"
                area = r.money(800, 20_000)
                price = r.between(3_000, 8_000)
                address = f"浙江省绍兴市{district}{street}{r.between(1, 999)}号厂房"
            else:
                use = "住宅"
                area = r.money(55, 180)
                price = r.between(*_PRICE_PER_M2[district])
                address = (
                    subject.address
                    if i == 0 and isinstance(subject, Person)
                    else f"浙江省绍兴市{district}{street}{r.choice(_COMPOUNDS)}{r.between(1, 30)}幢"
                    f"{r.between(1, 3)}单元{r.between(1, 28)}0{r.between(1, 4)}室"
                )
            value = (area * price).quantize(Decimal("1"))
            year = r.between(2016, 2025)
            place = district if district.endswith(("市", "县")) else f"绍兴市{district}"
            certificate = f"浙({year}){place}不动产权第{r.digits(7)}号"
            ref = f"REG-SX:RE-{_hex(self.seed, 'house', subject.id_number, i)}"
            encumbrances = []
            if r.chance(p["sealed_house"]):
                encumbrances = self._foreign(r, ref, "seal", 1 if r.chance(0.75) else 2, 3)
            out.append(
                WorldAsset(
                    ref=ref,
                    agency="REG-SX",
                    kind="real_estate",
                    description=f"{address}，{use}，{_money(area)} 平方米",
                    value=Decimal(value).quantize(CENT),
                    details={
                        "certificate": certificate,
                        "address": address,
                        "use": use,
                        "area_m2": _money(area),
                        "ownership": "单独所有" if firm or r.chance(0.4) else "共同共有",
                        "registered_on": r.day(dt.date(year, 1, 1), dt.date(year, 12, 31)).isoformat(),
                    },
                    encumbrances=encumbrances,
                )
            )
        return out

    def _vehicles(self, subject: Person | Firm, p: dict[str, Any], firm: bool) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "vehicle", subject.id_number)
        count = r.below(4) if firm else int(r.chance(p["car"]))
        out = []
        for _ in range(count):
            brand, model, lo, hi = r.choice(_TRUCKS if firm else _CARS)
            registered = r.day(dt.date(2012, 1, 1), dt.date(2025, 10, 31))
            age = ANCHOR.year - registered.year
            value = (Decimal(r.between(lo, hi)) * Decimal(max(15, 100 - 12 * age)) / 100).quantize(CENT)
            plate = "浙D" + r.choice(_PLATE_CHARS[:24]) + "".join(r.choice(_PLATE_CHARS) for _ in range(4))
            vin = _vin(r)
            ref = f"PSB-SX:{vin}"
            encumbrances = []
            if r.chance(p["sealed_car"]):
                encumbrances = self._foreign(r, ref, "seal", 1, 2)
            out.append(
                WorldAsset(
                    ref=ref,
                    agency="PSB-SX",
                    kind="vehicle",
                    description=f"{plate} {brand}{model}",
                    value=value,
                    details={
                        "plate": plate,
                        "vin": vin,
                        "brand": brand,
                        "model": model,
                        "registered_on": registered.isoformat(),
                        "color": r.choice(("白", "黑", "银", "灰", "蓝", "红")),
                    },
                    encumbrances=encumbrances,
                )
            )
        return out

    def _equity(self, subject: Person | Firm, p: dict[str, Any]) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "equity", subject.id_number)
        if not r.chance(p["equity"]):
            return []
        target_uscc = self.firm_id(r.below(100_000))
        target_name = self.firm_name(target_uscc)
        share = Decimal(r.between(500, 10_000)).scaleb(-2)
        capital = Decimal(r.between(5, 500) * 100_000)
        value = (capital * share / 100 * Decimal(r.between(50, 200)) / 100).quantize(CENT)
        return [
            WorldAsset(
                ref=f"AMR-SX:EQ-{_hex(self.seed, 'equity', subject.id_number)}",
                agency="AMR-SX",
                kind="equity",
                description=f"{target_name} {share}% 股权",
                value=value,
                details={
                    "company": target_name,
                    "company_uscc": target_uscc,
                    "share_percent": str(share),
                    "subscribed_capital": _money(capital * share / 100),
                    "registered_capital": _money(capital),
                },
            )
        ]

    def _securities(self, subject: Person, p: dict[str, Any]) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "securities", subject.id_number)
        if not r.chance(p["securities"]):
            return []
        account = r.choice("A0") + r.digits(9)
        value = r.tiered(((0.5, 1_000, 50_000), (0.4, 50_000, 500_000), (0.1, 500_000, 3_000_000)))
        exchange = "上海证券交易所" if account[0] == "A" else "深圳证券交易所"
        return [
            WorldAsset(
                ref=f"CSDC:{account}",
                agency="CSDC",
                kind="securities",
                description=f"证券账户 {account}（{exchange}），市值 {_money(value)} 元",
                value=value,
                details={
                    "account": account,
                    "exchange": exchange,
                    "market_value": _money(value),
                    "holdings": r.between(1, 8),
                },
            )
        ]

    def _provident_fund(self, subject: Person, p: dict[str, Any]) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "provident_fund", subject.id_number)
        if subject.birth_date.year < 1966 or not r.chance(p["provident_fund"]):
            return []
        account = r.digits(12)
        tiers = ((1.0, 500, 20_000),) if subject.profile == "unable" else ((1.0, 10_000, 200_000),)
        balance = r.tiered(tiers)
        employer = self.firm_name(self.firm_id(r.below(100_000)))
        return [
            WorldAsset(
                ref=f"HPF-SX:{account}",
                agency="HPF-SX",
                kind="provident_fund",
                description=f"住房公积金账户 {account}，余额 {_money(balance)} 元",
                value=balance,
                details={
                    "account": account,
                    "employer": employer,
                    "balance": _money(balance),
                    "monthly_deposit": _money(Decimal(r.between(300, 6_000))),
                },
            )
        ]

    def _income(self, subject: Person | Firm, p: dict[str, Any], firm: bool) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "income", subject.id_number)
        if firm:
            revenue = r.tiered(((0.5, 100_000, 5_000_000), (0.5, 5_000_000, 80_000_000)))
            return [
                WorldAsset(
                    ref=f"TAX-SX:IN-{_hex(self.seed, 'income', subject.id_number)}",
                    agency="TAX-SX",
                    kind="income",
                    description=f"{TAX_YEAR} 年度营业收入 {_money(revenue)} 元",
                    value=revenue,
                    details={"year": TAX_YEAR, "kind": "营业收入", "amount": _money(revenue)},
                )
            ]
        if not r.chance(p["income"]):
            return []
        tiers = {
            "pays": ((1.0, 60_000, 400_000),),
            "able_refuses": ((1.0, 80_000, 800_000),),
            "unable": ((1.0, 6_000, 40_000),),
        }[subject.profile]
        income = r.tiered(tiers)
        employer_uscc = self.firm_id(r.below(100_000))
        employer = self.firm_name(employer_uscc)
        tax = max(Decimal(0), (income - 60_000) * Decimal("0.08")).quantize(CENT)
        return [
            WorldAsset(
                ref=f"TAX-SX:IN-{_hex(self.seed, 'income', subject.id_number)}",
                agency="TAX-SX",
                kind="income",
                description=f"{TAX_YEAR} 年度工资薪金收入 {_money(income)} 元（{employer}）",
                value=income,
                details={
                    "year": TAX_YEAR,
                    "kind": "工资薪金",
                    "employer": employer,
                    "employer_uscc": employer_uscc,
                    "amount": _money(income),
                    "tax_paid": _money(tax),
                },
            )
        ]

    def _household(self, person: Person) -> WorldAsset:
        r = _Rng(self.seed, "asset", "household", person.id_number)
        relation = r.weighted((("户主", 0.5), ("配偶", 0.3), ("子女", 0.2)))
        return WorldAsset(
            ref=f"PSB-SX:HH-{_hex(self.seed, 'household', person.id_number)}",
            agency="PSB-SX",
            kind="household",
            description=f"户籍：{person.address}（{relation}）",
            value=None,
            details={
                "name": person.name,
                "gender": person.gender,
                "birth_date": person.birth_date.isoformat(),
                "address": person.address,
                "relation": relation,
                "members": r.between(1, 5) if relation == "户主" else r.between(2, 5),
                "police_station": f"绍兴市公安局{person.district}分局{r.choice(_STATIONS)}派出所",
            },
        )

    def _marriage(self, person: Person) -> list[WorldAsset]:
        r = _Rng(self.seed, "asset", "marriage", person.id_number)
        age = ANCHOR.year - person.birth_date.year
        status = r.weighted((("已婚", 0.72), ("离婚", 0.10), ("", 0.18))) if age >= 22 else ""
        if not status:
            return []
        spouse_gender = "女" if person.gender == "男" else "男"
        spouse = self._name(r, spouse_gender)
        first = max(dt.date(person.birth_date.year + 22, 1, 1), dt.date(1972, 1, 1))
        married = r.day(
            first, max(first, min(dt.date(person.birth_date.year + 35, 12, 31), dt.date(2025, 6, 30)))
        )
        details: dict[str, Any] = {
            "status": status,
            "spouse_name": spouse,
            "spouse_gender": spouse_gender,
            "registered_on": married.isoformat(),
            "registry": f"绍兴市{person.district}民政局婚姻登记处",
        }
        if status == "离婚":
            details["divorced_on"] = r.day(married + dt.timedelta(days=365), max(married, ANCHOR)).isoformat()
        return [
            WorldAsset(
                ref=f"CA-SX:MR-{_hex(self.seed, 'marriage', person.id_number)}",
                agency="CA-SX",
                kind="marriage",
                description=f"婚姻登记：{status}，配偶 {spouse}",
                value=None,
                details=details,
            )
        ]

    def _person_assets(self, person: Person) -> list[WorldAsset]:
        p = _PARAMS[person.profile]
        return [
            *self._deposits(person, p, False),
            *self._houses(person, p, False),
            *self._vehicles(person, p, False),
            *self._equity(person, p),
            *self._securities(person, p),
            *self._provident_fund(person, p),
            *self._income(person, p, False),
            self._household(person),
            *self._marriage(person),
        ]

    def _firm_assets(self, firm: Firm) -> list[WorldAsset]:
        p = dict(_PARAMS[firm.profile])
        p["bank"] = 1.0 if firm.profile != "unable" else 0.8
        p["house"] = {"pays": 0.5, "able_refuses": 0.6, "unable": 0.15}[firm.profile]
        p["house2"] = 0.2
        p["equity"] = p["equity"] * 0.5
        return [
            *self._deposits(firm, p, True),
            *self._houses(firm, p, True),
            *self._vehicles(firm, p, True),
            *self._equity(firm, p),
            *self._income(firm, p, True),
        ]

    # --- finding debtors for tests and the demo -----------------------------------------------------
    def find_person(
        self, predicate: Callable[[Person], bool], *, limit: int = 10_000, start: int = 0
    ) -> Person | None:
        """The first of the people (from ``start``, at most ``limit``) that satisfies ``predicate``."""
        for i in range(start, start + limit):
            person = self.person(self.person_id(i), index=i)
            if predicate(person):
                return person
        return None

    def debtor_with_deposit_and_sealed_house(self) -> Person:
        """A person with a free bank deposit ≥ 50,000 and a house sealed by exactly one other court.

        A new seal on that house therefore gets waiting rank 2.
        """

        def fits(p: Person) -> bool:
            assets = self.assets(p.id_number)
            return any(
                a.kind == "bank_deposit" and not a.encumbrances and (a.value or 0) >= 50_000 for a in assets
            ) and any(a.kind == "real_estate" and len(a.encumbrances) == 1 for a in assets)

        found = self.find_person(fits)
        if found is None:  # pragma: no cover - the shares make this impossible in practice
            raise LookupError("no such debtor among the first 10,000 people")
        return found

    def debtor_without_assets(self) -> Person:
        """A person (profile ``unable``) with nothing but household and marriage records."""

        def fits(p: Person) -> bool:
            return p.profile == "unable" and all(
                a.kind in ("household", "marriage") for a in self.assets(p.id_number)
            )

        found = self.find_person(fits)
        if found is None:  # pragma: no cover
            raise LookupError("no such debtor among the first 10,000 people")
        return found


def money_kind(kind: str) -> bool:
    """Assets controlled by freezing an amount (deposits, securities, provident fund, equity)."""
    return kind in _MONEY_KINDS
