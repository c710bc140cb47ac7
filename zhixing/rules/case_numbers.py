"""案号：格式化与解析（最高人民法院关于人民法院案件案号的若干规定）。

Canonical form (full-width brackets, no padding)::

    （年度）法院代字[专门审判代字]类型代字编号号[之N]
    （2021）浙0602执1234号        （2019）最高法知执1号之一

:func:`parse` also accepts half-width brackets, spaces, full-width digits, sub-numbers
written ``-2`` after 号 (read as 之二), and the pre-2016 form ``(2015)绍越执字第00415号``
(``legacy=True``; its court part is kept as text and its sequence loses the zero padding).
A malformed number raises :class:`CaseNumberError` with a Chinese message.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from zhixing.rules.results import Citation

__all__ = [
    "CASENO_CITATION",
    "COURT_PROVINCE_CODES",
    "ENFORCEMENT_TYPE_CODES",
    "SUPREME_COURT_CODE",
    "TYPE_CODE_CITATION",
    "CaseNumber",
    "CaseNumberError",
    "TypeCode",
    "parse",
]

CASENO_CITATION = Citation("最高人民法院关于人民法院案件案号的若干规定", "第2条、第3条", 2018, "Vq")
TYPE_CODE_CITATION = Citation("人民法院案件类型及其代字标准", "", 2015, "Vq")

SUPREME_COURT_CODE = "最高法"
#: High-court codes (CASENO Art. 4): provinces, 内 (Inner Mongolia), 军 (PLA Military Court),
#: 兵 (XPCC branch of the Xinjiang High Court). Guizhou's code is 黔.
COURT_PROVINCE_CODES = frozenset("京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新军兵")


@dataclasses.dataclass(frozen=True, slots=True)
class TypeCode:
    """类型代字：代字、案件类型、类别（执行实施、执行审查、其他）、含义是否已核实。"""

    code: str
    name: str
    category: str
    meaning_verified: bool = True


#: Enforcement-related type codes, rules reference §1.3 (codes [Vq]; meanings marked U are unverified).
ENFORCEMENT_TYPE_CODES: Mapping[str, TypeCode] = MappingProxyType(
    {
        t.code: t
        for t in (
            TypeCode("执", "首次执行", "执行实施"),
            TypeCode("执恢", "恢复执行", "执行实施"),
            TypeCode("执保", "财产保全执行", "执行实施"),
            TypeCode("执异", "执行异议", "执行审查"),
            TypeCode("执复", "执行复议", "执行审查"),
            TypeCode("执监", "执行监督", "执行审查"),
            TypeCode("执协", "执行协调", "执行审查"),
            TypeCode("执他", "其他执行", "执行审查", meaning_verified=False),
            TypeCode("财保", "诉前、仲裁前财产保全", "其他"),
            TypeCode("司救执", "执行中的司法救助", "其他"),
            TypeCode("民特", "特别程序（含确认调解协议）", "其他", meaning_verified=False),
            TypeCode("破申", "破产申请审查", "其他", meaning_verified=False),
            TypeCode("破", "破产", "其他", meaning_verified=False),
        )
    }
)
_CODES_LONGEST_FIRST = tuple(sorted(ENFORCEMENT_TYPE_CODES, key=len, reverse=True))

_CN_DIGITS = "零一二三四五六七八九"
_MAX_SUB_NUMBER = 99
_FIRST_YEAR = 1949


class CaseNumberError(ValueError):
    """案号格式错误（信息为中文，说明错在哪里）。"""


def _is_cjk(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _cn_numeral(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


_CN_NUMERALS = {_cn_numeral(n): n for n in range(1, _MAX_SUB_NUMBER + 1)}


def _split_legacy(prefix: str) -> tuple[str, str] | None:
    """旧式案号「绍越执」→（「绍越」，「执」）：取最长的类型代字后缀。"""
    for code in _CODES_LONGEST_FIRST:
        if prefix.endswith(code):
            return prefix[: -len(code)], code
    return None


def _resolve_type(word: str) -> tuple[str | None, str] | None:
    """「执恢」→（无，「执恢」）；「知执」→（「知」，「执」）。"""
    if word in ENFORCEMENT_TYPE_CODES:
        return None, word
    if len(word) > 1 and _is_cjk(word[0]) and word[0] != "号" and word[1:] in ENFORCEMENT_TYPE_CODES:
        return word[0], word[1:]
    return None


def _check_court_code(code: str) -> str | None:
    if code == SUPREME_COURT_CODE:
        return None
    if not code:
        return "法院代字缺失"
    if code[0] not in COURT_PROVINCE_CODES:
        return f"未知的法院代字「{code[0]}」"
    digits = code[1:]
    if digits and not (digits.isascii() and digits.isdigit()):
        return f"法院代字「{code}」无效：省级代字后只能跟数字"
    if len(digits) not in (0, 2, 4):
        return f"法院代字「{code}」的数字部分应为2位（中级法院）或4位（基层法院）"
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class CaseNumber:
    """案号：年度、法院代字、类型代字、编号，可选专门审判代字和分号（之一、之二……）。"""

    year: int
    court_code: str
    type_code: str
    sequence: int
    special_code: str | None = None
    sub_number: int | None = None
    legacy: bool = False

    def __post_init__(self) -> None:
        if (
            isinstance(self.year, bool)
            or not isinstance(self.year, int)
            or not _FIRST_YEAR <= self.year <= 9999
        ):
            raise CaseNumberError(f"年度「{self.year}」无效：应为{_FIRST_YEAR}年以后的四位数字")
        if self.type_code not in ENFORCEMENT_TYPE_CODES:
            raise CaseNumberError(f"未知的类型代字「{self.type_code}」")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int) or self.sequence < 1:
            raise CaseNumberError(f"编号必须为正整数，收到「{self.sequence}」")
        if self.sub_number is not None and (
            isinstance(self.sub_number, bool)
            or not isinstance(self.sub_number, int)
            or not 1 <= self.sub_number <= _MAX_SUB_NUMBER
        ):
            raise CaseNumberError(
                f"分号应为1至{_MAX_SUB_NUMBER}的整数（之一至之九十九），收到「{self.sub_number}」"
            )
        if self.legacy:
            if self.special_code is not None:
                raise CaseNumberError("旧式案号（2016年以前）没有专门审判代字")
            if not _is_cjk(self.court_code) or _split_legacy(self.court_code + self.type_code) != (
                self.court_code,
                self.type_code,
            ):
                raise CaseNumberError(f"旧式案号的法院代字「{self.court_code}」无效")
            return
        problem = _check_court_code(self.court_code)
        if problem:
            raise CaseNumberError(problem)
        if self.special_code is not None and (
            len(self.special_code) != 1 or not _is_cjk(self.special_code) or self.special_code == "号"
        ):
            raise CaseNumberError(f"专门审判代字应为一个汉字，收到「{self.special_code}」")
        if self.special_code is not None and self.special_code + self.type_code in ENFORCEMENT_TYPE_CODES:
            raise CaseNumberError(
                f"专门审判代字「{self.special_code}」与类型代字「{self.type_code}」连写会被误读为"
                f"「{self.special_code + self.type_code}」"
            )

    def format(self) -> str:
        """规范写法（全角括号，编号不补零），如「（2021）浙0602执1234号」。"""
        sub = f"之{_cn_numeral(self.sub_number)}" if self.sub_number is not None else ""
        if self.legacy:
            return f"（{self.year}）{self.court_code}{self.type_code}字第{self.sequence}号{sub}"
        special = self.special_code or ""
        return f"（{self.year}）{self.court_code}{special}{self.type_code}{self.sequence}号{sub}"

    def __str__(self) -> str:
        return self.format()

    @property
    def type_name(self) -> str:
        """案件类型名称，如「首次执行」。"""
        return ENFORCEMENT_TYPE_CODES[self.type_code].name

    @property
    def category(self) -> str:
        """类别：执行实施、执行审查或其他。"""
        return ENFORCEMENT_TYPE_CODES[self.type_code].category

    @property
    def court_level(self) -> str | None:
        """法院层级（supreme/high/intermediate/basic），旧式案号为 None。"""
        if self.legacy:
            return None
        if self.court_code == SUPREME_COURT_CODE:
            return "supreme"
        return {0: "high", 2: "intermediate", 4: "basic"}[len(self.court_code) - 1]


_DIGITS_PREFIX = re.compile(r"[0-9]*")


def _parse_sub_number(tail: str) -> int | None:
    if not tail:
        return None
    if tail.startswith("之") and tail[1:] in _CN_NUMERALS:
        return _CN_NUMERALS[tail[1:]]
    if (
        tail.startswith("-")
        and tail[1:].isascii()
        and tail[1:].isdigit()
        and 1 <= int(tail[1:]) <= _MAX_SUB_NUMBER
    ):
        return int(tail[1:])
    raise CaseNumberError(f"「号」之后的内容「{tail}」无法识别：分号应写作「之一」「之二」……或「-2」")


def _parse_sequence(text: str) -> int:
    if not text:
        raise CaseNumberError("缺少案件编号")
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise CaseNumberError(f"编号必须为正整数，收到「{text}」")
    return int(text)


def parse(text: str) -> CaseNumber:
    """解析案号；格式错误时抛出 :class:`CaseNumberError`，信息说明错在哪里。"""
    if not isinstance(text, str):
        raise CaseNumberError(f"案号应为文本，收到 {text!r}")
    s = "".join(unicodedata.normalize("NFKC", text).split())
    s = s.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")
    if not s:
        raise CaseNumberError("案号为空")
    if not s.startswith("("):
        if s[:4].isascii() and s[:4].isdigit():
            raise CaseNumberError("年度应写在括号内，如「（2021）」")
        raise CaseNumberError("年度缺失：案号应以「（年度）」开头")
    close = s.find(")")
    if close < 0:
        raise CaseNumberError("缺少年度的右括号「）」")
    year_text = s[1:close]
    if not year_text:
        raise CaseNumberError("年度缺失：括号内没有年份")
    if not (len(year_text) == 4 and year_text.isascii() and year_text.isdigit()):
        raise CaseNumberError(f"年度「{year_text}」应为四位数字")
    year = int(year_text)
    rest = s[close + 1 :]
    if not rest:
        raise CaseNumberError("年度之后缺少法院代字、类型代字和编号")
    hao = rest.find("号")
    if hao < 0:
        raise CaseNumberError("缺少结尾的「号」")
    body, sub_number = rest[:hao], _parse_sub_number(rest[hao + 1 :])

    if "字第" in body:
        prefix, _, sequence_text = body.partition("字第")
        split = _split_legacy(prefix)
        if split is None:
            raise CaseNumberError(f"未知的类型代字：旧式案号「{prefix}字」中没有可识别的类型代字")
        court_text, type_code = split
        if not court_text:
            raise CaseNumberError("法院代字缺失")
        return CaseNumber(
            year=year,
            court_code=court_text,
            type_code=type_code,
            sequence=_parse_sequence(sequence_text),
            sub_number=sub_number,
            legacy=True,
        )

    if body.startswith(SUPREME_COURT_CODE):
        court_code, after = SUPREME_COURT_CODE, body[len(SUPREME_COURT_CODE) :]
    else:
        if not body or not _is_cjk(body[0]):
            raise CaseNumberError("法院代字缺失")
        digits = _DIGITS_PREFIX.match(body, 1)
        end = digits.end() if digits else 1
        court_code, after = body[:end], body[end:]
    problem = _check_court_code(court_code)
    if problem:
        raise CaseNumberError(problem)
    word_end = next((i for i, ch in enumerate(after) if ch.isascii() and ch.isdigit()), len(after))
    word, sequence_text = after[:word_end], after[word_end:]
    if not word:
        raise CaseNumberError("缺少类型代字")
    resolved = _resolve_type(word)
    if resolved is None:
        raise CaseNumberError(f"未知的类型代字「{word}」")
    special_code, type_code = resolved
    return CaseNumber(
        year=year,
        court_code=court_code,
        type_code=type_code,
        sequence=_parse_sequence(sequence_text),
        special_code=special_code,
        sub_number=sub_number,
    )
