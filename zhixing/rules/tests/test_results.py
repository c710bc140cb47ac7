"""规则结果与法律依据的表示和序列化。"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from zhixing.rules.results import (
    Citation,
    ParameterUse,
    RuleResult,
    merge_citations,
    merge_parameter_uses,
    to_jsonable,
)

CPL_85 = Citation("民事诉讼法", "第85条", 2023)


def test_citation_str() -> None:
    assert str(CPL_85) == "民事诉讼法（2023）第85条"
    assert str(Citation("民法典", "第202条")) == "民法典第202条"
    assert str(Citation("国务院办公厅关于2021年部分节假日安排的通知", "", 2020, "Vq")) == (
        "国务院办公厅关于2021年部分节假日安排的通知（2020）"
    )


def test_citation_rejects_unknown_marker_and_empty_law() -> None:
    with pytest.raises(ValueError, match="核实标记"):
        Citation("民事诉讼法", "第85条", 2023, "X")
    with pytest.raises(ValueError, match="法律文件名称"):
        Citation("", "第85条")


def test_citation_round_trip() -> None:
    c = Citation("最高人民法院关于公布失信被执行人名单信息的若干规定", "第10条", 2017, "Vq")
    assert Citation.from_dict(c.as_dict()) == c
    assert not Citation("x", "y", marker="U").verified
    assert c.verified


def test_rule_result_as_dict_is_json() -> None:
    result = RuleResult(
        value=date(2021, 10, 8),
        citations=(CPL_85,),
        parameters_used=(ParameterUse("payout_days", date(2017, 5, 1), 30, True),),
    )
    data = result.as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data == {
        "value": "2021-10-08",
        "citations": [{"law": "民事诉讼法", "article": "第85条", "year": 2023, "marker": "V"}],
        "parameters_used": [
            {"name": "payout_days", "effective_from": "2017-05-01", "value": 30, "verified": True}
        ],
    }
    back = RuleResult.from_dict(data)
    assert back.citations == result.citations
    assert back.parameters_used == result.parameters_used
    assert back.value == "2021-10-08"


def test_rule_result_verified_and_citation_text() -> None:
    unverified = ParameterUse("x", date(2020, 1, 1), 1, False)
    assert RuleResult(1, (CPL_85,)).verified
    assert not RuleResult(1, (CPL_85,), (unverified,)).verified
    assert not RuleResult(1, (Citation("民事诉讼法", "第92条", 2012, "U"),)).verified
    assert RuleResult(1, (CPL_85, Citation("民法典", "第201条", 2020))).citation_text() == (
        "民事诉讼法（2023）第85条；民法典（2020）第201条"
    )


def test_to_jsonable() -> None:
    assert to_jsonable(Decimal("100000.00")) == "100000.00"
    assert to_jsonable({"a": (date(2021, 1, 1), {1, 2})}) == {"a": ["2021-01-01", [1, 2]]}
    assert to_jsonable(CPL_85) == CPL_85.as_dict()
    with pytest.raises(TypeError, match="datetime"):
        to_jsonable(datetime(2021, 1, 1, 12, 0))
    with pytest.raises(TypeError):
        to_jsonable(object())


def test_merge_keeps_order_and_drops_duplicates() -> None:
    civ = Citation("民法典", "第201条", 2020)
    assert merge_citations((CPL_85, civ), [civ, CPL_85]) == (CPL_85, civ)
    a = ParameterUse("a", date(2020, 1, 1), {"k": 1}, True)
    b = ParameterUse("a", date(2021, 1, 1), {"k": 2}, True)
    assert merge_parameter_uses((a,), (b, a)) == (a, b)
