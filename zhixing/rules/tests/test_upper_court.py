"""上级法院的执行监督权：期间、督促执行令、应当提级或指定执行、移交对象。"""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.rules import upper_court as uc
from zhixing.rules.params import NoValueInForce
from zhixing.rules.upper_court import CourtRef, Power, UpperCourtFacts

HIGH = CourtRef("浙", "/浙/", "high")
SHAOXING = CourtRef("浙06", "/浙/浙06/", "intermediate")
HANGZHOU = CourtRef("浙01", "/浙/浙01/", "intermediate")
YUECHENG = CourtRef("浙0602", "/浙/浙06/浙0602/", "basic")
KEQIAO = CourtRef("浙0603", "/浙/浙06/浙0603/", "basic")
XIHU = CourtRef("浙0106", "/浙/浙01/浙0106/", "basic")

FACTS = UpperCourtFacts(received_on=date(2026, 11, 2))


def laws(result: object) -> set[str]:
    return {f"{c.law}{c.article}" for c in result.citations}  # type: ignore[attr-defined]


def test_upper_court_is_a_strict_ancestor() -> None:
    assert uc.is_upper_court(SHAOXING, YUECHENG) and uc.is_upper_court(HIGH, YUECHENG)
    assert not uc.is_upper_court(YUECHENG, YUECHENG)
    assert not uc.is_upper_court(YUECHENG, SHAOXING)
    assert not uc.is_upper_court(HANGZHOU, YUECHENG)


def test_six_months_from_receipt_end_on_the_corresponding_day_without_roll_over() -> None:
    end = uc.pending_period_end(date(2026, 11, 2))
    assert end.value == date(2027, 5, 2)  # a Sunday: not rolled over, nobody has to act by then
    assert "民事诉讼法第237条" in laws(end) and "民法典第1259条" in laws(end)
    assert end.parameters_used[0].name == "upper_court_application_months" and end.verified


def test_excluded_periods_push_the_end_back() -> None:
    # 10 days of suspension inside the period, and one after its (extended) end that does not count
    end = uc.pending_period_end(
        date(2026, 11, 2), [(date(2027, 1, 5), date(2027, 1, 14)), (date(2027, 6, 1), date(2027, 6, 30))]
    )
    assert end.value == date(2027, 5, 12)
    assert any(c.article == "第13条" for c in end.citations)
    with pytest.raises(ValueError, match="早于"):
        uc.pending_period_end(date(2026, 11, 2), [(date(2027, 1, 5), date(2027, 1, 1))])


def test_urging_needs_more_than_six_months() -> None:
    refused = uc.urging_allowed(FACTS, on=date(2027, 5, 2)).value
    assert not refused.allowed and refused.refusals[0].code == "pending_period_not_reached"
    assert "2027-05-02" in refused.message
    allowed = uc.urging_allowed(FACTS, on=date(2027, 5, 3))
    assert allowed.value.allowed and allowed.value.basis == "pending_period"
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》执行程序若干问题的解释第10条至第12条" in laws(
        allowed
    )


def test_a_running_urging_order_is_not_repeated_and_an_unmet_one_obliges_escalation() -> None:
    urged = UpperCourtFacts(received_on=date(2026, 11, 2), urging_deadline=date(2027, 6, 9))
    running = uc.urging_allowed(urged, on=date(2027, 6, 9)).value
    assert running.refusals[0].code == "urging_running" and not running.must_escalate
    unmet = uc.urging_allowed(urged, on=date(2027, 6, 10)).value
    assert unmet.refusals[0].code == "urging_unmet" and unmet.must_escalate
    escalate = uc.elevation_grounds(urged, on=date(2027, 6, 10), power=Power.ESCALATION).value
    assert escalate.allowed and escalate.must_escalate and escalate.basis == "urging_unmet"


def test_an_unmet_urging_order_is_a_ground_even_if_the_six_months_are_read_otherwise() -> None:
    # long excluded periods: by the count the six months have not run, but the order's limit has passed
    facts = UpperCourtFacts(
        received_on=date(2026, 11, 2),
        excluded=((date(2026, 12, 1), date(2027, 5, 31)),),
        urging_deadline=date(2027, 6, 9),
    )
    g = uc.elevation_grounds(facts, on=date(2027, 6, 10), power="designation").value
    assert g.period_end > date(2027, 6, 10)
    assert g.allowed and g.basis == "urging_unmet" and g.must_escalate
    # cross enforcement is not an answer the law names: its own period applies
    cross = uc.elevation_grounds(facts, on=date(2027, 6, 10), power="cross_enforcement").value
    assert not cross.allowed and cross.must_escalate


def test_closed_cases_and_cases_met_by_the_order_do_not_oblige() -> None:
    closed = UpperCourtFacts(received_on=date(2026, 11, 2), closed=True, urging_deadline=date(2027, 6, 9))
    for power in Power:
        g = uc.elevation_grounds(closed, on=date(2027, 7, 1), power=power).value
        assert not g.allowed and not g.must_escalate and g.refusals[0].code == "closed"


def test_escalation_before_six_months_is_refused_with_the_date() -> None:
    g = uc.elevation_grounds(FACTS, on=date(2027, 1, 10)).value
    assert not g.allowed and g.basis == "" and "2027-05-02" in g.message


def test_cross_enforcement_rests_on_unverified_parameters() -> None:
    result = uc.elevation_grounds(FACTS, on=date(2027, 5, 3), power=Power.CROSS_ENFORCEMENT)
    assert result.value.allowed and not result.verified
    assert {p.name for p in result.parameters_used} == {"cross_enforcement_min_pending_months"}
    with pytest.raises(NoValueInForce):  # before the SPC's opinion
        uc.elevation_grounds(
            UpperCourtFacts(date(2023, 1, 2)), on=date(2024, 1, 2), power="cross_enforcement"
        )


def test_urging_deadline_rolls_over_holidays() -> None:
    d = uc.urging_deadline(on=date(2025, 9, 20), days=10)  # 2025-09-30 is a Tuesday
    assert d.value == date(2025, 9, 30)
    d = uc.urging_deadline(on=date(2025, 9, 21), days=10)  # 10-01 … 10-08 are the National Day holiday
    assert d.value == date(2025, 10, 9)
    with pytest.raises(ValueError):
        uc.urging_deadline(on=date(2025, 9, 21), days=0)


@pytest.mark.parametrize(
    ("power", "decider", "target", "code"),
    [
        (Power.ESCALATION, SHAOXING, SHAOXING, None),
        (Power.ESCALATION, SHAOXING, KEQIAO, "not_decider"),
        (Power.DESIGNATION, SHAOXING, KEQIAO, None),
        (Power.DESIGNATION, SHAOXING, YUECHENG, "same_court"),
        (Power.DESIGNATION, SHAOXING, XIHU, "outside_district"),
        (Power.DESIGNATION, SHAOXING, SHAOXING, "is_decider"),
        (Power.DESIGNATION, HIGH, SHAOXING, None),
        (Power.DESIGNATION, HIGH, HIGH, "is_decider"),
        (Power.DESIGNATION, CourtRef("X", "/", "supreme"), HIGH, "high_court"),
        (Power.CROSS_ENFORCEMENT, SHAOXING, KEQIAO, None),
        (Power.CROSS_ENFORCEMENT, HIGH, XIHU, None),
        (Power.CROSS_ENFORCEMENT, HIGH, SHAOXING, "level_not_allowed"),
    ],
)
def test_targets(power: Power, decider: CourtRef, target: CourtRef, code: str | None) -> None:
    origin = YUECHENG if decider.code != "X" else SHAOXING
    problems = uc.target_problems(power, decider=decider, origin=origin, target=target, on=date(2027, 5, 3))
    assert [p.code for p in problems.value] == ([code] if code else [])
    if power == Power.CROSS_ENFORCEMENT and code != "outside_district":
        assert not problems.verified  # the levels come from an unverified parameter


def test_transfer_citations() -> None:
    assert {c.law for c in uc.transfer_citations("designation")} >= {
        "民事诉讼法",
        "最高人民法院关于进一步完善执行权制约机制加强执行监督的意见",
    }
    assert uc.TRANSFER_GROUNDS[Power("cross_enforcement")] == "cross_enforced"
    assert Power.ESCALATION.label == "提级执行"


def test_the_new_court_files_a_transferred_case_without_jurisdiction_or_limitation_findings() -> None:
    from zhixing.rules.filing import UPPER_COURT_ORDER, FilingFacts, TitleFacts, filing_check

    facts = FilingFacts(
        title=TitleFacts(
            "judgment", date(2021, 1, 5), performance_deadline=date(2021, 1, 15), issuing_court_code="浙0602"
        ),
        court_code="浙06",  # not the court of first instance, not of the same level
        jurisdiction_basis=UPPER_COURT_ORDER,
        materials=frozenset({"application", "title", "identity", "effectiveness_certificate"}),
        received_on=date(2024, 2, 1),  # more than two years after the performance period: the original
    )  # application interrupted the limitation period long ago
    result = filing_check(facts, on=date(2024, 2, 2))
    assert result.value.accept and result.value.warnings == ()
    assert any(c.article == "第237条" for c in result.citations)
