"""繁简分流。"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules.triage import TriageFacts, triage

ON = date(2024, 5, 1)


def test_small_claim_against_one_person_is_fast() -> None:
    result = triage(TriageFacts(Decimal("30000"), ("natural_person",)), on=ON)
    assert result.value.track == "fast_track"
    assert result.value.score == 0
    assert result.value.threshold == 4
    assert result.value.track_label == "快执团队（简案）"
    assert not result.verified  # local practice, unverified
    assert result.parameters_used[0].name == "triage_weights"
    assert result.citations[0].marker == "Local"


def test_large_claim_against_a_company_with_other_cases_is_complex() -> None:
    facts = TriageFacts(Decimal("1200000"), ("legal_person",), other_open_cases_against_debtors=2)
    outcome = triage(facts, on=ON).value
    assert outcome.track == "complex_track"
    assert outcome.reasons[0].text == "标的额 120 万元，超过 100 万元：+3"
    assert [r.factor for r in outcome.reasons] == ["claim_amount", "organisation_debtor", "other_open_cases"]
    assert outcome.score == sum(r.points for r in outcome.reasons)


def test_amount_text_keeps_decimals() -> None:
    outcome = triage(TriageFacts(Decimal("125000.50"), ("natural_person",)), on=ON).value
    assert outcome.reasons[0].text == "标的额 12.50005 万元，超过 10 万元：+1"


def test_caps_apply() -> None:
    facts = TriageFacts(
        Decimal("1"), ("natural_person",) * 6, known_assets=9, other_open_cases_against_debtors=9
    )
    points = {r.factor: r.points for r in triage(facts, on=ON).value.reasons}
    assert points == {"debtor_count": 2, "known_assets": 2, "other_open_cases": 3}


@pytest.mark.parametrize(
    "facts",
    [
        TriageFacts(Decimal("-1"), ("natural_person",)),
        TriageFacts(Decimal("1"), ()),
        TriageFacts(Decimal("1"), ("robot",)),
        TriageFacts(Decimal("1"), ("natural_person",), known_assets=-1),
    ],
)
def test_bad_facts_are_rejected(facts: TriageFacts) -> None:
    with pytest.raises(ValueError):
        triage(facts, on=ON)


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    debtors=st.lists(
        st.sampled_from(["natural_person", "legal_person", "other_organisation"]), min_size=1, max_size=5
    ),
    assets=st.integers(0, 10),
    others=st.integers(0, 10),
    non_money=st.booleans(),
)
def test_score_is_the_sum_of_reasons_and_more_never_scores_less(
    amount: Decimal, debtors: list[str], assets: int, others: int, non_money: bool
) -> None:
    facts = TriageFacts(amount, tuple(debtors), assets, others, non_money)
    outcome = triage(facts, on=ON).value
    assert outcome.score == sum(r.points for r in outcome.reasons)
    assert all(r.points > 0 and r.text.endswith(f"+{r.points}") for r in outcome.reasons)
    assert (outcome.track == "complex_track") == (outcome.score >= outcome.threshold)
    bigger = TriageFacts(amount * 2, (*debtors, "legal_person"), assets + 1, others + 1, True)
    assert triage(bigger, on=ON).value.score >= outcome.score
