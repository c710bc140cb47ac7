"""案号：解析、规范写法、错误信息、往返一致。"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules import case_numbers
from zhixing.rules.case_numbers import (
    COURT_PROVINCE_CODES,
    ENFORCEMENT_TYPE_CODES,
    CaseNumber,
    CaseNumberError,
    TypeCode,
    parse,
)


def test_every_type_code_parses() -> None:
    for code in ENFORCEMENT_TYPE_CODES:
        cn = parse(f"（2021）浙0602{code}7号")
        assert (cn.type_code, cn.special_code, cn.sequence) == (code, None, 7)


def test_every_high_court_code_parses() -> None:
    assert len(COURT_PROVINCE_CODES) == 33
    for province in COURT_PROVINCE_CODES:
        for digits in ("", "01", "0102"):
            assert parse(f"（2021）{province}{digits}执1号").court_code == province + digits
    assert parse("（2021）黔0102执1号").court_code == "黔0102"  # 贵州 is 黔


@pytest.mark.parametrize(
    "text",
    [
        "(2021)浙0602执1234号",
        "（2021）浙0602执1234号",
        " （ 2021 ） 浙0602 执 1234 号 ",
        "（２０２１）浙０６０２执１２３４号",
        "〔2021〕浙0602执1234号",
        "（2021）浙0602执001234号",
    ],
)
def test_variants_normalise_to_the_canonical_form(text: str) -> None:
    assert parse(text).format() == "（2021）浙0602执1234号"


def test_sub_numbers() -> None:
    assert parse("（2021）浙0602执1234号之十二").sub_number == 12
    assert parse("（2021）浙0602执1234号之二十").format() == "（2021）浙0602执1234号之二十"
    assert parse("（2021）浙0602执1234号－3").format() == "（2021）浙0602执1234号之三"
    assert str(CaseNumber(2021, "浙0602", "执", 1, sub_number=99)) == "（2021）浙0602执1号之九十九"


def test_legacy_forms() -> None:
    cn = parse("(2014)绍越执恢字第12号之一")
    assert (cn.court_code, cn.type_code, cn.sequence, cn.sub_number, cn.legacy) == (
        "绍越",
        "执恢",
        12,
        1,
        True,
    )
    assert cn.format() == "（2014）绍越执恢字第12号之一"
    with pytest.raises(CaseNumberError, match="法院代字缺失"):
        parse("(2014)执字第12号")
    with pytest.raises(CaseNumberError, match="没有可识别的类型代字"):
        parse("(2014)绍越民初字第12号")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "案号为空"),
        ("浙0602执1234号", "年度缺失"),
        ("2021浙0602执1234号", "年度应写在括号内"),
        ("（）浙0602执1234号", "年度缺失"),
        ("（2021浙0602执1234号", "缺少年度的右括号"),
        ("（20x1）浙0602执1234号", "年度「20x1」应为四位数字"),
        ("（1900）浙0602执1号", "年度「1900」无效"),
        ("（2021）", "缺少法院代字"),
        ("（2021）0602执1号", "法院代字缺失"),
        ("（2021）港01执1号", "未知的法院代字「港」"),
        ("（2021）浙123执1号", "数字部分应为2位"),
        ("（2021）最高法1号", "缺少类型代字"),
        ("（2021）浙0602执X1号", "未知的类型代字「执X」"),
        ("（2021）浙0602民初1号", "未知的类型代字「民初」"),
        ("（2021）浙0602执号", "缺少案件编号"),
        ("（2021）浙0602执0号", "编号必须为正整数"),
        ("（2021）浙0602执1a号", "编号必须为正整数"),
        ("（2021）浙0602执1234", "缺少结尾的「号」"),
        ("（2021）浙0602执1234号之", "无法识别"),
        ("（2021）浙0602执1234号附", "无法识别"),
        ("（2021）浙0602执1234号-0", "无法识别"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(CaseNumberError) as caught:
        parse(text)
    assert message in str(caught.value)


def test_constructor_validates() -> None:
    with pytest.raises(CaseNumberError, match="未知的类型代字"):
        CaseNumber(2021, "浙0602", "民初", 1)
    with pytest.raises(CaseNumberError, match="编号必须为正整数"):
        CaseNumber(2021, "浙0602", "执", 0)
    with pytest.raises(CaseNumberError, match="专门审判代字应为一个汉字"):
        CaseNumber(2021, "浙0602", "执", 1, special_code="IP")
    with pytest.raises(CaseNumberError, match="旧式案号"):
        CaseNumber(2015, "绍越", "执", 1, special_code="知", legacy=True)
    with pytest.raises(CaseNumberError, match="分号"):
        CaseNumber(2021, "浙0602", "执", 1, sub_number=100)
    with pytest.raises(CaseNumberError):
        parse(12345)  # type: ignore[arg-type]


def test_special_code_that_would_be_misread_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    # No code in today's table is a one-character prefix plus another code; guard the invariant.
    extended = {**ENFORCEMENT_TYPE_CODES, "救执": TypeCode("救执", "测试", "其他")}
    monkeypatch.setattr(case_numbers, "ENFORCEMENT_TYPE_CODES", extended)
    with pytest.raises(CaseNumberError, match="误读"):
        CaseNumber(2021, "浙0602", "救执", 1, special_code="司")


def test_properties() -> None:
    cn = parse("（2021）浙06执复3号")
    assert (cn.type_name, cn.category, cn.court_level) == ("执行复议", "执行审查", "intermediate")
    assert parse("（2021）浙执1号").court_level == "high"


# --- round trips -------------------------------------------------------------------------------

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(lambda c: c != "号")
court_codes = st.one_of(
    st.just("最高法"),
    st.builds(
        lambda p, d: p + d,
        st.sampled_from(sorted(COURT_PROVINCE_CODES)),
        st.one_of(st.just(""), st.from_regex(r"\A[0-9]{2}\Z"), st.from_regex(r"\A[0-9]{4}\Z")),
    ),
)
type_codes = st.sampled_from(sorted(ENFORCEMENT_TYPE_CODES))
sub_numbers = st.none() | st.integers(min_value=1, max_value=99)


@st.composite
def modern_numbers(draw: st.DrawFn) -> CaseNumber:
    type_code = draw(type_codes)
    special = draw(st.none() | cjk.filter(lambda c: c + type_code not in ENFORCEMENT_TYPE_CODES))
    return CaseNumber(
        year=draw(st.integers(min_value=2016, max_value=2999)),
        court_code=draw(court_codes),
        type_code=type_code,
        sequence=draw(st.integers(min_value=1, max_value=10**7)),
        special_code=special,
        sub_number=draw(sub_numbers),
    )


legacy_numbers = st.builds(
    CaseNumber,
    year=st.integers(min_value=1980, max_value=2015),
    court_code=st.text(alphabet="绍越杭西湖甬温鹿嘉兴浙", min_size=1, max_size=4),
    type_code=type_codes,
    sequence=st.integers(min_value=1, max_value=10**6),
    sub_number=sub_numbers,
    legacy=st.just(True),
)


@given(modern_numbers() | legacy_numbers)
def test_parse_format_round_trip(cn: CaseNumber) -> None:
    text = cn.format()
    assert parse(text) == cn
    assert parse(text).format() == text


@given(modern_numbers())
def test_half_width_and_dash_forms_parse_to_the_same_number(cn: CaseNumber) -> None:
    text = cn.format().replace("（", "(").replace("）", ")")
    if cn.sub_number is not None:
        text = text.rsplit("之", 1)[0] + f"-{cn.sub_number}"
    assert parse(text) == cn
    assert parse(text).format() == cn.format()
