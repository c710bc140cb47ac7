"""The synthetic world: reproducible, valid identity numbers, realistic shares, helper debtors."""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
from decimal import Decimal

import pytest
from stdnum.cn import ric, uscc

from zhixing.agencies import protocol
from zhixing.simulation import catalogue
from zhixing.simulation.world import AREAS, PROFILES, World, ric_check_digit


@pytest.fixture(scope="module")
def world() -> World:
    return World(2026)


def test_same_seed_same_world_other_seed_other_world(world: World) -> None:
    again = World(2026)
    assert world.people(30) == again.people(30)
    assert world.firms(10) == again.firms(10)
    first = world.people(5)[0]
    assert [a.as_protocol() for a in world.assets(first.id_number)] == [
        a.as_protocol() for a in again.assets(first.id_number)
    ]
    assert [p.id_number for p in World(7).people(30)] != [p.id_number for p in world.people(30)]


def test_start_is_an_offset(world: World) -> None:
    assert world.people(5, start=10) == world.people(15)[10:]
    assert [p.index for p in world.people(3, start=7)] == [7, 8, 9]


def test_resident_ids_are_valid_distinct_and_from_shaoxing(world: World) -> None:
    people = world.people(3000)
    numbers = [p.id_number for p in people]
    assert len(set(numbers)) == len(numbers)
    codes = {code for code, _ in AREAS}
    for p in people:
        n = p.id_number
        assert len(n) == 18 and n[:17].isdigit()
        assert ric.calc_check_digit(n) == n[-1]  # stdnum's county table predates 柯桥/上虞 (2013)
        born = ric.get_birth_date(n)
        assert born == p.birth_date and dt.date(1950, 1, 1) <= born <= dt.date(2004, 12, 31)
        assert n[:6] in codes
        assert p.gender == ("男" if int(n[16]) % 2 else "女")
        assert len(p.phone) == 11 and p.phone.startswith("1")
        assert p.address.startswith("浙江省绍兴市")
        assert 2 <= len(p.name) <= 3
    # where stdnum knows the county for the birth year, its full validation agrees
    assert all(ric.is_valid(n) for n in numbers if n[:6] in {"330602", "330624"} and n[6:10] >= "1984")


def test_firms_have_valid_credit_codes_and_representatives(world: World) -> None:
    firms = world.firms(500)
    assert len({f.uscc for f in firms}) == 500
    for f in firms:
        assert uscc.validate(f.uscc) == f.uscc
        assert f.id_number == f.uscc and f.name.endswith("公司")
        assert ric.calc_check_digit(f.legal_representative.id_number) == f.legal_representative.id_number[-1]
        assert f.profile in PROFILES


def test_profile_shares(world: World) -> None:
    people = world.people(2000)
    shares = {k: sum(p.profile == k for p in people) / len(people) for k in PROFILES}
    assert abs(shares["pays"] - 0.45) < 0.04
    assert abs(shares["able_refuses"] - 0.30) < 0.04
    assert abs(shares["unable"] - 0.25) < 0.04
    assert all(world.profile(p.id_number) == p.profile for p in people[:50])


def test_assets_are_protocol_assets_held_by_catalogued_agencies(world: World) -> None:
    codes = {s.code for s in catalogue.catalogue() if s.integrated}
    kinds: set[str] = set()
    for p in world.people(300):
        for a in world.assets(p.id_number):
            kinds.add(a.kind)
            assert a.agency in codes and a.ref.startswith(a.agency + ":")
            d = a.as_protocol()
            assert set(d) == {"ref", "kind", "description", "value", "details", "encumbrances"}
            assert d["kind"] in protocol.ASSET_KINDS
            if a.kind in ("household", "marriage"):
                assert d["value"] is None
            else:
                assert Decimal(d["value"]).as_tuple().exponent == -2
            for rank, e in enumerate(d["encumbrances"], start=1):
                assert e["rank"] == rank and e["court"] != "浙0602"
                assert e["measure_ref"].startswith(a.agency + ":F-")
    assert kinds == set(protocol.ASSET_KINDS)


def test_any_valid_number_has_reproducible_assets(world: World) -> None:
    body = "11010519850304123"
    number = body + ric_check_digit(body)  # not one of world.people
    first = [a.as_protocol() for a in world.assets(number)]
    assert first == [a.as_protocol() for a in World(2026).assets(number)]
    assert any(a["kind"] == "household" for a in first)
    assert world.person(number).id_number == number
    assert world.assets("330602198001011230") == []  # wrong check digit
    assert world.assets("not a number") == []
    firm = world.firms(1)[0]
    assert world.assets(firm.uscc) == World(2026).assets(firm.uscc)
    assert all(a.kind not in ("household", "marriage") for a in world.assets(firm.uscc))


def test_unable_debtors_have_little_money(world: World) -> None:
    balances = {k: [] for k in PROFILES}  # type: dict[str, list[Decimal]]
    for p in world.people(1500):
        for a in world.assets(p.id_number):
            if a.kind == "bank_deposit" and a.value is not None:
                balances[p.profile].append(a.value)
    assert statistics.median(balances["unable"]) < 1000
    assert statistics.median(balances["pays"]) > 20_000
    assert statistics.median(balances["able_refuses"]) > 20_000


def test_inquiry_is_one_agency(world: World) -> None:
    debtor = world.debtor_with_deposit_and_sealed_house()
    houses = world.inquiry("REG-SX", debtor.id_number)
    assert houses and all(h["kind"] == "real_estate" for h in houses)
    assert all(h["ref"].startswith("REG-SX:") for h in houses)
    household = world.inquiry("PSB-SX", debtor.id_number)
    assert any(h["kind"] == "household" and h["details"]["name"] == debtor.name for h in household)
    assert world.inquiry("GRID-SX", debtor.id_number) == []


def test_debtor_with_deposit_and_sealed_house(world: World) -> None:
    debtor = world.debtor_with_deposit_and_sealed_house()
    assert debtor == World(2026).debtor_with_deposit_and_sealed_house()
    assets = world.assets(debtor.id_number)
    assert any(a.kind == "bank_deposit" and not a.encumbrances and a.value >= 50_000 for a in assets)  # type: ignore[operator]
    sealed = [a for a in assets if a.kind == "real_estate" and len(a.encumbrances) == 1]
    assert sealed and sealed[0].encumbrances[0]["kind"] == "seal"


def test_debtor_without_assets(world: World) -> None:
    debtor = world.debtor_without_assets()
    assert debtor.profile == "unable"
    assert {a.kind for a in world.assets(debtor.id_number)} <= {"household", "marriage"}


def test_find_person(world: World) -> None:
    found = world.find_person(lambda p: p.gender == "女" and p.district == "诸暨市")
    assert found is not None and found.index is not None
    assert world.people(1, start=found.index)[0] == found
    assert world.find_person(lambda p: False, limit=20) is None


def test_catalogue() -> None:
    specs = catalogue.catalogue()
    assert len({s.code for s in specs}) == len(specs)
    for s in specs:
        assert s.kind in protocol.AGENCY_KINDS
        assert set(s.acts) == {str(a) for a in protocol.AGENCY_KINDS[s.kind]}
        assert s.answer_mode in ("sync", "callback")
    assert (
        catalogue.spec("ICBC-SX").answer_mode == "callback" and catalogue.spec("ICBC-SX").answer_hours == 24
    )
    assert catalogue.spec("REG-SX").answer_mode == "sync"
    grid = catalogue.spec("GRID-SX")
    assert not grid.integrated and grid.acts == ("assistance_notice",)
    assert sum(s.kind == "bank" for s in specs) == 5
    with pytest.raises(KeyError):
        catalogue.spec("NOPE")


def test_simulation_imports_no_django() -> None:
    code = (
        "import sys, zhixing.simulation.agency_sim, zhixing.simulation.world, zhixing.simulation.catalogue;"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')"
        " or (m.startswith('zhixing.') and not m.startswith(('zhixing.simulation', 'zhixing.agencies')))];"
        "assert not bad, bad; assert set(m for m in sys.modules if m.startswith('zhixing.agencies.'))"
        " <= {'zhixing.agencies.protocol'}"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
