"""文书排版：template files, their metadata, strict Django rendering and WeasyPrint PDFs.

A template is one file ``doc_templates/<kind>.html``: a YAML header between ``---`` lines
(title, number code, issuing roles, required and optional fields, citations) followed by a
Django template that extends the shared layout ``_layout.html``. An administrator may put a
changed copy of any file in ``DOCUMENTS_TEMPLATE_DIR`` (setting); that copy wins. See
``docs/documents-admin.md``.

Rendering is strict: a ``{{ variable }}`` that does not resolve raises :class:`MissingField`
naming it, so a document is never issued with a blank where a fact should be.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.template import Context, Engine, Library, TemplateSyntaxError
from django.utils.safestring import SafeString, mark_safe

from zhixing.rules.params import parameter_names

# WeasyPrint logs every layout step at INFO; keep the worker's log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PACKAGE_TEMPLATE_DIR = Path(__file__).parent / "doc_templates"
LAYOUT = "_layout.html"
_HEADER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)

#: Fields the documents service supplies itself; templates may use them, callers need not.
SYSTEM_FIELDS = (
    "court_name",
    "case_number",
    "document_number",
    "title",
    "issued_on",
    "citations",
    "seal_svg",
    "corrects_number",
    "subject_label",
    "preview",
)


class MissingField(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class TemplateFileError(Exception):
    """模板文件无法读取或元数据有误。"""


@dataclass(frozen=True)
class TemplateMeta:
    """模板元数据（文件头 YAML）。"""

    kind: str
    title: str
    label: str
    number_code: str
    issuing_roles: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    citations: tuple[dict[str, Any], ...] = ()
    approval_role: str | None = None
    approval_waived_by: str | None = None
    seal_purpose: str = "执行专用章"
    description: str = ""
    #: field -> the codes it accepts (e.g. ``act: [evidence, witness, …]``)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: numeric bounds: ``{field, min|min_param, max|max_param, integer, when: {other_field: value(s)}}``
    limits: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "label": self.label,
            "number_code": self.number_code,
            "issuing_roles": list(self.issuing_roles),
            "required": list(self.required),
            "optional": list(self.optional),
            "citations": [dict(c) for c in self.citations],
            "approval_role": self.approval_role,
            "approval_waived_by": self.approval_waived_by,
            "seal_purpose": self.seal_purpose,
            "description": self.description,
            "choices": {k: list(v) for k, v in self.choices.items()},
            "limits": [dict(lim) for lim in self.limits],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemplateMeta:
        return cls(
            kind=data["kind"],
            title=data["title"],
            label=data.get("label") or data["title"],
            number_code=data["number_code"],
            issuing_roles=tuple(data["issuing_roles"]),
            required=tuple(data.get("required", ())),
            optional=tuple(data.get("optional", ())),
            citations=tuple(data.get("citations", ())),
            approval_role=data.get("approval_role"),
            approval_waived_by=data.get("approval_waived_by"),
            seal_purpose=data.get("seal_purpose", "执行专用章"),
            description=data.get("description", ""),
            choices={str(k): tuple(v) for k, v in (data.get("choices") or {}).items()},
            limits=tuple(data.get("limits") or ()),
        )


def template_dirs() -> list[Path]:
    """Where template files are looked up: the administrator's folder first, then the package."""
    dirs = []
    override = getattr(settings, "DOCUMENTS_TEMPLATE_DIR", None)
    if override:
        dirs.append(Path(override))
    dirs.append(PACKAGE_TEMPLATE_DIR)
    return dirs


def find_file(name: str) -> Path | None:
    for d in template_dirs():
        p = d / name
        if p.is_file():
            return p
    return None


def available_kinds() -> list[str]:
    kinds: set[str] = set()
    for d in template_dirs():
        if d.is_dir():
            kinds.update(p.stem for p in d.glob("*.html") if not p.name.startswith("_"))
    return sorted(kinds)


_SPLIT_CACHE: dict[tuple[str, str], tuple[TemplateMeta, str]] = {}


def split_source(kind: str, text: str) -> tuple[TemplateMeta, str]:
    """Split a template file into its metadata and its Django template body (remembered per text:
    every issue reads the file again to see whether it changed, and parsing its YAML was half the act)."""
    key = (kind, text)
    hit = _SPLIT_CACHE.get(key)
    if hit is None:
        hit = _split_source(kind, text)
        if len(_SPLIT_CACHE) > 256:
            _SPLIT_CACHE.clear()
        _SPLIT_CACHE[key] = hit
    return hit


def _split_source(kind: str, text: str) -> tuple[TemplateMeta, str]:
    m = _HEADER.match(text)
    if not m:
        raise TemplateFileError(f"模板 {kind}.html 缺少以 --- 包围的元数据文件头")
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as e:
        raise TemplateFileError(f"模板 {kind}.html 的元数据不是有效的 YAML：{e}") from e
    if not isinstance(data, dict):
        raise TemplateFileError(f"模板 {kind}.html 的元数据应为键值对")
    for key in ("title", "number_code", "issuing_roles", "required"):
        if key not in data:
            raise TemplateFileError(f"模板 {kind}.html 的元数据缺少「{key}」")
    data["kind"] = kind
    for c in data.get("citations") or ():
        if not isinstance(c, dict) or "law" not in c:
            raise TemplateFileError(f"模板 {kind}.html 的 citations 每项应含 law、article")
    _check_value_rules(kind, data)
    return TemplateMeta.from_dict(data), text[m.end() :]


_LIMIT_KEYS = {"field", "min", "max", "min_param", "max_param", "when", "integer"}


def _check_value_rules(kind: str, data: dict[str, Any]) -> None:
    """``choices`` and ``limits`` name declared fields; parameters named in ``limits`` exist."""
    declared = set(data.get("required") or ()) | set(data.get("optional") or ())
    choices = data.get("choices") or {}
    if not isinstance(choices, dict):
        raise TemplateFileError(f"模板 {kind}.html 的 choices 应为「字段: [取值, …]」")
    for name, values in choices.items():
        if name not in declared:
            raise TemplateFileError(f"模板 {kind}.html 的 choices 引用了未声明的字段「{name}」")
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise TemplateFileError(f"模板 {kind}.html 的 choices.{name} 应为非空的文字列表")
    limits = data.get("limits") or []
    if not isinstance(limits, list):
        raise TemplateFileError(f"模板 {kind}.html 的 limits 应为列表")
    params = set(parameter_names())
    for lim in limits:
        if not isinstance(lim, dict) or lim.get("field") not in declared or set(lim) - _LIMIT_KEYS:
            raise TemplateFileError(
                f"模板 {kind}.html 的 limits 每项应含已声明的 field，"
                "及 min、max、min_param、max_param、when、integer"
            )
        for key in ("min_param", "max_param"):
            if key in lim and lim[key] not in params:
                raise TemplateFileError(f"模板 {kind}.html 的 limits 引用了未知的参数「{lim[key]}」")
        when = lim.get("when") or {}
        if not isinstance(when, dict) or not set(when) <= declared:
            raise TemplateFileError(f"模板 {kind}.html 的 limits.when 应为「已声明的字段: 取值」")


def read_files(kind: str) -> tuple[str, str]:
    """The current file text of a kind and of the layout."""
    path = find_file(f"{kind}.html")
    layout = find_file(LAYOUT)
    if path is None:
        raise TemplateFileError(f"没有文书种类「{kind}」的模板文件")
    if layout is None:
        raise TemplateFileError(f"缺少版式文件 {LAYOUT}")
    return path.read_text(encoding="utf-8"), layout.read_text(encoding="utf-8")


def source_hash(source: str, layout: str) -> str:
    h = hashlib.sha256()
    h.update(source.encode("utf-8"))
    h.update(b"\x00")
    h.update(layout.encode("utf-8"))
    return h.hexdigest()


# --- filters --------------------------------------------------------------------------------
register = Library()
_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@register.filter
def cn_date(value: Any) -> str:
    """二〇二六年十一月二十九日。"""
    if value in (None, ""):
        return ""
    d = _as_date(value)
    year = "".join(_DIGITS[int(ch)] for ch in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


@register.filter
def ymd(value: Any) -> str:
    """2026年11月29日。"""
    if value in (None, ""):
        return ""
    d = _as_date(value)
    return f"{d.year}年{d.month}月{d.day}日"


@register.filter
def yuan(value: Any) -> str:
    """12,345.67 (money as a Decimal string; never a float)."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}"


@register.filter
def as_list(value: Any) -> list[Any]:
    """A list as given; one text as a list of one; blank as an empty list (for ``{% for %}``)."""
    if isinstance(value, list | tuple):
        return list(value)
    return [] if value in (None, "") else [value]


@register.filter
def join_names(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


# --- strict engine --------------------------------------------------------------------------
class _Invalid(str):
    """string_if_invalid that raises: Django formats it with the variable's name."""

    def __contains__(self, item: object) -> bool:
        return True

    def __mod__(self, var: object) -> str:
        raise MissingField(str(var))


_ENGINES: dict[str, Any] = {}


def compiled(version_hash: str, source: str, layout: str) -> Any:
    """Compile (and cache by content hash) a template with its layout."""
    tpl = _ENGINES.get(version_hash)
    if tpl is None:
        engine = Engine(
            loaders=[("django.template.loaders.locmem.Loader", {LAYOUT: layout})],
            string_if_invalid=_Invalid("INVALID"),
            builtins=["zhixing.documents.rendering"],
            autoescape=True,
        )
        try:
            tpl = engine.from_string(source)
        except TemplateSyntaxError as e:
            raise TemplateFileError(f"模板语法错误：{e}") from e
        if len(_ENGINES) > 256:
            _ENGINES.clear()
        _ENGINES[version_hash] = tpl
    return tpl


def render_html(template: Any, context: dict[str, Any]) -> str:
    try:
        return str(template.render(Context(context, autoescape=True)))
    except MissingField:
        raise
    except TemplateSyntaxError as e:
        raise TemplateFileError(f"模板语法错误：{e}") from e


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(PACKAGE_TEMPLATE_DIR)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def safe(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 - generated by seal.seal_svg from escaped text
