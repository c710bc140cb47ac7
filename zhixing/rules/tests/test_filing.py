"""执行立案审查与申请执行期间。"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from zhixing.rules.filing import (
    NON_LITIGATION_TITLE_KINDS,
    TITLE_KINDS,
    FilingFacts,
    TitleFacts,
    application_deadline,
    filing_check,
    is_non_litigation,
)
from zhixing.rules.params import get_parameter

TITLE = TitleFacts(
    "judgment", date(2024, 1, 10), performance_deadline=date(2024, 1, 20), issuing_court_code="浙0602"
)
FACTS = FilingFacts(
    title=TITLE,
    court_code="浙0602",
    jurisdiction_basis="first_instance",
    materials=frozenset({"application", "title", "identity"}),
    received_on=date(2024, 2, 1),
)


def test_complete_application_is_accepted() -> None:
    result = filing_check(FACTS, on=date(2024, 2, 2))
    decision = result.value
    assert decision.accept and decision.refusals == () and decision.warnings == ()
    assert decision.application_deadline == date(2026, 1, 20)
    assert not decision.non_litigation
    names = {p.name for p in result.parameters_used}
    assert {
        "filing_required_materials",
        "non_litigation_title_kinds",
        "application_time_limit_years",
    } <= names
    assert not result.verified  # the materials list is [U]


def test_out_of_time_is_a_warning_not_a_refusal() -> None:
    old = dataclasses.replace(
        FACTS,
        title=dataclasses.replace(
            TITLE, effective_on=date(2021, 1, 5), performance_deadline=date(2021, 1, 15)
        ),
    )
    decision = filing_check(old, on=date(2024, 2, 2)).value
    assert decision.accept
    (warning,) = decision.warnings
    assert warning.code == "application_out_of_time"
    assert "仍应立案" in warning.message
    assert any(c.article == "第481条" for c in warning.citations)


def test_missing_materials_are_named() -> None:
    decision = filing_check(dataclasses.replace(FACTS, materials=frozenset()), on=date(2024, 2, 2)).value
    assert not decision.accept
    assert decision.refusal_codes == (
        "missing_material:application",
        "missing_material:title",
        "missing_material:identity",
    )
    assert "申请执行书" in decision.refusals[0].message


def test_first_instance_without_issuing_court() -> None:
    facts = dataclasses.replace(FACTS, title=dataclasses.replace(TITLE, issuing_court_code=None))
    assert (
        "jurisdiction_issuing_court_unknown" in filing_check(facts, on=date(2024, 2, 2)).value.refusal_codes
    )


def test_unknown_basis() -> None:
    facts = dataclasses.replace(FACTS, jurisdiction_basis="convenience")
    assert filing_check(facts, on=date(2024, 2, 2)).value.refusal_codes == ("jurisdiction_unknown_basis",)


def test_non_litigation_kinds_match_the_parameter() -> None:
    assert set(TITLE_KINDS) >= NON_LITIGATION_TITLE_KINDS
    latest = get_parameter("non_litigation_title_kinds").entries[-1]
    assert frozenset(latest.value) == NON_LITIGATION_TITLE_KINDS
    assert not latest.verified
    assert is_non_litigation("arbitration_award", on=date(2024, 1, 1)).value
    assert not is_non_litigation("judicial_confirmation", on=date(2024, 1, 1)).value


def test_every_material_condition_is_known() -> None:
    for item in get_parameter("filing_required_materials").entries[-1].value:
        assert item["when"] in {"always", "court_title_from_other_court", "notarised_debt"}


def test_application_deadline_bases() -> None:
    assert application_deadline(TitleFacts("judgment", date(2024, 3, 4))).value == date(2026, 3, 4)
    with_period = TitleFacts("judgment", date(2024, 3, 4), performance_deadline=date(2024, 3, 14))
    assert application_deadline(with_period).value == date(2026, 3, 16)  # 2026-03-14 is a Saturday
    with pytest.raises(ValueError, match="早于申请执行期间的起算日"):
        application_deadline(with_period, interrupted_on=date(2024, 3, 1))
    restarted = application_deadline(with_period, interrupted_on=date(2024, 6, 3))
    assert restarted.value == date(2026, 6, 3)
    assert "第20条" in restarted.citation_text()
