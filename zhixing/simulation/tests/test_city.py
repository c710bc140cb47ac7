"""The plan of the city's enforcement year: reproducible, at the seed's magnitude, with its shares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from zhixing.rules.filing import FilingFacts, TitleFacts, filing_check
from zhixing.simulation import city
from zhixing.simulation.world import World, is_resident_id, is_uscc

H1 = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))


@pytest.fixture(scope="module")
def half_year() -> city.CityPlan:
    return city.plan_period(*H1, scale=0.05, seed=2021)


def test_same_seed_same_plan_and_a_longer_period_extends_a_shorter_one() -> None:
    a = city.plan_period(dt.date(2021, 3, 1), dt.date(2021, 3, 14), scale=0.05, seed=9)
    b = city.plan_period(dt.date(2021, 3, 1), dt.date(2021, 3, 14), scale=0.05, seed=9)
    longer = city.plan_period(dt.date(2021, 3, 1), dt.date(2021, 3, 31), scale=0.05, seed=9)
    other = city.plan_period(dt.date(2021, 3, 1), dt.date(2021, 3, 14), scale=0.05, seed=10)
    assert a == b
    assert a.cases == longer.cases[: len(a.cases)]
    assert a.cases != other.cases


def test_volume_is_the_seeds_magnitude_scaled(half_year: city.CityPlan) -> None:
    # 60,000 a year → ~30,000 a half-year (the seed: 29,575 closed in H1 2021); at 5 %: ~1,500
    assert 1_350 <= len(half_year.cases) <= 1_650
    assert sum(half_year.expected.values()) == pytest.approx(60_000 * 0.05 / 2, rel=0.06)
    tiny = city.plan_period(*H1, scale=0.001, seed=2021)
    assert 15 <= len(tiny.cases) <= 50


def test_courts_by_weight_and_working_days_only(half_year: city.CityPlan) -> None:
    shares = half_year.shares("court_code")
    assert set(shares) == set(city.COURT_WEIGHTS)
    for code, weight in city.COURT_WEIGHTS.items():
        assert shares[code] == pytest.approx(weight, abs=0.035)
    from zhixing.rules.calendar import is_workday

    assert all(is_workday(c.received_on) for c in half_year.cases)
    assert all(H1[0] <= c.received_on <= H1[1] for c in half_year.cases)


def test_seasonality_january_and_june_peaks_february_trough(half_year: city.CityPlan) -> None:
    by_month = Counter(c.received_on.month for c in half_year.cases)
    assert by_month[1] > by_month[3] > by_month[2]
    assert by_month[6] > by_month[4] and by_month[6] > by_month[5]
    assert sum(city.MONTH_FACTORS.values()) == pytest.approx(12)


def test_titles_behaviours_and_debtor_kinds_follow_their_shares(half_year: city.CityPlan) -> None:
    titles = half_year.shares("title_kind")
    for kind, share in city.TITLE_MIX.items():
        assert titles[kind] == pytest.approx(share, abs=0.04)
    behaviours = half_year.shares("behaviour")
    for code in ("pays", "deducted", "unable", "settles"):
        assert behaviours[code] == pytest.approx(city.BEHAVIOUR_SHARES[code], abs=0.04)
    assert all(c.title_kind in city.NON_LITIGATION for c in half_year.cases if c.behaviour == "refused")
    firms = sum(1 for c in half_year.cases if c.debtor.kind == "legal_person") / len(half_year.cases)
    assert firms == pytest.approx(city.DEBTOR_KINDS["legal_person"], abs=0.04)


def test_amounts_are_decimal_strings_within_bounds_and_skewed(half_year: city.CityPlan) -> None:
    amounts = sorted(Decimal(c.principal) for c in half_year.cases)
    assert all(city.AMOUNT.low <= a <= city.AMOUNT.high for a in amounts)
    assert all(Decimal(c.principal).as_tuple().exponent == -2 for c in half_year.cases)
    median, mean = amounts[len(amounts) // 2], sum(amounts) / len(amounts)
    assert 30_000 < median < 120_000
    assert mean > median * Decimal("1.5")  # log-normal: a long tail of large claims
    assert amounts[-1] > 1_000_000


def test_parties_are_valid_world_subjects_whose_profile_fits_the_behaviour(half_year: city.CityPlan) -> None:
    world = World(city.WORLD_SEED)
    fits = {b.code: b.profiles for b in city.BEHAVIOURS}
    for c in half_year.cases[:300]:
        for party in (c.applicant, c.debtor):
            check = is_resident_id if party.kind == "natural_person" else is_uscc
            assert check(party.id_number)
        assert world.profile(c.debtor.id_number) in fits[c.behaviour]
    debtors = [c.debtor.id_number for c in half_year.cases]
    assert len(set(debtors)) >= len(debtors) - 2


def test_every_planned_application_passes_the_filing_rules(half_year: city.CityPlan) -> None:
    for c in half_year.cases:
        filed_on = c.received_on + dt.timedelta(days=c.delays.filing)
        facts = FilingFacts(
            title=TitleFacts(
                kind=c.title_kind,
                effective_on=c.effective_on,
                performance_deadline=c.performance_deadline,
                last_instalment_due=None,
                issuing_court_code=c.issuing_court_code,
            ),
            court_code=c.court_code,
            jurisdiction_basis=c.jurisdiction_basis,
            materials=frozenset(c.materials),
            received_on=c.received_on,
        )
        decision = filing_check(facts, on=filed_on).value
        assert not decision.refusals, (c.key, [f.message for f in decision.refusals])


def test_staff_delays_meet_most_nodes_and_miss_some(half_year: city.CityPlan) -> None:
    cases = half_year.cases
    late_notice = sum(1 for c in cases if c.delays.filing + c.delays.notice > 10) / len(cases)
    late_inquiry = sum(1 for c in cases if c.delays.inquiry > 10) / len(cases)
    late_leads = sum(1 for c in cases if c.delays.leads > 3) / len(cases)
    for share, planned in ((late_notice, "notice"), (late_inquiry, "inquiry"), (late_leads, "leads")):
        assert 0.5 * city.LATE_SHARE[planned] < share < 2 * city.LATE_SHARE[planned] + 0.03


def test_seed_figures_scale_with_scale_and_period() -> None:
    full = city.seed_figures_scaled(scale=1, start=H1[0], end=H1[1])
    assert full["cases_closed"] == 29_575
    assert full["amount_recovered"] == 3_000_000_000
    two_weeks = city.seed_figures_scaled(scale=0.01, start=dt.date(2021, 1, 4), end=dt.date(2021, 1, 17))
    assert two_weeks["cases_closed"] == round(29_575 * 0.01 * 14 / 181)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        city.plan_period(dt.date(2021, 2, 1), dt.date(2021, 1, 1))
    with pytest.raises(ValueError):
        city.plan_period(*H1, scale=0)
