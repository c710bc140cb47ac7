"""执行款：申请执行费、加倍部分债务利息、执行款发放期限、分配方案。"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.rules.funds import (
    Claim,
    delay_interest,
    distribution_objection_deadlines,
    distribution_plan,
    enforcement_fee,
    enforcement_fee_without_amount,
    payout_deadline,
)
from zhixing.rules.params import NoValueInForce

D = Decimal
ON = date(2024, 5, 1)

money = st.integers(min_value=1, max_value=2_000_000_000).map(lambda cents: D(cents) / 100)


# ---------------------------------------------------------------- 申请执行费


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("0.01", "50.00"),
        ("10000", "50.00"),
        ("10001", "50.02"),
        ("500000", "7400.00"),
        ("1000000", "12400.00"),
        ("5000000", "52400.00"),
        ("10000000", "77400.00"),
        ("20000000", "87400.00"),
    ],
)
def test_fee_marginal_bands(amount: str, fee: str) -> None:
    result = enforcement_fee(D(amount), on=ON)
    assert result.value == D(fee)
    assert "诉讼费用交纳办法（2006）第14条" in result.citation_text()
    assert [p.name for p in result.parameters_used] == ["enforcement_fee_bands"]
    assert result.verified


def test_fee_rejects_floats_zero_negative_and_fractions_of_cents() -> None:
    with pytest.raises(TypeError):
        enforcement_fee(1000.0, on=ON)  # type: ignore[arg-type]
    for bad in ("0", "-1", "10.005"):
        with pytest.raises(ValueError):
            enforcement_fee(D(bad), on=ON)


def test_fee_without_amount_is_a_range() -> None:
    result = enforcement_fee_without_amount(on=ON)
    assert result.value == (D("50.00"), D("500.00"))
    assert result.parameters_used[0].name == "enforcement_fee_without_amount"


@given(money, money)
def test_fee_is_monotone_in_amount(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert enforcement_fee(low, on=ON).value <= enforcement_fee(high, on=ON).value


# ---------------------------------------------------------------- 加倍部分债务利息


def test_delay_interest_30_days() -> None:
    result = delay_interest(
        principal=D(100000), due_on=date(2024, 3, 1), payments=[], until=date(2024, 3, 31)
    )
    value = result.value
    assert value.total == D("525.00")
    (period,) = value.periods
    assert (period.start, period.end, period.base, period.days) == (
        date(2024, 3, 2),
        date(2024, 3, 31),
        D(100000),
        30,
    )
    assert period.daily_rate == D("0.000175")
    assert "民事诉讼法（2023）第264条" in result.citation_text()
    assert result.parameters_used[0].name == "delay_interest_daily_rate"


def test_payments_reduce_principal_first_and_excess_goes_to_interest() -> None:
    value = delay_interest(
        principal=D(100000),
        due_on=date(2024, 3, 1),
        payments=[(date(2024, 3, 11), D(60000)), (date(2024, 3, 21), D(40100)), (date(2024, 4, 30), D(1))],
        until=date(2024, 3, 31),
    ).value
    # 10 days on 100,000 = 175; 10 days on 40,000 = 70; nothing afterwards; the April payment is ignored.
    assert value.total == D("245.00")
    assert [p.amount for p in value.periods] == [D("175.00"), D("70.00")]
    assert value.unpaid_principal == D("0.00")
    assert value.paid_towards_interest == D("100.00")
    assert value.outstanding_interest == D("145.00")


def test_no_interest_when_until_is_not_after_due_day() -> None:
    value = delay_interest(
        principal=D(100), due_on=date(2024, 3, 1), payments=[], until=date(2024, 3, 1)
    ).value
    assert value.total == D("0.00") and value.periods == ()


def test_delay_before_the_interpretation_is_not_guessed() -> None:
    with pytest.raises(NoValueInForce):
        delay_interest(principal=D(100), due_on=date(2014, 7, 1), payments=[], until=date(2014, 8, 10))


@given(
    principal=money,
    days=st.integers(min_value=0, max_value=3000),
    extra=st.integers(min_value=0, max_value=400),
    payments=st.lists(st.tuples(st.integers(min_value=-10, max_value=3400), money), max_size=5),
)
def test_delay_interest_is_monotone_in_until(
    principal: Decimal, days: int, extra: int, payments: list[tuple[int, Decimal]]
) -> None:
    due_on = date(2020, 1, 1)
    paid = [(due_on + timedelta(days=d), a) for d, a in payments]
    early = delay_interest(
        principal=principal, due_on=due_on, payments=paid, until=due_on + timedelta(days=days)
    )
    late = delay_interest(
        principal=principal, due_on=due_on, payments=paid, until=due_on + timedelta(days=days + extra)
    )
    assert early.value.total <= late.value.total
    assert early.value.total == sum((p.amount for p in early.value.periods), D(0))


# ---------------------------------------------------------------- 期限


def test_payout_deadline_reuses_payout_days() -> None:
    result = payout_deadline(date(2024, 9, 1))
    assert result.value == date(2024, 10, 8)
    assert any(p.name == "payout_days" for p in result.parameters_used)


def test_distribution_objection_deadlines() -> None:
    result = distribution_objection_deadlines(
        date(2024, 4, 1),
        objection_notice_served_on=date(2024, 4, 20),
        counter_objection_notice_served_on=date(2024, 5, 10),
    )
    assert result.value == {
        "objection": date(2024, 4, 16),
        "counter_objection": date(2024, 5, 6),
        "suit": date(2024, 5, 27),
    }
    text = result.citation_text()
    assert "第509条" in text and "第510条" in text
    assert distribution_objection_deadlines(date(2024, 4, 1)).value["suit"] is None


# ---------------------------------------------------------------- 分配方案


def test_costs_secured_then_pro_rata_with_exact_cents() -> None:
    claims = [
        Claim("甲", D(100), "ordinary"),
        Claim("乙", D(100), "ordinary"),
        Claim("丙", D(100), "ordinary"),
        Claim("银行", D(500), "secured", secured_rank=1),
        Claim("法院", D(50), "costs"),
    ]
    result = distribution_plan(proceeds=D(650), claims=claims, debtor_kind="natural_person", on=ON)
    plan = result.value
    assert [(line.creditor, line.allocated) for line in plan.lines] == [
        ("法院", D("50.00")),
        ("银行", D("500.00")),
        ("甲", D("33.33")),
        ("乙", D("33.33")),
        (
            "丙",
            D("33.34"),
        ),  # equal remainders: the cent goes by creditor name (code point order: 丙 < 乙 < 甲)
    ]
    assert sum(line.allocated for line in plan.lines) == D(650)
    assert plan.surplus == D("0.00") and plan.ordinary_method == "pro_rata"
    assert "第506条" in result.citation_text()


def test_tie_break_is_by_creditor_name() -> None:
    claims = [Claim(name, D(1), "ordinary") for name in ("c", "a", "b")]
    plan = distribution_plan(proceeds=D("0.02"), claims=claims, debtor_kind="natural_person", on=ON).value
    assert {line.creditor: line.allocated for line in plan.lines} == {
        "a": D("0.01"),
        "b": D("0.01"),
        "c": D("0.00"),
    }


def test_enterprise_sealing_order_and_bankruptcy_warning() -> None:
    claims = [
        Claim("A", D(300), "ordinary", sealing_rank=2),
        Claim("B", D(400), "ordinary", sealing_rank=1),
        Claim("C", D(100), "ordinary"),
    ]
    result = distribution_plan(
        proceeds=D(500), claims=claims, debtor_kind="enterprise", on=ON, insolvent=True
    )
    plan = result.value
    assert [(line.creditor, line.allocated) for line in plan.lines] == [
        ("B", D(400)),
        ("A", D(100)),
        ("C", D(0)),
    ]
    assert plan.warning_codes == ("offer_bankruptcy_transfer",)
    assert "第511条" in str(plan.warnings[0].citations[0])
    assert "第514条" in result.citation_text()


def test_surplus_returns_to_debtor() -> None:
    result = distribution_plan(
        proceeds=D(1000), claims=[Claim("甲", D(300), "ordinary")], debtor_kind="natural_person", on=ON
    )
    assert result.value.surplus == D("700.00")
    assert "第34条" in result.citation_text()


def test_equal_rank_securities_share_and_cite_unverified_article() -> None:
    claims = [Claim("甲", D(300), "secured", secured_rank=1), Claim("乙", D(100), "priority", secured_rank=1)]
    result = distribution_plan(proceeds=D(200), claims=claims, debtor_kind="natural_person", on=ON)
    assert {line.creditor: line.allocated for line in result.value.lines} == {"甲": D(150), "乙": D(50)}
    assert not result.verified


@pytest.mark.parametrize(
    "claim",
    [
        Claim("甲", D(1), "tax"),
        Claim("甲", D(1), "secured"),
        Claim("甲", D(-1), "ordinary"),
        Claim("甲", D(1), "ordinary", principal=D(2)),
    ],
)
def test_invalid_claims(claim: Claim) -> None:
    with pytest.raises(ValueError):
        distribution_plan(proceeds=D(1), claims=[claim], debtor_kind="natural_person", on=ON)


def test_unknown_debtor_kind() -> None:
    with pytest.raises(ValueError, match="被执行人类型"):
        distribution_plan(proceeds=D(1), claims=[], debtor_kind="state", on=ON)


claim_strategy = st.builds(
    Claim,
    creditor=st.sampled_from(["甲", "乙", "丙", "丁", "a", "b"]),
    amount=money,
    kind=st.sampled_from(["costs", "secured", "priority", "ordinary"]),
    secured_rank=st.integers(min_value=1, max_value=3),
    sealing_rank=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
)


@settings(max_examples=200)
@given(
    proceeds=st.integers(min_value=0, max_value=10**10).map(lambda cents: D(cents) / 100),
    claims=st.lists(claim_strategy, max_size=8),
    debtor_kind=st.sampled_from(["natural_person", "other_organisation", "enterprise"]),
    single_title=st.booleans(),
)
def test_money_is_conserved(
    proceeds: Decimal, claims: list[Claim], debtor_kind: str, single_title: bool
) -> None:
    plan = distribution_plan(
        proceeds=proceeds, claims=claims, debtor_kind=debtor_kind, on=ON, single_title=single_title
    ).value
    assert sum((line.allocated for line in plan.lines), D(0)) + plan.surplus == proceeds
    assert all(D(0) <= line.allocated <= line.claimed for line in plan.lines)
    assert plan.surplus == 0 or all(line.allocated == line.claimed for line in plan.lines)
    assert all(line.allocated.as_tuple().exponent == -2 for line in plan.lines)
