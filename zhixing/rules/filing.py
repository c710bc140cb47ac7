"""执行立案审查：执行依据、申请期间、管辖、申请材料、履行期限。

Rules reference §2.1 and §2.5. :func:`filing_check` returns a :class:`FilingDecision`:
*refusals* block filing (the court rules 不予受理 or asks for supplements), *warnings* do
not. Decisions encoded here:

* **Out of time is still filed.** An application after the 2-year period (CPL Art. 250) is a
  *warning*: the court files it and refuses enforcement only if the debtor objects and the
  objection holds (JI-CPL Art. 481).
* **Jurisdiction** (CPL Art. 235): a court title (判决书、裁定书、调解书、司法确认裁定书) is
  enforced by the first-instance court or a court *of the same level* where the property is; other
  titles (仲裁裁决书、公证债权文书) by the court where the debtor is domiciled or the property
  is. ``first_instance`` requires the issuing court's code to equal the filing court's; a basis
  the article does not give for that kind of title is refused. Whether the property court is
  of the same level is not known to the rules: a warning asks the clerk to check it.
* **Materials** come from the parameter ``filing_required_materials`` (EXEC-WORK Art. 18, [U]);
  each missing one is a refusal ``missing_material:<code>`` (the applicant is told once what to
  supplement, REGFILE Art. 7).
* **Performance period running**: while ``on`` ≤ the performance deadline the debtor has not yet
  failed to perform (EXEC-WORK Art. 16): refused. An instalment title with only
  ``last_instalment_due`` is not refused (earlier instalments may already be due).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.params import param_entry, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "COURT_TITLE_KINDS",
    "JURISDICTION_BASES",
    "NON_LITIGATION_TITLE_KINDS",
    "TITLE_KINDS",
    "UPPER_COURT_ORDER",
    "FilingDecision",
    "FilingFacts",
    "Finding",
    "TitleFacts",
    "application_deadline",
    "filing_check",
    "is_non_litigation",
]

TITLE_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "judgment": "判决书",
        "ruling": "裁定书",
        "mediation": "调解书",
        "judicial_confirmation": "司法确认裁定书",
        "arbitration_award": "仲裁裁决书",
        "notarised_debt": "公证债权文书",
    }
)

#: Titles made by a court (CPL Art. 235 ¶1 first sentence).
COURT_TITLE_KINDS: frozenset[str] = frozenset({"judgment", "ruling", "mediation", "judicial_confirmation"})

#: Titles enforced within the 3-month period of TERM00 Art. 5 — our reading of 「非诉执行」,
#: kept in step with the parameter ``non_litigation_title_kinds`` (verified: false).
NON_LITIGATION_TITLE_KINDS: frozenset[str] = frozenset({"arbitration_award", "notarised_debt"})

JURISDICTION_BASES: Mapping[str, str] = MappingProxyType(
    {
        "first_instance": "第一审人民法院",
        "property_location": "被执行的财产所在地人民法院",
        "debtor_domicile": "被执行人住所地人民法院",
        "upper_court_order": "上级人民法院裁定提级执行、指定执行或者交叉执行",
    }
)

#: The basis of a case moved by an upper court's ruling (rules/upper_court.py): the ruling, not
#: CPL Art. 235, names the court, and the original application already interrupted the limitation
#: period (EXEC-PROC Art. 20). Only the platform sets it; a party cannot choose it.
UPPER_COURT_ORDER = "upper_court_order"

CPL_235 = cite(sources.CPL, "第235条")
CPL_237 = cite(sources.CPL, "第237条")
CPL_250 = cite(sources.CPL, "第250条")
EXEC_WORK_16 = cite(sources.EXEC_WORK, "第16条")
EXEC_PROC_20 = cite(sources.EXEC_PROC, "第20条")
JI_CPL_481 = cite(sources.JI_CPL, "第481条")
REGFILE_7 = cite(sources.REGFILE, "第7条")


@dataclasses.dataclass(frozen=True, slots=True)
class TitleFacts:
    """执行依据（生效法律文书）的事实。"""

    kind: str
    effective_on: date
    performance_deadline: date | None = None
    last_instalment_due: date | None = None
    issuing_court_code: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class FilingFacts:
    """执行申请的事实。"""

    title: TitleFacts
    court_code: str
    jurisdiction_basis: (
        str  # "first_instance" | "property_location" | "debtor_domicile" | "upper_court_order"
    )
    materials: frozenset[str]
    received_on: date
    limitation_interrupted_on: date | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """审查意见：代码、中文说明、依据。"""

    code: str
    message: str
    citations: tuple[Citation, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class FilingDecision:
    """立案审查结论：accept 为真时应当立案；refusals 为不予受理（或需补正）的理由，warnings 为提示。"""

    accept: bool
    refusals: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    non_litigation: bool = False
    application_deadline: date | None = None

    @property
    def refusal_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.refusals)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.warnings)


def is_non_litigation(kind: str, *, on: date) -> RuleResult[bool]:
    """该种执行依据是否适用非诉执行的三个月执行期限（读取参数 non_litigation_title_kinds）。"""
    entry = param_entry("non_litigation_title_kinds", on=on)
    return RuleResult(
        value=kind in entry.value,
        citations=merge_citations((entry.citation,)),
        parameters_used=(entry.use(),),
    )


def _period_start(title: TitleFacts) -> date:
    if title.last_instalment_due is not None:
        return title.last_instalment_due
    if title.performance_deadline is not None:
        return title.performance_deadline
    return title.effective_on


def application_deadline(
    title: TitleFacts, *, interrupted_on: date | None = None, holidays: HolidayCalendar | None = None
) -> RuleResult[date]:
    """申请执行期间的最后一日（民事诉讼法第250条：二年）。

    The period runs from the last day of the performance period; for instalments from the last
    instalment's due date; without a performance period from the date the title took effect. An
    interruption (application, settlement, demand, agreement to perform — EXEC-PROC Art. 20)
    restarts the whole period from the interruption date.
    """
    start = _period_start(title)
    require_date(start, "申请执行期间的起算日")
    extra: tuple[Citation, ...] = (CPL_250,)
    if interrupted_on is not None:
        require_date(interrupted_on, "时效中断日")
        if interrupted_on < start:
            raise ValueError(
                f"时效中断日 {interrupted_on.isoformat()} 早于申请执行期间的起算日 {start.isoformat()}"
            )
        start = interrupted_on
        extra = (CPL_250, EXEC_PROC_20)
    period = statutory_deadline("application_time_limit_years", start=start, holidays=holidays)
    return RuleResult(
        value=period.value,
        citations=merge_citations(period.citations[:1], extra, period.citations[1:]),
        parameters_used=period.parameters_used,
    )


def _material_needed(when: str, facts: FilingFacts) -> bool:
    title = facts.title
    if when == "always":
        return True
    if when == "court_title_from_other_court":
        return title.kind in COURT_TITLE_KINDS and title.issuing_court_code != facts.court_code
    if when == "notarised_debt":
        return title.kind == "notarised_debt"
    raise ValueError(f"参数 filing_required_materials 中未知的条件「{when}」")


def _jurisdiction(facts: FilingFacts) -> tuple[list[Finding], list[Finding]]:
    refusals: list[Finding] = []
    warnings: list[Finding] = []
    title, basis = facts.title, facts.jurisdiction_basis
    if basis not in JURISDICTION_BASES:
        known = "、".join(f"{k}（{v}）" for k, v in JURISDICTION_BASES.items())
        refusals.append(
            Finding("jurisdiction_unknown_basis", f"未知的管辖依据「{basis}」，应为 {known} 之一", (CPL_235,))
        )
        return refusals, warnings
    if basis == UPPER_COURT_ORDER:
        return refusals, warnings
    court_title = title.kind in COURT_TITLE_KINDS
    if court_title and basis == "debtor_domicile":
        refusals.append(
            Finding(
                "jurisdiction_basis_not_allowed",
                f"{TITLE_KINDS[title.kind]}由第一审人民法院或者与其同级的被执行财产所在地人民法院执行，"
                "不能以被执行人住所地确定管辖",
                (CPL_235,),
            )
        )
    elif not court_title and basis == "first_instance":
        refusals.append(
            Finding(
                "jurisdiction_basis_not_allowed",
                f"{TITLE_KINDS[title.kind]}由被执行人住所地或者被执行的财产所在地人民法院执行，没有第一审法院",
                (CPL_235,),
            )
        )
    elif basis == "first_instance":
        if title.issuing_court_code is None:
            refusals.append(
                Finding(
                    "jurisdiction_issuing_court_unknown",
                    "未填写作出执行依据的法院，无法核对是否为第一审法院",
                    (CPL_235,),
                )
            )
        elif title.issuing_court_code != facts.court_code:
            refusals.append(
                Finding(
                    "jurisdiction_not_first_instance",
                    f"执行依据由{title.issuing_court_code}作出，本院（{facts.court_code}）不是第一审人民法院；"
                    "应向第一审法院或者与其同级的被执行财产所在地法院申请",
                    (CPL_235,),
                )
            )
    elif court_title and basis == "property_location":
        warnings.append(
            Finding(
                "jurisdiction_check_same_level",
                "以被执行的财产所在地确定管辖的，本院应与第一审人民法院同级，请核对",
                (CPL_235,),
            )
        )
    return refusals, warnings


def filing_check(
    facts: FilingFacts, *, on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[FilingDecision]:
    """审查执行申请是否应当立案（执行工作规定第16条），返回 :class:`FilingDecision`。"""
    require_date(on)
    title = facts.title
    refusals: list[Finding] = []
    warnings: list[Finding] = []
    uses: list[ParameterUse] = []
    citations: list[Citation] = [EXEC_WORK_16]
    deadline: date | None = None
    non_litigation = False

    known_kind = title.kind in TITLE_KINDS
    if not known_kind:
        kinds = "、".join(f"{k}（{v}）" for k, v in TITLE_KINDS.items())
        refusals.append(
            Finding(
                "unknown_title_kind",
                f"未知的执行依据种类「{title.kind}」，应为 {kinds} 之一",
                (EXEC_WORK_16,),
            )
        )
    if title.effective_on > facts.received_on:
        refusals.append(
            Finding(
                "title_not_effective",
                f"执行依据于 {title.effective_on.isoformat()} 生效，"
                f"收到申请时（{facts.received_on.isoformat()}）尚未生效",
                (EXEC_WORK_16,),
            )
        )
    if title.performance_deadline is not None and on <= title.performance_deadline:
        refusals.append(
            Finding(
                "performance_period_running",
                f"履行期限尚未届满（至 {title.performance_deadline.isoformat()}），被执行人尚未逾期不履行",
                (EXEC_WORK_16,),
            )
        )

    if known_kind:
        jurisdiction_refusals, jurisdiction_warnings = _jurisdiction(facts)
        refusals.extend(jurisdiction_refusals)
        warnings.extend(jurisdiction_warnings)
        citations.append(CPL_237 if facts.jurisdiction_basis == UPPER_COURT_ORDER else CPL_235)

        classified = is_non_litigation(title.kind, on=facts.received_on)
        non_litigation = classified.value
        uses.extend(classified.parameters_used)
        if non_litigation:
            citations.extend(classified.citations)

        materials = param_entry("filing_required_materials", on=facts.received_on)
        uses.append(materials.use())
        for item in materials.value:
            if _material_needed(item["when"], facts) and item["code"] not in facts.materials:
                refusals.append(
                    Finding(
                        f"missing_material:{item['code']}",
                        f"缺少申请执行材料：{item['title']}（应一次性告知申请人补正）",
                        (materials.citation, REGFILE_7),
                    )
                )

        limit = application_deadline(title, interrupted_on=facts.limitation_interrupted_on, holidays=holidays)
        deadline = limit.value
        uses.extend(limit.parameters_used)
        if facts.received_on > deadline and facts.jurisdiction_basis != UPPER_COURT_ORDER:
            warnings.append(
                Finding(
                    "application_out_of_time",
                    f"申请执行期间已于 {deadline.isoformat()} 届满。仍应立案；被执行人提出异议且异议成立的，"
                    "裁定不予执行",
                    merge_citations(limit.citations[:1], (CPL_250, JI_CPL_481)),
                )
            )

    decision = FilingDecision(
        accept=not refusals,
        refusals=tuple(refusals),
        warnings=tuple(warnings),
        non_litigation=non_litigation,
        application_deadline=deadline,
    )
    return RuleResult(
        value=decision,
        citations=merge_citations(citations, *(f.citations for f in (*refusals, *warnings))),
        parameters_used=merge_parameter_uses(uses),
    )
