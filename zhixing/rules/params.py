"""法定参数：按生效日期取值的法律数值（期限、金额、比例……）。

Every legal number lives in one YAML file under ``zhixing/rules/parameters/`` (schema in
that folder's README). A change in law adds a dated value; it never edits history.

    >>> from datetime import date
    >>> param("enforcement_period_months", on=date(2024, 5, 1))
    6

Files are read once and cached (:func:`clear_cache` forgets them, e.g. after an admin
edited a file). Values are frozen: mappings become read-only, lists become tuples, and
``yuan``/``percent`` values become :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

import yaml

from zhixing.rules.results import MARKERS, Citation, ParameterUse

__all__ = [
    "PARAMETERS_DIR",
    "UNITS",
    "NoValueInForce",
    "Parameter",
    "ParameterEntry",
    "ParameterError",
    "ParameterFileError",
    "UnknownParameter",
    "clear_cache",
    "get_parameter",
    "load_parameter_file",
    "param",
    "param_entry",
    "parameter_names",
    "require_date",
]

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"

#: Units a parameter file may declare.
UNITS: Mapping[str, str] = MappingProxyType(
    {
        "days": "日",
        "working_days": "工作日",
        "months": "月",
        "years": "年",
        "hours": "小时",
        "count": "次",
        "yuan": "元",
        "percent": "%",
        "list": "列表",
        "table": "表",
        "calendar": "节假日表",
    }
)
_COUNT_UNITS = frozenset({"days", "working_days", "months", "years", "hours", "count"})
_DECIMAL_UNITS = frozenset({"yuan", "percent"})

_FILE_KEYS = frozenset({"name", "title", "unit", "values", "note"})
_ENTRY_KEYS = frozenset({"effective_from", "value", "verified", "citation", "note"})
_CITATION_KEYS = frozenset({"law", "article", "year", "marker"})


class ParameterError(Exception):
    """法定参数错误的基类。"""


class UnknownParameter(ParameterError, LookupError):
    """未知的参数名称。"""


class NoValueInForce(ParameterError, LookupError):
    """该日期没有生效的参数值。"""


class ParameterFileError(ParameterError, ValueError):
    """参数文件格式错误（错误信息中写明文件名）。"""


@dataclasses.dataclass(frozen=True, slots=True)
class ParameterEntry:
    """参数的一个取值：自 effective_from 起施行，附法律依据。"""

    name: str
    effective_from: date
    value: Any
    verified: bool
    citation: Citation
    note: str = ""

    def use(self) -> ParameterUse:
        """为 :class:`~zhixing.rules.results.RuleResult` 记录本次使用。"""
        return ParameterUse(self.name, self.effective_from, self.value, self.verified)


@dataclasses.dataclass(frozen=True, slots=True)
class Parameter:
    """一个法定参数及其按日期排列的全部取值。"""

    name: str
    title: str
    unit: str
    entries: tuple[ParameterEntry, ...]
    path: Path
    note: str = ""

    def entry_on(self, on: date) -> ParameterEntry:
        """返回 on 日生效的取值（生效日期不晚于 on 的最后一个）。"""
        require_date(on)
        in_force = None
        for entry in self.entries:
            if entry.effective_from > on:
                break
            in_force = entry
        if in_force is None:
            raise NoValueInForce(
                f"参数「{self.name}」（{self.title}）在 {on.isoformat()} 没有生效的值："
                f"最早的取值自 {self.entries[0].effective_from.isoformat()} 起施行"
                f"（如需更早的取值，请在 {self.path.name} 中补充并注明依据）"
            )
        return in_force


def require_date(value: object, what: str = "日期") -> None:
    """规则只接受 datetime.date：datetime（含时刻）或其他类型抛出 TypeError。"""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what}应为 datetime.date（不含时刻），收到 {value!r}")


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


Fail = Callable[[str], NoReturn]


def _citation(raw: Any, fail: Fail) -> Citation:
    if not isinstance(raw, Mapping):
        fail("缺少 citation（法律依据），每个取值都必须注明")
    unknown = set(raw) - _CITATION_KEYS
    if unknown:
        fail(f"citation 有未知字段 {sorted(unknown)}")
    law = raw.get("law")
    if not isinstance(law, str) or not law.strip():
        fail("citation 缺少 law（法律文件名称）")
    article = raw.get("article")
    if not isinstance(article, str):
        fail('citation 缺少 article（条款；引用整部文件时写 ""）')
    year = raw.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        fail(f"citation.year 应为整数年份，收到 {year!r}")
    marker = raw.get("marker")
    if not isinstance(marker, str) or marker not in MARKERS:
        fail(f"citation.marker 应为 {'/'.join(MARKERS)} 之一，收到 {marker!r}")
    return Citation(law=law.strip(), article=article, year=year, marker=marker)


def _value(unit: str, raw: Any, fail: Fail) -> Any:
    if unit in _COUNT_UNITS:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            fail(f"单位为 {unit} 的取值应为非负整数，收到 {raw!r}")
        return raw
    if unit in _DECIMAL_UNITS:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            fail(f"单位为 {unit} 的取值应为数字，收到 {raw!r}")
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            fail(f"单位为 {unit} 的取值应为数字，收到 {raw!r}")
    if unit == "list" and not isinstance(raw, list):
        fail(f"单位为 list 的取值应为列表，收到 {raw!r}")
    if unit in {"table", "calendar"} and not isinstance(raw, Mapping):
        fail(f"单位为 {unit} 的取值应为映射（键: 值），收到 {raw!r}")
    return _freeze(raw)


def load_parameter_file(path: Path) -> Parameter:
    """读取并校验一个参数文件（不缓存）；格式错误时抛出 :class:`ParameterFileError`。"""
    path = Path(path)

    def fail(message: str) -> NoReturn:
        raise ParameterFileError(f"参数文件 {path.name} 格式错误：{message}")

    def fail_entry(message: str, where: str) -> NoReturn:
        fail(f"{where}：{message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        fail(f"YAML 无法解析：{exc}")
    if not isinstance(data, Mapping):
        fail("顶层应为映射（name、title、unit、values）")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        fail(f"有未知字段 {sorted(unknown)}")
    name = data.get("name")
    if name != path.stem:
        fail(f"name 应与文件名一致（{path.stem}），实为 {name!r}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("缺少 title（中文名称）")
    unit = data.get("unit")
    if not isinstance(unit, str) or unit not in UNITS:
        fail(f"unit 应为 {'/'.join(UNITS)} 之一，收到 {unit!r}")
    file_note = data.get("note", "")
    if not isinstance(file_note, str):
        fail("note 应为字符串")
    raw_values = data.get("values")
    if not isinstance(raw_values, list) or not raw_values:
        fail("values 应为非空列表")

    entries: list[ParameterEntry] = []
    for index, raw in enumerate(raw_values, start=1):
        where = f"第{index}个取值"
        if not isinstance(raw, Mapping):
            fail_entry("应为映射", where)
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            fail_entry(f"有未知字段 {sorted(unknown)}", where)
        effective_from = raw.get("effective_from")
        if isinstance(effective_from, datetime) or not isinstance(effective_from, date):
            fail_entry(f"effective_from 应为日期（YYYY-MM-DD），收到 {effective_from!r}", where)
        where = f"{where}（effective_from {effective_from.isoformat()}）"
        fail_here = functools.partial(fail_entry, where=where)
        if entries and effective_from <= entries[-1].effective_from:
            problem = "重复" if effective_from == entries[-1].effective_from else "未按时间升序排列"
            fail_here(f"effective_from {problem}（前一个取值自 {entries[-1].effective_from.isoformat()} 起）")
        if "value" not in raw:
            fail_here("缺少 value")
        verified = raw.get("verified")
        if not isinstance(verified, bool):
            fail_here("缺少 verified（true/false）")
        citation = _citation(raw.get("citation"), fail_here)
        if citation.marker == "U" and verified:
            fail_here("依据标记为 U（未核实）的取值必须写 verified: false")
        note = raw.get("note", "")
        if not isinstance(note, str):
            fail_here("note 应为字符串")
        entries.append(
            ParameterEntry(
                name=name,
                effective_from=effective_from,
                value=_value(unit, raw["value"], fail_here),
                verified=verified,
                citation=citation,
                note=note,
            )
        )
    return Parameter(name=name, title=title, unit=unit, entries=tuple(entries), path=path, note=file_note)


@functools.cache
def parameter_names() -> tuple[str, ...]:
    """全部参数名称（按字母排序）。"""
    return tuple(sorted(p.stem for p in PARAMETERS_DIR.glob("*.yaml")))


@functools.cache
def get_parameter(name: str) -> Parameter:
    """按名称读取参数（缓存）；未知名称抛出 :class:`UnknownParameter` 并列出相近的名称。"""
    names = parameter_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
        hint = f"相近的参数：{'、'.join(close)}" if close else f"已有参数：{'、'.join(names)}"
        raise UnknownParameter(f"未知的参数「{name}」。{hint}")
    return load_parameter_file(PARAMETERS_DIR / f"{name}.yaml")


def param_entry(name: str, *, on: date) -> ParameterEntry:
    """返回参数在 on 日生效的取值（含依据、是否核实、生效日期）。"""
    return get_parameter(name).entry_on(on)


def param(name: str, *, on: date) -> Any:
    """返回参数在 on 日生效的值。"""
    return param_entry(name, on=on).value


def clear_cache() -> None:
    """清除参数缓存（参数文件被修改后调用）。"""
    parameter_names.cache_clear()
    get_parameter.cache_clear()
