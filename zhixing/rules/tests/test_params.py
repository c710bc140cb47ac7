"""法定参数加载器：按日期取值、错误信息、缓存。"""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from zhixing.rules import params
from zhixing.rules.params import (
    NoValueInForce,
    ParameterFileError,
    UnknownParameter,
    get_parameter,
    load_parameter_file,
    param,
    param_entry,
)
from zhixing.rules.results import Citation

GOOD = """\
name: {name}
title: 测试参数
unit: {unit}
values:
  - effective_from: 2013-01-01
    value: {first}
    verified: false
    citation: {{law: 民事诉讼法, article: 第92条, year: 2012, marker: U}}
  - effective_from: 2022-01-01
    value: {second}
    verified: true
    citation: {{law: 民事诉讼法, article: 第95条, year: 2021, marker: V}}
    note: 2021年修正
"""


def write(tmp_path: Path, text: str, name: str = "sample") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def good(tmp_path: Path, unit: str = "days", first: object = 60, second: object = 30) -> Path:
    return write(tmp_path, GOOD.format(name="sample", unit=unit, first=first, second=second))


def test_value_in_force_is_latest_effective_from_on_or_before_date(tmp_path: Path) -> None:
    parameter = load_parameter_file(good(tmp_path))
    assert parameter.entry_on(date(2013, 1, 1)).value == 60
    assert parameter.entry_on(date(2021, 12, 31)).value == 60
    assert parameter.entry_on(date(2022, 1, 1)).value == 30
    assert parameter.entry_on(date(2099, 1, 1)).value == 30
    entry = parameter.entry_on(date(2022, 6, 1))
    assert entry.citation == Citation("民事诉讼法", "第95条", 2021, "V")
    assert entry.verified and entry.note == "2021年修正"
    assert entry.use().as_dict() == {
        "name": "sample",
        "effective_from": "2022-01-01",
        "value": 30,
        "verified": True,
    }


def test_no_value_in_force_names_the_first_date(tmp_path: Path) -> None:
    parameter = load_parameter_file(good(tmp_path))
    with pytest.raises(NoValueInForce, match=r"2012-12-31 没有生效的值.*2013-01-01"):
        parameter.entry_on(date(2012, 12, 31))


def test_real_parameter_lookup() -> None:
    assert param("enforcement_period_months", on=date(2024, 5, 1)) == 6
    assert param("announcement_delivery_days", on=date(2021, 12, 31)) == 60
    assert param("announcement_delivery_days", on=date(2022, 1, 1)) == 30
    entry = param_entry("application_time_limit_years", on=date(2024, 1, 1))
    assert str(entry.citation) == "民事诉讼法（2023）第250条"
    assert entry.effective_from == date(2024, 1, 1) and entry.verified
    assert param("fine_max_individual_yuan", on=date(2024, 1, 1)) == Decimal("100000")
    terms = param("asset_control_term_months", on=date(2016, 1, 1))
    assert terms["bank_deposit"] == 12 and terms["real_estate"] == 36
    assert param("asset_control_term_months", on=date(2014, 12, 31))["bank_deposit"] == 6


def test_unknown_parameter_lists_close_names() -> None:
    with pytest.raises(UnknownParameter, match="enforcement_period_months") as caught:
        param("enforcement_period_month", on=date(2024, 1, 1))
    assert "未知的参数「enforcement_period_month」" in str(caught.value)
    with pytest.raises(UnknownParameter, match="已有参数"):
        param("zzzz", on=date(2024, 1, 1))


def test_on_must_be_a_date() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        param("enforcement_period_months", on=datetime(2024, 1, 1, 9, 0))


def test_files_are_cached_and_cache_can_be_cleared() -> None:
    first = get_parameter("payout_days")
    assert get_parameter("payout_days") is first
    params.clear_cache()
    assert get_parameter("payout_days") is not first
    assert get_parameter("payout_days") == first


def test_values_are_frozen() -> None:
    terms = param("asset_control_term_months", on=date(2024, 1, 1))
    with pytest.raises(TypeError):
        terms["bank_deposit"] = 1


def test_money_and_percent_are_decimals(tmp_path: Path) -> None:
    parameter = load_parameter_file(good(tmp_path, unit="yuan", first=50000, second='"1000000.00"'))
    assert parameter.entries[0].value == Decimal("50000")
    assert parameter.entries[1].value == Decimal("1000000.00")
    parameter = load_parameter_file(good(tmp_path, unit="percent", first=1.5, second=70))
    assert parameter.entries[0].value == Decimal("1.5")


CITATION = {"law": "甲", "article": "第1条", "marker": "V"}


def entry(effective_from: object = date(2021, 1, 1), **changes: object) -> dict[str, object]:
    """A well-formed value, changed by ``changes`` (a value of ``None`` removes the key)."""
    raw: dict[str, object] = {
        "effective_from": effective_from,
        "value": 3,
        "verified": True,
        "citation": CITATION,
    }
    raw.update(changes)
    return {k: v for k, v in raw.items() if v is not None}


def document(*entries: dict[str, object], **top: object) -> str:
    raw: dict[str, object] = {"name": "sample", "title": "测试", "unit": "days", "values": list(entries)}
    raw.update(top)
    return yaml.safe_dump(raw, allow_unicode=True)


MALFORMED = {
    "missing citation": (
        document(entry(date(2020, 1, 1), citation=None)),
        "第1个取值（effective_from 2020-01-01）：缺少 citation",
    ),
    "citation without law": (
        document(entry(citation={"article": "第1条", "marker": "V"})),
        "citation 缺少 law",
    ),
    "unsorted dates": (document(entry(date(2021, 1, 1)), entry(date(2020, 1, 1))), "未按时间升序排列"),
    "duplicate dates": (document(entry(), entry(value=4)), "effective_from 重复"),
    "U marked verified": (document(entry(citation={**CITATION, "marker": "U"})), "必须写 verified: false"),
    "unknown marker": (document(entry(citation={**CITATION, "marker": "X"})), "citation.marker"),
    "missing verified": (document(entry(verified=None)), "缺少 verified"),
    "name differs from file": (document(entry(), name="other"), "name 应与文件名一致"),
    "unknown unit": (document(entry(), unit="fortnights"), "unit 应为"),
    "value not fitting unit": (document(entry(value="三")), "应为非负整数"),
    "date with a time": (document(entry(datetime(2021, 1, 1, 9, 0))), "effective_from 应为日期"),
    "typo in a key": (
        document({**entry(effective_from=None), "effective_form": date(2021, 1, 1)}),
        "effective_form",
    ),
    "no values": (document(), "values 应为非空列表"),
    "not yaml": ("name: [unclosed\n", "YAML 无法解析"),
}


@pytest.mark.parametrize("text, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_is_rejected_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ParameterFileError) as caught:
        load_parameter_file(write(tmp_path, text))
    assert "参数文件 sample.yaml 格式错误" in str(caught.value)
    assert message in str(caught.value)
