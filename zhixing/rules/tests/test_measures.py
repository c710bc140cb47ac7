"""强制执行措施：限制消费、失信名单、罚款、拘留、移送拒执罪（rules reference §§5–7）。"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules import measures as m
from zhixing.rules import sources
from zhixing.rules.closing import shift_months
from zhixing.rules.sources import cite

ON = date(2024, 6, 3)  # a Monday

PERSON = m.MeasureFacts(
    debtor_kind="natural_person",
    debtor_birth_date=date(1980, 1, 1),
    notice_delivered_on=date(2024, 5, 6),
    fully_performed=False,
    outstanding=Decimal("100000.00"),
)
UNIT = dataclasses.replace(PERSON, debtor_kind="legal_person", debtor_birth_date=None)


def facts(base: m.MeasureFacts = PERSON, **changes: Any) -> m.MeasureFacts:
    return dataclasses.replace(base, **changes)


def cited(result: Any) -> list[str]:
    return [str(c) for c in result.citations]


def used(result: Any) -> set[str]:
    return {p.name for p in result.parameters_used}


# --- sources ----------------------------------------------------------------------------------------------


def test_new_sources_carry_the_reference_years_and_markers() -> None:
    assert cite(sources.SHIXIN17, "第1条") == m.SX17_1
    assert (m.SX17_1.year, m.SX17_1.marker) == (2017, "Vq")
    assert (m.SX13_2.year, m.SX13_2.marker) == (2013, "V")
    assert (m.XG15_1.year, m.XG15_1.marker) == (2015, "Vq")
    assert (m.XG10_2.year, m.XG10_2.marker) == (2010, "V")
    assert (m.GF19_15.year, m.GF19_15.marker) == (2019, "Vq")
    assert (m.REFUSE24_3_4.year, m.REFUSE24_3_4.marker) == (2024, "V")
    assert str(m.CRIM_313) == "刑法第313条"
    assert cite(sources.CPL, "第85条").marker == "V"  # unchanged for the other documents


# --- facts, sanctions, decisions -------------------------------------------------------------------------


def test_facts_normalise_money_and_sequences() -> None:
    f = m.MeasureFacts("natural_person", None, None, False, 5000, spending=["flights"])  # type: ignore[arg-type]
    assert f.outstanding == Decimal(5000) and isinstance(f.outstanding, Decimal)
    assert f.spending == ("flights",)
    assert f.controlled_value == 0 and f.monthly_income is None
    assert not f.is_unit and UNIT.is_unit and facts(debtor_kind="other_organisation").is_unit


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"debtor_kind": "company"}, ValueError, "未知的被执行人类型"),
        ({"outstanding": 1.5}, TypeError, "不用浮点数"),
        ({"outstanding": True}, TypeError, "尚未履行金额"),
        ({"controlled_value": Decimal(-1)}, ValueError, "不能为负数"),
        ({"monthly_income": "3000"}, TypeError, "月收入"),
        ({"notice_delivered_on": datetime(2024, 5, 6, 9)}, TypeError, "执行通知书送达日"),
        ({"inquiries_after_closure_without_property": -1}, ValueError, "查询次数"),
        ({"sanctions": ({"kind": "fine"},)}, TypeError, "Sanction"),
    ],
)
def test_facts_are_validated(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        facts(**changes)


def test_sanctions_are_validated() -> None:
    with pytest.raises(ValueError, match="未知的惩戒种类"):
        m.Sanction("warning", "refusal", ON)
    with pytest.raises(ValueError, match="妨害行为"):
        m.Sanction("fine", "", ON)
    with pytest.raises(TypeError):
        m.Sanction("fine", "refusal", datetime(2024, 6, 3, 10))


def test_decision_is_validated_and_serialisable() -> None:
    with pytest.raises(ValueError, match="决定状态"):
        m.Decision("maybe", ())
    assert m.Decision("due", (), ground="term_expired").ground_label == ""  # other codes pass through
    d = m.Decision("due", ("理由",), "asset_report", 2)
    assert d.status_label == "应当采取" and d.ground_label == "违反财产报告制度"
    assert d.as_dict() == {"status": "due", "reasons": ["理由"], "ground": "asset_report", "term_years": 2}
    result = m.listing(facts(asset_report_violated=True), on=ON)
    assert json.loads(json.dumps(result.as_dict()))["value"]["term_years"] == 2


def test_grounds_are_the_six_of_article_1_in_order() -> None:
    assert list(m.GROUNDS) == [
        "ability_refusal",
        "obstruction",
        "evasion",
        "asset_report",
        "consumption_violation",
        "settlement_refusal",
    ]
    assert str(m.GROUND_CITATIONS["consumption_violation"]).endswith("第1条第5项")


# --- performance period ------------------------------------------------------------------------------------


def test_performance_overdue_counts_from_deemed_delivery_and_rolls_over_holidays() -> None:
    # Delivered Saturday 2024-09-28: 3 days end on 1 October (National Day) → 8 October.
    f = facts(notice_delivered_on=date(2024, 9, 28))
    assert not m.performance_overdue(f, on=date(2024, 10, 8)).value
    result = m.performance_overdue(f, on=date(2024, 10, 9))
    assert result.value
    assert "performance_notice_compliance_days" in used(result)
    assert "民事诉讼法（2023）第251条" in cited(result) and "民事诉讼法（2023）第85条" in cited(result)
    assert not result.verified  # the 3 days are a Local default


def test_performance_not_overdue_without_notice_or_after_performance() -> None:
    assert m.performance_overdue(facts(notice_delivered_on=None), on=ON).value is False
    assert m.performance_overdue(facts(fully_performed=True), on=ON).value is False


# --- consumption restriction -------------------------------------------------------------------------------


def test_restriction_due_after_the_notice_period_says_the_law_says_may() -> None:
    result = m.consumption_restriction(PERSON, on=ON)
    decision = result.value
    assert decision.status == "due"
    assert "2024-05-09届满" in decision.reasons[0]
    assert "「可以」" in decision.reasons[1] and "一律限高" in decision.reasons[1]
    assert any("院长签发" in r for r in decision.reasons)
    assert any("1至3个月的宽限期" in r for r in decision.reasons)
    assert {"publication_grace_min_months", "publication_grace_max_months"} <= used(result)
    assert "最高人民法院关于限制被执行人高消费及有关消费的若干规定（2015）第1条" in cited(result)


def test_restriction_of_a_unit_names_the_bound_persons() -> None:
    decision = m.consumption_restriction(UNIT, on=ON).value
    assert any(
        "法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人" in r for r in decision.reasons
    )


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"fully_performed": True}, "forbidden", "已全部履行"),
        ({"consumption_restriction_active": True}, "forbidden", "无须重复"),
        ({"notice_delivered_on": None}, "not_yet", "尚未送达"),
        ({"notice_delivered_on": date(2024, 5, 31)}, "not_yet", "2024-06-03届满"),
    ],
)
def test_restriction_refused_or_premature(changes: dict[str, Any], status: str, text: str) -> None:
    decision = m.consumption_restriction(facts(**changes), on=ON).value
    assert decision.status == status
    assert text in decision.reasons[0]


def test_listed_debtor_must_be_restricted_even_before_the_period_ends() -> None:
    result = m.consumption_restriction(facts(listing_active=True, notice_delivered_on=None), on=ON)
    assert result.value.status == "due"
    assert "最高人民法院关于限制被执行人高消费及有关消费的若干规定（2015）第1条第2款" in cited(result)


def test_bound_persons() -> None:
    for kind in ("legal_person", "other_organisation"):
        result = m.bound_persons(kind)
        assert result.value == (
            "legal_representative",
            "principal",
            "directly_responsible",
            "actual_controller",
        )
        assert "最高人民法院关于限制被执行人高消费及有关消费的若干规定（2015）第3条第2款" in cited(result)
    assert m.bound_persons("natural_person").value == ()
    assert set(m.BOUND_PERSON_LABELS) == set(m.BOUND_PERSONS)
    with pytest.raises(ValueError, match="未知的被执行人类型"):
        m.bound_persons("partnership")


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"consumption_restriction_active": False}, "forbidden"),
        ({"fully_performed": True}, "due"),
        ({"fully_performed": True, "listing_active": True}, "due"),
        ({"listing_active": True, "guarantee_provided": True}, "forbidden"),
        ({"guarantee_provided": True}, "allowed"),
        ({"applicant_consents_lifting": True}, "allowed"),
        ({}, "not_yet"),
    ],
)
def test_lifting_restriction(changes: dict[str, Any], status: str) -> None:
    base = facts(consumption_restriction_active=True)
    result = m.lifting_restriction(dataclasses.replace(base, **changes), on=ON)
    assert result.value.status == status
    assert "最高人民法院关于限制被执行人高消费及有关消费的若干规定（2015）第9条" in cited(result)


def test_lifting_on_guarantee_and_consent_gives_both_reasons() -> None:
    f = facts(consumption_restriction_active=True, guarantee_provided=True, applicant_consents_lifting=True)
    assert len(m.lifting_restriction(f, on=ON).value.reasons) == 2


# --- ability -----------------------------------------------------------------------------------------------


def test_ability_from_uncontrolled_property() -> None:
    result = m.ability_evidence(facts(assets_found_value=Decimal(80000), controlled_value=Decimal(30000)))
    assert result.value["able"] is True
    items = result.value["items"]
    assert "查控共发现被执行人财产价值80,000.00元" in items
    assert any("不足以清偿" in i for i in items)
    assert any("尚有价值50,000.00元的财产未被控制" in i for i in items)
    assert "「失信」" in items[-1]


def test_ability_from_income_or_spending() -> None:
    assert m.ability_evidence(facts(monthly_income=Decimal(6000))).value["able"] is True
    spent = m.ability_evidence(facts(spending=("vehicle purchase", "flights", "游艇")))
    assert spent.value["able"] is True
    assert any("购买非经营必需车辆、乘坐飞机、游艇" in i for i in spent.value["items"])


def test_inability_and_unknown_ability() -> None:
    unable = m.ability_evidence(facts(monthly_income=Decimal(0)))
    assert unable.value["able"] is False and "「失能」" in unable.value["items"][-1]
    sealed = m.ability_evidence(
        facts(assets_found_value=Decimal(200000), controlled_value=Decimal(200000), monthly_income=Decimal(0))
    )
    assert sealed.value["able"] is False
    assert any("足以清偿" in i for i in sealed.value["items"])
    unknown = m.ability_evidence(PERSON)
    assert unknown.value["able"] is None
    assert "收入情况不明" in "".join(unknown.value["items"])
    assert "证据不足" in unknown.value["items"][-1]


# --- listing -----------------------------------------------------------------------------------------------


def test_asset_report_violation_must_be_listed_for_two_years() -> None:
    result = m.listing(facts(asset_report_violated=True), on=ON)
    decision = result.value
    assert (decision.status, decision.ground, decision.term_years) == ("due", "asset_report", 2)
    assert "最高人民法院关于民事执行中财产调查若干问题的规定（2020）第10条" in cited(result)
    assert "最高人民法院关于公布失信被执行人名单信息的若干规定（2013）第2条" in cited(result)
    assert any("应当同时限制消费" in r for r in decision.reasons)
    assert {"dishonest_listing_term_years", "adult_age_years"} <= used(result)
    assert result.verified


@pytest.mark.parametrize(
    ("flag", "ground"),
    [
        ("obstruction", "obstruction"),
        ("evasion", "evasion"),
        ("consumption_order_violated", "consumption_violation"),
        ("settlement_refused", "settlement_refusal"),
    ],
)
def test_each_due_ground(flag: str, ground: str) -> None:
    changes: dict[str, Any] = {flag: True}
    decision = m.listing(facts(**changes), on=ON).value
    assert (decision.status, decision.ground, decision.term_years) == ("due", ground, 2)


def test_several_grounds_report_the_first_and_the_possible_extension() -> None:
    decision = m.listing(
        facts(settlement_refused=True, evasion=True, consumption_restriction_active=True), on=ON
    )
    assert decision.value.ground == "evasion"
    assert any("具有多项失信行为的，可以延长1至3年" in r for r in decision.value.reasons)
    assert not any("应当同时限制消费" in r for r in decision.value.reasons)
    violent = m.listing(facts(obstruction=True), on=ON).value
    assert any("以暴力、威胁方法妨碍、抗拒执行情节严重的，可以延长" in r for r in violent.reasons)


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"fully_performed": True}, "已全部履行"),
        ({"listing_active": True}, "不得重复纳入"),
        ({"debtor_birth_date": date(2007, 6, 4)}, "被执行人未满18周岁，不得纳入失信名单"),
        ({"debtor_birth_date": date(2006, 6, 3)}, "未满18周岁"),  # the 18th birthday itself
    ],
)
def test_listing_forbidden_whatever_the_ground(changes: dict[str, Any], text: str) -> None:
    f = facts(asset_report_violated=True, obstruction=True, **changes)
    decision = m.listing(f, on=ON).value
    assert decision.status == "forbidden"
    assert text in decision.reasons[0]


def test_minor_rule_cites_article_4_and_the_age() -> None:
    result = m.listing(facts(debtor_birth_date=date(2010, 1, 1), obstruction=True), on=ON)
    assert "最高人民法院关于公布失信被执行人名单信息的若干规定（2017）第4条" in cited(result)
    assert "民法典（2020）第17条" in cited(result)
    assert m.listing(facts(debtor_birth_date=date(2006, 6, 2), obstruction=True), on=ON).value.status == "due"


def test_leap_day_birthday_becomes_adult_on_1_march() -> None:
    f = facts(debtor_birth_date=date(2004, 2, 29), obstruction=True)
    assert m.listing(f, on=date(2022, 2, 28)).value.status == "forbidden"
    assert m.listing(f, on=date(2022, 3, 1)).value.status == "due"


@given(birth=st.dates(date(1990, 1, 1), date(2010, 12, 31)), age_days=st.integers(6000, 7000))
def test_minor_iff_not_past_the_18th_birthday(birth: date, age_days: int) -> None:
    on = date.fromordinal(birth.toordinal() + age_days)
    if on < date(2021, 1, 1):
        return
    status = m.listing(facts(debtor_birth_date=birth, obstruction=True), on=on).value.status
    eighteenth = shift_months(birth, 18 * 12)
    assert (status == "forbidden") == (on <= eighteenth)


def test_unknown_birth_date_must_be_checked_first() -> None:
    decision = m.listing(facts(debtor_birth_date=None, obstruction=True), on=ON).value
    assert decision.status == "not_yet" and "出生日期不明" in decision.reasons[0]
    assert m.listing(facts(UNIT, obstruction=True), on=ON).value.status == "due"  # units have no age
    with pytest.raises(ValueError, match="晚于审查日"):
        m.listing(facts(debtor_birth_date=date(2025, 1, 1)), on=ON)


def test_relisting_within_six_months_of_an_applicant_deletion() -> None:
    f = facts(UNIT, consumption_order_violated=True, applicant_deletion_requested_on=date(2024, 3, 15))
    refused = m.listing(f, on=date(2024, 9, 15))
    assert refused.value.status == "forbidden"
    assert "6个月内（至2024-09-15）" in refused.value.reasons[0]
    assert "dishonest_relisting_ban_months" in used(refused)
    assert m.listing(f, on=date(2024, 9, 16)).value.status == "due"
    # A deletion before the 2017 rule took effect carries no ban (and no error).
    old = facts(UNIT, obstruction=True, applicant_deletion_requested_on=date(2017, 3, 1))
    before_grace = m.listing(old, on=date(2017, 6, 1))
    assert before_grace.value.status == "due"
    # … and before GOODFAITH19 (2019-12-16) no grace period is offered.
    assert not any("宽限期" in r for r in before_grace.value.reasons)


def test_ground_1_excluded_by_sufficient_sealed_property_or_guarantee() -> None:
    sealed = facts(controlled_value=Decimal(150000), monthly_income=Decimal(9000), spending=("flights",))
    result = m.listing(sealed, on=ON)
    assert result.value.status == "forbidden"
    assert "足以清偿尚欠的100,000.00元" in result.value.reasons[0]
    assert "最高人民法院关于公布失信被执行人名单信息的若干规定（2017）第3条" in cited(result)
    guaranteed = m.listing(facts(guarantee_provided=True, monthly_income=Decimal(9000)), on=ON).value
    assert guaranteed.status == "forbidden" and "担保" in guaranteed.reasons[0]


def test_sealed_property_does_not_excuse_the_other_grounds() -> None:
    decision = m.listing(facts(controlled_value=Decimal(150000), evasion=True), on=ON).value
    assert decision.status == "due" and decision.ground == "evasion"
    assert any("不影响依上述情形纳入" in r for r in decision.reasons)


def test_ability_and_refusal_is_a_judges_call_without_fixed_term() -> None:
    result = m.listing(facts(monthly_income=Decimal(9000), spending=("flights",)), on=ON)
    decision = result.value
    assert (decision.status, decision.ground, decision.term_years) == ("allowed", "ability_refusal", None)
    assert any("乘坐飞机" in r for r in decision.reasons)
    assert any("由承办法官" in r for r in decision.reasons)
    assert not result.verified  # the "no fixed term" reading is [U]


def test_ability_but_period_running_or_no_ability() -> None:
    running = m.listing(facts(monthly_income=Decimal(9000), notice_delivered_on=date(2024, 6, 1)), on=ON)
    assert running.value.status == "not_yet" and "尚未届满" in running.value.reasons[-1]
    unable = m.listing(facts(monthly_income=Decimal(0)), on=ON).value
    assert unable.status == "not_yet" and "「失能」" in unable.reasons[-1]
    nothing = m.listing(PERSON, on=ON).value
    assert nothing.status == "not_yet" and nothing.reasons[0] == "未发现失信规定第1条第2项至第6项规定的情形"


# --- listing term ------------------------------------------------------------------------------------------


def test_listing_term() -> None:
    for ground in list(m.GROUNDS)[1:]:
        assert m.listing_term(ground, on=ON).value == 2
    extended = m.listing_term("obstruction", on=ON, extension_years=3)
    assert extended.value == 5
    assert used(extended) == {
        "dishonest_listing_term_years",
        "dishonest_listing_extension_min_years",
        "dishonest_listing_extension_max_years",
    }
    assert m.listing_term("evasion", on=ON, extension_years=1).value == 3
    none = m.listing_term("ability_refusal", on=ON)
    assert none.value is None and not none.verified


@pytest.mark.parametrize(
    ("ground", "extension", "message"),
    [
        ("obstruction", 4, "只能延长1至3年"),
        ("obstruction", -1, "只能延长1至3年"),
        ("obstruction", True, "应为整数"),
        ("ability_refusal", 1, "不适用延长"),
        ("rudeness", 0, "未知的失信事由"),
    ],
)
def test_listing_term_rejects(ground: str, extension: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        m.listing_term(ground, on=ON, extension_years=extension)


# --- deletion ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "ground"),
    [
        ({"fully_performed": True, "refused_or_terminated": True}, "performed"),
        (
            {"applicant_deletion_requested_on": date(2024, 5, 30), "refused_or_terminated": True},
            "applicant_request",
        ),
        (
            {"closed_no_assets_on": date(2023, 9, 1), "inquiries_after_closure_without_property": 2},
            "no_assets",
        ),
        ({"suspended_for_retrial_or_bankruptcy": True}, "suspended"),
        ({"refused_or_terminated": True}, "refused_or_terminated"),
    ],
)
def test_deletion_grounds_in_order(changes: dict[str, Any], ground: str) -> None:
    result = m.deletion(facts(**changes), listed_on=date(2023, 6, 1), term_years=None, on=ON)
    assert result.value == (ground, date(2024, 6, 6))  # Mon 3 June + 3 working days
    assert "dishonest_deletion_working_days" in used(result)
    assert ground in m.DELETION_GROUNDS


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"applicant_deletion_requested_on": date(2023, 1, 5)},  # before this listing: not about it
        {"closed_no_assets_on": date(2023, 9, 1), "inquiries_after_closure_without_property": 1},
        {
            "closed_no_assets_on": date(2023, 9, 1),
            "inquiries_after_closure_without_property": 3,
            "valid_leads_after_closure": True,
        },
    ],
)
def test_no_deletion_ground(changes: dict[str, Any]) -> None:
    assert m.deletion(facts(**changes), listed_on=date(2023, 6, 1), term_years=None, on=ON).value is None


def test_deletion_over_national_day() -> None:
    result = m.deletion(
        facts(fully_performed=True), listed_on=date(2023, 6, 1), term_years=None, on=date(2024, 9, 30)
    )
    assert result.value == ("performed", date(2024, 10, 10))


def test_listing_with_term_is_deleted_only_after_expiry() -> None:
    f = facts(fully_performed=True)
    running = m.deletion(f, listed_on=date(2022, 9, 30), term_years=2, on=date(2024, 9, 30))
    assert running.value is None
    expired = m.deletion(PERSON, listed_on=date(2022, 9, 30), term_years=2, on=date(2024, 10, 1))
    assert expired.value == ("term_expired", date(2024, 10, 10))
    assert "最高人民法院关于公布失信被执行人名单信息的若干规定（2017）第10条第2款" in cited(expired)


def test_listing_ends_on_the_corresponding_day_without_rolling() -> None:
    result = m.listing_ends_on(date(2022, 9, 30), 2)
    assert result.value == date(2024, 9, 30)  # a Monday, but 2024-10-01 would not roll either
    assert m.listing_ends_on(date(2024, 2, 29), 2).value == date(2026, 2, 28)
    assert m.listing_ends_on(date(2023, 4, 29), 1).value == date(2024, 4, 29)
    assert "民法典（2020）第202条" in cited(result)
    with pytest.raises(ValueError, match="应为整数"):
        m.listing_ends_on(ON, True)


def test_deletion_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="早于纳入日"):
        m.deletion(PERSON, listed_on=ON, term_years=None, on=date(2024, 6, 1))
    with pytest.raises(ValueError, match="至少为一年"):
        m.deletion(PERSON, listed_on=date(2022, 1, 1), term_years=0, on=ON)


# --- correction, grace -------------------------------------------------------------------------------------


def test_correction_review_deadline_and_documented_periods() -> None:
    result = m.correction_deadlines(date(2024, 9, 20))
    assert result.value == {"review_by": date(2024, 10, 8)}  # 5 October rolls to 8 October
    assert used(result) >= {
        "dishonest_correction_review_days",
        "dishonest_correction_working_days",
        "dishonest_reconsideration_application_days",
        "dishonest_reconsideration_decision_days",
    }
    assert "最高人民法院关于公布失信被执行人名单信息的若干规定（2017）第12条" in cited(result)


def test_correction_later_nodes_from_their_own_start() -> None:
    result = m.correction_deadlines(
        date(2024, 9, 20),
        justified_on=date(2024, 9, 27),
        rejection_served_on=date(2024, 10, 10),
        reconsideration_received_on=date(2024, 10, 14),
    )
    assert result.value == {
        "review_by": date(2024, 10, 8),
        "correct_by": date(2024, 10, 8),  # Sun 29 Sep (make-up workday), Mon 30 Sep, Tue 8 Oct
        "reconsideration_apply_by": date(2024, 10, 21),  # Sun 20 Oct rolls
        "reconsideration_decide_by": date(2024, 10, 29),
    }
    with pytest.raises(ValueError, match="早于纠正申请日"):
        m.correction_deadlines(date(2024, 9, 20), justified_on=date(2024, 9, 19))


def test_publication_grace() -> None:
    result = m.publication_grace_until(date(2024, 6, 3), 3)
    assert result.value == date(2024, 9, 3)
    assert "最高人民法院关于在执行工作中进一步强化善意文明执行理念的意见（2019）第15条" in cited(result)
    assert m.publication_grace_until(date(2024, 8, 31), 1).value == date(2024, 9, 30)
    for months in (0, 4):
        with pytest.raises(ValueError, match="宽限期应为1至3个月"):
            m.publication_grace_until(ON, months)


# --- fines and detention -----------------------------------------------------------------------------------


def test_sanction_limits() -> None:
    fine = m.sanction_limits("fine", "natural_person", on=ON)
    assert fine.value == (Decimal(0), Decimal(100000))
    assert "民事诉讼法（2023）第118条" in cited(fine) and fine.verified
    assert m.sanction_limits("fine", "legal_person", on=ON).value == (Decimal(50000), Decimal(1000000))
    assert m.sanction_limits("fine", "other_organisation", on=ON).value == (Decimal(50000), Decimal(1000000))
    assert m.sanction_limits("detention", "natural_person", on=ON).value == (0, 15)
    assert not m.sanction_limits("fine", "natural_person", on=date(2019, 6, 3)).verified  # 2017 text [U]


@pytest.mark.parametrize(
    ("kind", "subject", "message"),
    [
        ("detention", "legal_person", "单位不能被拘留"),
        ("warning", "natural_person", "未知的惩戒种类"),
        ("fine", "partnership", "未知的被惩戒人类型"),
    ],
)
def test_sanction_limits_reject(kind: str, subject: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        m.sanction_limits(kind, subject, on=ON)


def test_fine_within_limits_needs_the_presidents_approval() -> None:
    result = m.sanction_check(
        "fine", "natural_person", Decimal(100000), "asset_report_violated", previous=(), on=ON
    )
    decision = result.value
    assert decision.status == "allowed"
    assert "在法定幅度内（100,000.00元以下）" in decision.reasons[0]
    assert any("须经院长批准" in r for r in decision.reasons)
    assert any("3日内向上一级人民法院申请复议一次" in r and "5日内" in r for r in decision.reasons)
    assert "民事诉讼法（2023）第119条" in cited(result)
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第193条" in cited(result)


def test_detention_within_limits() -> None:
    result = m.sanction_check("detention", "natural_person", 15, "refusal", previous=(), on=ON)
    assert result.value.status == "allowed"
    assert any("24小时内通知" in r for r in result.value.reasons)
    assert "detention_family_notice_hours" in used(result)
    assert m.sanction_check(
        "detention", "natural_person", Decimal(5), "refusal", previous=(), on=ON
    ).value.status == ("allowed")


@pytest.mark.parametrize(
    ("kind", "subject", "amount", "text"),
    [
        ("fine", "natural_person", Decimal("100000.01"), "超过法定上限"),
        ("fine", "natural_person", 0, "应大于零"),
        ("fine", "legal_person", Decimal(1000001), "超过法定上限"),
        (
            "fine",
            "legal_person",
            Decimal(49999),
            "低于法定下限：对单位罚款为50,000.00元以上1,000,000.00元以下",
        ),
        ("detention", "natural_person", 16, "超过法定上限：对个人拘留为15日以下"),
        ("detention", "natural_person", 0, "应大于零"),
        ("detention", "legal_person", 5, "单位不能被拘留"),
    ],
)
def test_sanction_outside_the_law(kind: str, subject: str, amount: Decimal | int, text: str) -> None:
    decision = m.sanction_check(kind, subject, amount, "refusal", previous=(), on=ON).value
    assert decision.status == "forbidden"
    assert text in decision.reasons[0]


def test_unit_fine_at_the_minimum_is_allowed() -> None:
    decision = m.sanction_check("fine", "legal_person", 50000, "refusal", previous=(), on=ON).value
    assert decision.status == "allowed" and "50,000.00元以上" in decision.reasons[0]


def test_sanction_check_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match="Decimal 或整数"):
        m.sanction_check("fine", "natural_person", 1000.0, "refusal", previous=(), on=ON)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="整数日"):
        m.sanction_check("detention", "natural_person", Decimal("2.5"), "refusal", previous=(), on=ON)
    with pytest.raises(ValueError, match="妨害行为"):
        m.sanction_check("fine", "natural_person", 1000, "", previous=(), on=ON)
    with pytest.raises(ValueError, match="未知的惩戒种类"):
        m.sanction_check("warning", "natural_person", 1000, "refusal", previous=(), on=ON)


def test_same_act_is_not_sanctioned_twice() -> None:
    earlier = (m.Sanction("fine", "asset_report_violated", date(2024, 5, 20)),)
    result = m.sanction_check(
        "fine", "natural_person", 5000, "asset_report_violated", previous=earlier, on=ON
    )
    assert result.value.status == "forbidden"
    assert "已于2024-05-20对同一妨害行为作出罚款" in result.value.reasons[0]
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第184条" in cited(result)
    later_detention = m.sanction_check(
        "detention", "natural_person", 5, "asset_report_violated", previous=earlier, on=ON
    )
    assert later_detention.value.status == "forbidden"
    same_day_fine = (m.Sanction("fine", "asset_report_violated", ON),)
    again = m.sanction_check(
        "fine", "natural_person", 5000, "asset_report_violated", previous=same_day_fine, on=ON
    )
    assert again.value.status == "forbidden"


def test_same_day_fine_and_detention_combine_and_new_acts_are_new() -> None:
    same_day = (m.Sanction("fine", "asset_report_violated", ON),)
    combined = m.sanction_check(
        "detention", "natural_person", 5, "asset_report_violated", previous=same_day, on=ON
    )
    assert combined.value.status == "allowed"
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第183条" in cited(combined)
    other_act = m.sanction_check("fine", "natural_person", 5000, "refusal", previous=same_day, on=ON)
    assert other_act.value.status == "allowed"
    future = (m.Sanction("fine", "refusal", date(2024, 7, 1)),)
    assert m.sanction_check(
        "fine", "natural_person", 5000, "refusal", previous=future, on=ON
    ).value.status == ("allowed")


# --- criminal referral -------------------------------------------------------------------------------------


def test_referral_due_when_the_violation_continues_after_a_fine() -> None:
    f = facts(
        asset_report_violated=True,
        sanctions=(m.Sanction("fine", "asset_report_violated", date(2024, 5, 20)),),
    )
    result = m.criminal_referral(f, on=ON)
    assert result.value.status == "due"
    assert "2024-05-20因该行为被罚款" in result.value.reasons[0]
    assert any("移送公安机关" in r for r in result.value.reasons)
    for expected in (
        "最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释（2024）第3条第4项",
        "刑法第313条",
        "最高人民法院关于人民法院执行工作若干问题的规定（试行）（2020）第58条",
    ):
        assert expected in cited(result)


def test_referral_after_detention_for_violating_the_consumption_order() -> None:
    f = facts(
        consumption_order_violated=True,
        sanctions=(m.Sanction("detention", "consumption_order_violated", date(2024, 5, 1)),),
    )
    decision = m.criminal_referral(f, on=ON).value
    assert decision.status == "due" and "违反限制消费令" in decision.reasons[0]


@pytest.mark.parametrize(
    "sanctions",
    [
        (),
        (m.Sanction("fine", "asset_report_violated", ON),),  # the same day: not yet "after"
        (m.Sanction("fine", "refusal", date(2024, 5, 1)),),  # another act
    ],
)
def test_referral_not_yet_without_a_prior_sanction_for_the_act(sanctions: tuple[m.Sanction, ...]) -> None:
    result = m.criminal_referral(facts(asset_report_violated=True, sanctions=sanctions), on=ON)
    assert result.value.status == "not_yet"
    assert "应先依法罚款、拘留" in result.value.reasons[0]
    assert "民事诉讼法（2023）第114条" in cited(result)


def test_referral_without_any_violation() -> None:
    decision = m.criminal_referral(PERSON, on=ON).value
    assert decision.status == "not_yet" and "不具备移送" in decision.reasons[0]
    consumption = m.criminal_referral(facts(consumption_order_violated=True), on=ON)
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第188条" in cited(consumption)


def test_referral_allowed_for_evasion_or_after_full_performance() -> None:
    evasion = m.criminal_referral(facts(evasion=True), on=ON).value
    assert evasion.status == "allowed" and any("隐匿、转移财产" in r for r in evasion.reasons)
    violent = m.criminal_referral(facts(obstruction=True), on=ON).value
    assert violent.status == "allowed" and any("暴力、威胁" in r for r in violent.reasons)
    paid = facts(
        fully_performed=True,
        asset_report_violated=True,
        sanctions=(m.Sanction("fine", "asset_report_violated", date(2024, 5, 20)),),
    )
    result = m.criminal_referral(paid, on=ON)
    assert result.value.status == "allowed"
    assert any("从宽处理" in r for r in result.value.reasons)
    assert (
        "最高人民法院、最高人民检察院关于办理拒不执行判决、裁定刑事案件适用法律若干问题的解释（2024）第11条"
        in cited(result)
    )
