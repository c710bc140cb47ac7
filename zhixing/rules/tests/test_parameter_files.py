"""参数文件本身：每个取值都有依据，未核实的取值标为 verified: false，种子参数齐全。"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import yaml

from zhixing.rules.params import PARAMETERS_DIR, get_parameter, param_entry, parameter_names

FILES = sorted(PARAMETERS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_value_has_a_citation_and_u_values_are_unverified(path: Any) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["name"] == path.stem
    for value in raw["values"]:
        citation = value.get("citation")
        assert isinstance(citation, dict), f"{path.name} {value.get('effective_from')}：缺少 citation"
        assert citation.get("law"), f"{path.name} {value['effective_from']}：citation 缺少 law"
        assert "article" in citation and citation.get("marker") in {"V", "Vq", "U", "Local"}
        assert isinstance(value.get("verified"), bool)
        if citation["marker"] == "U":
            assert value["verified"] is False, (
                f"{path.name} {value['effective_from']}：[U] 的取值必须 verified: false"
            )
        if citation["marker"] in {"V", "Vq"}:
            assert value["verified"] is True, (
                f"{path.name} {value['effective_from']}：已核实的取值应 verified: true"
            )
    get_parameter(path.stem)  # the loader's own checks pass too


def test_names_match_files() -> None:
    assert parameter_names() == tuple(p.stem for p in FILES)


ON = date(2025, 1, 1)

# The seeded values (rules reference §2, §3.1, §6, §7.1, §10.1), as in force on 2025-01-01.
SEED = {
    "enforcement_period_months": (6, "V"),
    "non_litigation_enforcement_period_months": (3, "V"),
    "enforcement_period_extension_months": (3, "V"),
    "filing_decision_days": (7, "V"),
    "performance_notice_days": (10, "V"),
    "assign_officer_days": (7, "Vq"),
    "application_time_limit_years": (2, "V"),
    "upper_court_application_months": (6, "V"),
    "asset_lead_verify_days": (7, "V"),
    "asset_lead_verify_urgent_days": (3, "V"),
    "payout_days": (30, "Vq"),
    "announcement_delivery_days": (30, "V"),
    "dishonest_deletion_working_days": (3, "Vq"),
    "dishonest_listing_term_years": (2, "Vq"),
    "asset_control_term_months": (
        {"bank_deposit": 12, "movable": 24, "real_estate": 36, "other_property_right": 36},
        "V",
    ),
    "fine_max_individual_yuan": (Decimal(100000), "V"),
    "fine_min_unit_yuan": (Decimal(50000), "V"),
    "fine_max_unit_yuan": (Decimal(1000000), "V"),
    "detention_max_days": (15, "V"),
}


@pytest.mark.parametrize("name", SEED)
def test_seeded_parameter(name: str) -> None:
    value, marker = SEED[name]
    entry = param_entry(name, on=ON)
    assert (dict(entry.value) if isinstance(value, dict) else entry.value) == value
    assert entry.citation.marker == marker


def test_holiday_table_cites_the_notice_of_each_year() -> None:
    holidays = get_parameter("holidays")
    years = [e.effective_from.year for e in holidays.entries]
    assert {2021, 2022, 2023, 2024, 2025} <= set(years)
    for entry in holidays.entries:
        assert entry.citation.law == f"国务院办公厅关于{entry.effective_from.year}年部分节假日安排的通知"
        assert entry.verified
