"""规则结果：每条规则返回的值及其法律依据。

A rule returns a :class:`RuleResult`: the computed value, the articles it applied
(:class:`Citation`) and the dated legal parameters it read (:class:`ParameterUse`).
Services store ``result.as_dict()`` as JSON on the row they write, so that every
deadline, amount or decision can be traced to its article and to the parameter
version that was in force.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

__all__ = [
    "MARKERS",
    "Citation",
    "ParameterUse",
    "RuleResult",
    "citations_json",
    "merge_citations",
    "merge_parameter_uses",
    "to_jsonable",
]

#: Verification markers of the rules reference (shared/domain/rules-reference.md, "How to read the markers").
MARKERS: Mapping[str, str] = {
    "V": "已核对官方全文",
    "Vq": "据第三方转引核对",
    "U": "未核实（凭记忆，待核）",
    "Local": "地方法院规则或做法",
}

T = TypeVar("T")


def to_jsonable(value: Any) -> Any:
    """转换为可存为 JSON 的普通值。

    Dates become ISO strings, ``Decimal`` a string (money is never a float), tuples and
    sets lists, objects with ``as_dict()`` their dict, enums their value.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, datetime):
        raise TypeError("规则只处理日期，不处理时刻：请传入 date 而不是 datetime")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return as_dict()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [to_jsonable(v) for v in items]
    raise TypeError(f"无法转换为 JSON 的值：{value!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class Citation:
    """法律依据：法律文件、条款、版本年份和核实标记。

    ``str(Citation("民事诉讼法", "第85条", 2023))`` is ``"民事诉讼法（2023）第85条"``.
    ``article`` may be empty when the whole document is cited (e.g. a State Council
    holiday notice). ``marker`` is one of :data:`MARKERS`.
    """

    law: str
    article: str
    year: int | None = None
    marker: str = "V"

    def __post_init__(self) -> None:
        if not self.law:
            raise ValueError("法律依据缺少法律文件名称（law）")
        if self.marker not in MARKERS:
            raise ValueError(f"未知的核实标记「{self.marker}」，应为 {'/'.join(MARKERS)} 之一")

    def __str__(self) -> str:
        version = f"（{self.year}）" if self.year is not None else ""
        return f"{self.law}{version}{self.article}"

    @property
    def verified(self) -> bool:
        """是否已核实（标记不是 U）。"""
        return self.marker != "U"

    def as_dict(self) -> dict[str, Any]:
        return {"law": self.law, "article": self.article, "year": self.year, "marker": self.marker}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Citation:
        return cls(
            law=data["law"],
            article=data.get("article", ""),
            year=data.get("year"),
            marker=data.get("marker", "V"),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class ParameterUse:
    """规则所用的法定参数：名称、生效日期、取值、是否已核实。"""

    name: str
    effective_from: date
    value: Any
    verified: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "effective_from": self.effective_from.isoformat(),
            "value": to_jsonable(self.value),
            "verified": self.verified,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParameterUse:
        """Rebuild from :meth:`as_dict` output (the value stays in its JSON form)."""
        return cls(
            name=data["name"],
            effective_from=date.fromisoformat(data["effective_from"]),
            value=data["value"],
            verified=bool(data["verified"]),
        )


@dataclasses.dataclass(frozen=True, slots=True)
class RuleResult(Generic[T]):
    """规则计算结果：值、法律依据和所用参数。"""

    value: T
    citations: tuple[Citation, ...] = ()
    parameters_used: tuple[ParameterUse, ...] = ()

    @property
    def verified(self) -> bool:
        """所有依据和参数都已核实时为真；否则界面应提示「待核」。"""
        return all(c.verified for c in self.citations) and all(p.verified for p in self.parameters_used)

    def citation_text(self, sep: str = "；") -> str:
        """依据的中文表述，如「民事诉讼法（2023）第85条；民法典（2020）第201条」。"""
        return sep.join(str(c) for c in self.citations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": to_jsonable(self.value),
            "citations": [c.as_dict() for c in self.citations],
            "parameters_used": [p.as_dict() for p in self.parameters_used],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleResult[Any]:
        """Rebuild from :meth:`as_dict` output; ``value`` stays in its JSON form."""
        return RuleResult(
            value=data["value"],
            citations=tuple(Citation.from_dict(c) for c in data.get("citations", ())),
            parameters_used=tuple(ParameterUse.from_dict(p) for p in data.get("parameters_used", ())),
        )


def merge_citations(*groups: tuple[Citation, ...] | list[Citation]) -> tuple[Citation, ...]:
    """合并多组依据，去重并保持顺序。"""
    seen: dict[Citation, None] = {}
    for group in groups:
        for c in group:
            seen.setdefault(c, None)
    return tuple(seen)


def citations_json(*results: RuleResult[Any]) -> list[dict[str, Any]]:
    """The citations of several results, merged in order, as the JSON stored on rows and in the journal."""
    return [c.as_dict() for c in merge_citations(*(r.citations for r in results))]


def merge_parameter_uses(*groups: tuple[ParameterUse, ...] | list[ParameterUse]) -> tuple[ParameterUse, ...]:
    """合并多组参数使用记录，按（名称、生效日期）去重并保持顺序。"""
    seen: dict[tuple[str, date], ParameterUse] = {}
    for group in groups:
        for p in group:
            seen.setdefault((p.name, p.effective_from), p)
    return tuple(seen.values())
