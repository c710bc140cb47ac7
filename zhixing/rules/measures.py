"""强制执行措施：限制消费、失信被执行人名单、罚款、拘留和移送追究拒执罪（参考资料第5—7节）。

Pure functions of :class:`MeasureFacts` and a date. Each returns a
:class:`~zhixing.rules.results.RuleResult`; the decisions are a :class:`Decision` whose ``status`` is

* ``due`` — the law (or this court's rule, see below) requires the measure now: propose it;
* ``allowed`` — the law permits it; a judge decides (e.g. whether the debtor is able but refuses);
* ``forbidden`` — the law excludes it (minor, already performed, sufficient property sealed …);
* ``not_yet`` — its conditions are not (yet) met.

``reasons`` are Chinese sentences for the judge, one per fact considered.

Decisions taken here (where the texts leave a choice):

* **Consumption restriction after the notice period.** XIANGAO15 Art. 1 says the court *may* restrict a
  debtor who has not performed within the period of the enforcement notice; the seed requires it "一律"
  (限期未履行一律限高). We report ``due`` and say in the reasons that the law says "may". A listed debtor
  *must* be restricted (Art. 1 ¶2). The notice period is ``performance_notice_compliance_days`` (a Local
  default) from the deemed delivery, start day not counted, last day rolled over holidays (CPL Art. 85).
* **Minors.** CIVCODE Art. 17: under 18 is a minor. Age in 周岁 is counted from the day *after* the
  birthday (the rule of the former 民通意见 Art. 2, and CIVCODE Art. 201 for periods): on the 18th birthday
  itself the debtor is still treated as a minor. A natural person's birth date must be known before
  listing (``not_yet`` otherwise): a minor may never be listed, whatever the ground (SHIXIN17 Art. 4).
* **Re-listing ban.** SHIXIN17 Art. 10 ¶4 refuses the *applicant's* request to list again within 6 months
  of a deletion made at that applicant's written request. The facts do not say who initiates a listing,
  so :func:`listing` refuses any listing in those 6 months (the judge may still list ex officio for a new
  act of the kind in Art. 1 items (2)–(6) by a decision outside this rule). The 6 months end on the
  corresponding day and are not rolled over holidays: nobody has to act by then.
* **Listing term.** Grounds (2)–(6): 2 years (SHIXIN17 Art. 2), extension 1–3 years in serious cases;
  ground (1) has no fixed term (a [U] reading of Art. 10 ¶2). The term ends on the corresponding day,
  **not** rolled over holidays (rolling would lengthen a sanction; CPL Art. 85 protects a person who must
  act); the data is deleted within 3 working days after that day (Art. 10 ¶2).
* **Ability (失信 vs 失能).** :func:`ability_evidence` reads the debtor as *able* (in whole or in part)
  when property was found that is not yet under control, when he has an income, or when he spends in
  ways the restriction order names; *unable* when nothing beyond controlled property was found and he has
  no income; *unknown* otherwise. It is evidence for the judge, never the finding.
* **Same act, repeated sanctions.** JI-CPL Art. 184: fines and detention are not applied repeatedly for
  the same act. A previous sanction for the same ``act`` forbids a new one, unless it is the other kind
  and was imposed the same day (fine and detention combined, Art. 183). A new act (e.g. another refusal
  after the sanction) must be recorded under a different ``act`` value.
* **Criminal referral.** REFUSE24 Art. 3(4): refusing to report / falsely reporting property, or
  violating a consumption order, *and still refusing after a fine or detention* for that act. We require
  a sanction for the act dated before ``on`` and the violation still present on ``on``.
* The "two or more" network inquiries of the deletion ground (SHIXIN17 Art. 10 ¶1(4)) is the parameter
  ``dishonest_deletion_min_inquiries`` ("以上" includes the number, CIVCODE Art. 1259).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar, add_months, add_working_days
from zhixing.rules.closing import shift_months
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.params import NoValueInForce, ParameterEntry, param_entry, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "BOUND_PERSONS",
    "BOUND_PERSON_LABELS",
    "DEBTOR_KINDS",
    "DELETION_GROUNDS",
    "GROUNDS",
    "SANCTION_KINDS",
    "SPENDING_LABELS",
    "STATUSES",
    "Decision",
    "MeasureFacts",
    "Sanction",
    "ability_evidence",
    "bound_persons",
    "consumption_restriction",
    "correction_deadlines",
    "criminal_referral",
    "deletion",
    "lifting_restriction",
    "listing",
    "listing_ends_on",
    "listing_term",
    "performance_overdue",
    "publication_grace_until",
    "sanction_check",
    "sanction_limits",
]

DEBTOR_KINDS: Mapping[str, str] = MappingProxyType(
    {"natural_person": "自然人", "legal_person": "法人", "other_organisation": "其他组织"}
)
_UNITS = frozenset({"legal_person", "other_organisation"})

STATUSES: Mapping[str, str] = MappingProxyType(
    {"due": "应当采取", "allowed": "可以采取", "forbidden": "不得采取", "not_yet": "尚不具备条件"}
)

#: The six listing grounds of SHIXIN17 Art. 1, in order.
GROUNDS: Mapping[str, str] = MappingProxyType(
    {
        "ability_refusal": "有履行能力而拒不履行生效法律文书确定义务",
        "obstruction": "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
        "evasion": "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
        "asset_report": "违反财产报告制度",
        "consumption_violation": "违反限制消费令",
        "settlement_refusal": "无正当理由拒不履行执行和解协议",
    }
)

#: Persons bound by a unit's consumption restriction (XIANGAO15 Art. 3 ¶2).
BOUND_PERSONS = ("legal_representative", "principal", "directly_responsible", "actual_controller")
BOUND_PERSON_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "legal_representative": "法定代表人",
        "principal": "主要负责人",
        "directly_responsible": "影响债务履行的直接责任人员",
        "actual_controller": "实际控制人",
    }
)

SANCTION_KINDS: Mapping[str, str] = MappingProxyType({"fine": "罚款", "detention": "拘留"})

#: Spending signals (codes used by the services) → the consumption XIANGAO15 Art. 3 ¶1 names.
SPENDING_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "flights": "乘坐飞机",
        "soft_sleeper": "乘坐列车软卧",
        "ship_second_class": "乘坐轮船二等以上舱位",
        "high_speed_rail": "乘坐G字头动车组列车或其他动车组列车一等以上座位",
        "luxury_venues": "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所高消费",
        "real_estate_purchase": "购买不动产或者新建、扩建、高档装修房屋",
        "office_rental": "租赁高档写字楼、宾馆、公寓等场所办公",
        "vehicle_purchase": "购买非经营必需车辆",
        "travel": "旅游、度假",
        "private_school": "子女就读高收费私立学校",
        "insurance": "支付高额保费购买保险理财产品",
    }
)

#: "通过网络执行查控系统查询被执行人财产两次以上" (SHIXIN17 Art. 10 ¶1(4)); "以上" includes the number.

#: Deletion grounds of SHIXIN17 Art. 10, in the order they are checked.
DELETION_GROUNDS: Mapping[str, str] = MappingProxyType(
    {
        "performed": "被执行人已履行生效法律文书确定的义务或者人民法院已执行完毕，或者执行和解协议已履行完毕",
        "applicant_request": "申请执行人书面申请删除失信信息，人民法院审查同意",
        "no_assets": (
            "终结本次执行程序后，通过网络执行查控系统查询被执行人财产两次以上，未发现有可供执行财产，"
            "且申请执行人或者其他人未提供有效财产线索"
        ),
        "suspended": "因审判监督或者破产程序，人民法院依法裁定对失信被执行人中止执行",
        "refused_or_terminated": "人民法院依法裁定不予执行或者终结执行",
        "term_expired": "纳入失信被执行人名单的期限届满",
    }
)

_ACT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "asset_report_violated": "拒绝报告、虚假报告财产或者无正当理由逾期报告财产",
        "consumption_order_violated": "违反限制消费令",
    }
)

# --- citations -------------------------------------------------------------------------------------------
CPL_114 = cite(sources.CPL, "第114条")
CPL_119 = cite(sources.CPL, "第119条")
CPL_251 = cite(sources.CPL, "第251条")
CPL_252 = cite(sources.CPL, "第252条")
JI_CPL_180 = cite(sources.JI_CPL, "第180条")
JI_CPL_183 = cite(sources.JI_CPL, "第183条")
JI_CPL_184 = cite(sources.JI_CPL, "第184条")
JI_CPL_185 = cite(sources.JI_CPL, "第185条")
JI_CPL_188 = cite(sources.JI_CPL, "第188条")
JI_CPL_193 = cite(sources.JI_CPL, "第193条")
INVEST_9 = cite(sources.INVEST, "第9条")
INVEST_10 = cite(sources.INVEST, "第10条")
EXEC_WORK_58 = cite(sources.EXEC_WORK, "第58条")
CIVCODE_201 = cite(sources.CIVCODE, "第201条")
CIVCODE_202 = cite(sources.CIVCODE, "第202条")
CIVCODE_1259 = cite(sources.CIVCODE, "第1259条")
XG15_1 = cite(sources.XIANGAO15, "第1条")
XG15_1_2 = cite(sources.XIANGAO15, "第1条第2款")
XG15_2 = cite(sources.XIANGAO15, "第2条")
XG10_2 = cite(sources.XIANGAO10, "第2条")
XG15_3 = cite(sources.XIANGAO15, "第3条")
XG15_3_2 = cite(sources.XIANGAO15, "第3条第2款")
XG10_5 = cite(sources.XIANGAO10, "第5条")
XG15_9 = cite(sources.XIANGAO15, "第9条")
SX17_1 = cite(sources.SHIXIN17, "第1条")
SX17_2 = cite(sources.SHIXIN17, "第2条")
SX17_3 = cite(sources.SHIXIN17, "第3条")
SX17_4 = cite(sources.SHIXIN17, "第4条")
SX17_10 = cite(sources.SHIXIN17, "第10条")
#: Ground (1) has no fixed term: a reading of Art. 10 ¶2 ("有纳入期限的，不适用前款规定"), [U] in the
#: rules reference.
SX17_10_2_NO_TERM = cite(sources.SHIXIN17, "第10条第2款", "U")
SX17_10_2 = cite(sources.SHIXIN17, "第10条第2款")
SX17_11 = cite(sources.SHIXIN17, "第11条")
SX17_12 = cite(sources.SHIXIN17, "第12条")
SX13_2 = cite(sources.SHIXIN13, "第2条", year=2013)
GF19_14 = cite(sources.GOODFAITH19, "第14条")
GF19_15 = cite(sources.GOODFAITH19, "第15条")
GF19_17 = cite(sources.GOODFAITH19, "第17条")
REFUSE24_3_4 = cite(sources.REFUSE24, "第3条第4项")
REFUSE24_3 = cite(sources.REFUSE24, "第3条")
REFUSE24_5 = cite(sources.REFUSE24, "第5条")
REFUSE24_11 = cite(sources.REFUSE24, "第11条")
REFUSE24_14 = cite(sources.REFUSE24, "第14条")
CRIM_313 = cite(sources.CRIM, "第313条")

GROUND_CITATIONS: Mapping[str, Citation] = MappingProxyType(
    {code: cite(sources.SHIXIN17, f"第1条第{i}项") for i, code in enumerate(GROUNDS, start=1)}
)
_DELETION_CITATIONS: Mapping[str, tuple[Citation, ...]] = MappingProxyType(
    {
        "performed": (
            cite(sources.SHIXIN17, "第10条第1款第1项"),
            cite(sources.SHIXIN17, "第10条第1款第2项"),
        ),
        "applicant_request": (cite(sources.SHIXIN17, "第10条第1款第3项"),),
        "no_assets": (cite(sources.SHIXIN17, "第10条第1款第4项"), CIVCODE_1259),
        "suspended": (cite(sources.SHIXIN17, "第10条第1款第5项"),),
        "refused_or_terminated": (
            cite(sources.SHIXIN17, "第10条第1款第6项"),
            cite(sources.SHIXIN17, "第10条第1款第7项"),
        ),
        "term_expired": (SX17_10_2, SX17_2),
    }
)


# --- facts and decisions ---------------------------------------------------------------------------------


def _money(value: object, what: str, *, optional: bool = False) -> Decimal | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what}应为 Decimal 或整数（金额不用浮点数），收到 {value!r}")
    amount = Decimal(value)
    if amount < 0:
        raise ValueError(f"{what}不能为负数：{amount}")
    return amount


@dataclasses.dataclass(frozen=True, slots=True)
class Sanction:
    """已作出的罚款或拘留：种类、所针对的妨害行为、决定日期。"""

    kind: str  # "fine" | "detention"
    act: str  # the act sanctioned, e.g. "asset_report_violated", "consumption_order_violated", "refusal"
    on: date

    def __post_init__(self) -> None:
        if self.kind not in SANCTION_KINDS:
            raise ValueError(f"未知的惩戒种类「{self.kind}」，应为 {'/'.join(SANCTION_KINDS)} 之一")
        if not isinstance(self.act, str) or not self.act:
            raise ValueError("应写明罚款、拘留所针对的妨害行为（act）")
        require_date(self.on, "罚款、拘留决定日")


@dataclasses.dataclass(frozen=True, slots=True)
class MeasureFacts:
    """决定限制消费、失信、罚款、拘留、移送所依据的事实（由服务层从案件记录汇总）。"""

    debtor_kind: str  # "natural_person" | "legal_person" | "other_organisation"
    debtor_birth_date: date | None  # for the minors rule
    notice_delivered_on: date | None  # deemed delivery of the 执行通知书
    fully_performed: bool  # ledger shows full performance / settlement performed
    outstanding: Decimal  # still owed (yuan)
    controlled_value: Decimal = Decimal(0)  # value of property sealed/frozen
    guarantee_provided: bool = False  # sufficient, effective guarantee
    assets_found_value: Decimal = Decimal(0)  # everything the inquiries found
    monthly_income: Decimal | None = None
    spending: tuple[str, ...] = ()  # signals of spending (codes of SPENDING_LABELS or free text)
    asset_report_violated: bool = False  # refused / false / late property report (ground 4)
    consumption_order_violated: bool = False  # ground (5)
    obstruction: bool = False  # ground (2): forged evidence, violence, threats
    evasion: bool = False  # ground (3): false litigation, hiding/transferring property
    settlement_refused: bool = False  # ground (6)
    consumption_restriction_active: bool = False
    listing_active: bool = False
    applicant_deletion_requested_on: date | None = None  # last deletion at the applicant's request
    closed_no_assets_on: date | None = None
    inquiries_after_closure_without_property: int = 0
    valid_leads_after_closure: bool = False
    suspended_for_retrial_or_bankruptcy: bool = False
    refused_or_terminated: bool = False  # 不予执行 / 终结执行 ruling
    sanctions: tuple[Sanction, ...] = ()  # detentions and fines already imposed
    applicant_consents_lifting: bool = (
        False  # the applicant agrees to lift the restriction (XIANGAO15 Art. 9)
    )

    def __post_init__(self) -> None:
        if self.debtor_kind not in DEBTOR_KINDS:
            raise ValueError(f"未知的被执行人类型「{self.debtor_kind}」，应为 {'/'.join(DEBTOR_KINDS)} 之一")
        object.__setattr__(self, "outstanding", _money(self.outstanding, "尚未履行金额"))
        object.__setattr__(self, "controlled_value", _money(self.controlled_value, "已控制财产价值"))
        object.__setattr__(self, "assets_found_value", _money(self.assets_found_value, "查控发现财产价值"))
        object.__setattr__(self, "monthly_income", _money(self.monthly_income, "月收入", optional=True))
        for name, what in (
            ("debtor_birth_date", "出生日期"),
            ("notice_delivered_on", "执行通知书送达日"),
            ("applicant_deletion_requested_on", "应申请删除失信信息之日"),
            ("closed_no_assets_on", "终本结案日"),
        ):
            value = getattr(self, name)
            if value is not None:
                require_date(value, what)
        count = self.inquiries_after_closure_without_property
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"终本后查询次数应为非负整数，收到 {count!r}")
        object.__setattr__(self, "spending", tuple(self.spending))
        sanctions = tuple(self.sanctions)
        for s in sanctions:
            if not isinstance(s, Sanction):
                raise TypeError(f"已作出的罚款、拘留应为 Sanction，收到 {s!r}")
        object.__setattr__(self, "sanctions", sanctions)

    @property
    def is_unit(self) -> bool:
        """被执行人是单位（法人或其他组织）。"""
        return self.debtor_kind in _UNITS


@dataclasses.dataclass(frozen=True, slots=True)
class Decision:
    """措施决定：状态、理由（中文，每项事实一句）、失信事由和纳入期限。"""

    status: str  # "due" | "allowed" | "forbidden" | "not_yet"
    reasons: tuple[str, ...]
    ground: str = ""  # listing ground code (GROUNDS); services may put another code here (not checked)
    term_years: int | None = None  # listing term; None = no fixed term (ground 1) or not a listing

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"未知的决定状态「{self.status}」，应为 {'/'.join(STATUSES)} 之一")

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def ground_label(self) -> str:
        return GROUNDS.get(self.ground, "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": list(self.reasons),
            "ground": self.ground,
            "term_years": self.term_years,
        }


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _decision(
    status: str,
    reasons: Iterable[str],
    citations: Iterable[Citation | Iterable[Citation]],
    uses: Iterable[ParameterUse | Iterable[ParameterUse]] = (),
    *,
    ground: str = "",
    term_years: int | None = None,
) -> RuleResult[Decision]:
    def flat(items: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, Citation | ParameterUse):
                out.append(item)
            else:
                out.extend(item)
        return out

    return RuleResult(
        value=Decision(status, tuple(reasons), ground, term_years),
        citations=merge_citations(flat(citations)),
        parameters_used=merge_parameter_uses(flat(uses)),
    )


# --- performance period and consumption restriction ------------------------------------------------------


def _notice_period(facts: MeasureFacts, holidays: HolidayCalendar | None) -> RuleResult[date] | None:
    if facts.notice_delivered_on is None:
        return None
    return statutory_deadline(
        "performance_notice_compliance_days", start=facts.notice_delivered_on, holidays=holidays
    )


def performance_overdue(
    facts: MeasureFacts, *, on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[bool]:
    """执行通知书指定的履行期间（自视为送达之日起算）已届满而未全部履行。"""
    require_date(on)
    period = _notice_period(facts, holidays)
    if period is None:
        return RuleResult(False, (CPL_251,))
    return RuleResult(
        on > period.value and not facts.fully_performed,
        merge_citations((CPL_251,), period.citations),
        period.parameters_used,
    )


def _grace(on: date) -> tuple[list[str], tuple[Citation, ...], tuple[ParameterUse, ...]]:
    """The grace-period sentence (GOODFAITH19 Art. 15); nothing before the opinion was issued."""
    try:
        low = param_entry("publication_grace_min_months", on=on)
        high = param_entry("publication_grace_max_months", on=on)
    except NoValueInForce:
        return [], (), ()
    text = (
        f"可以结合案件具体情况给予被执行人{low.value}至{high.value}个月的宽限期，宽限期内暂不发布其失信或者"
        "限制消费信息，期满仍未履行的再发布并采取惩戒措施（善意文明执行意见第15条）"
    )
    return [text], (GF19_15,), (low.use(), high.use())


def _bound_persons_text() -> str:
    names = "、".join(BOUND_PERSON_LABELS[p] for p in BOUND_PERSONS)
    return (
        f"被执行人为单位的，单位及其{names}不得以单位财产实施高消费及非生活或者经营必需的有关消费"
        "（限高规定第3条第2款）"
    )


def consumption_restriction(
    facts: MeasureFacts, *, on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[Decision]:
    """限制消费：逾期未履行的（本院规则一律）或已纳入失信名单的（应当），提出限制消费。"""
    require_date(on)
    if facts.fully_performed:
        return _decision(
            "forbidden",
            [
                "被执行人已全部履行生效法律文书确定的义务（或执行和解协议已履行完毕），不得限制消费；已限制的应当及时解除"
            ],
            [XG15_1, XG15_9],
        )
    if facts.consumption_restriction_active:
        return _decision("forbidden", ["已对被执行人限制消费，限制消费令仍在执行中，无须重复发出"], [XG15_1])

    reasons: list[str] = []
    citations: list[Citation] = [XG15_1]
    uses: list[ParameterUse] = []
    if facts.listing_active:
        reasons.append(
            "被执行人已被纳入失信被执行人名单，人民法院应当对其采取限制消费措施（限高规定第1条第2款）"
        )
        citations.append(XG15_1_2)
    else:
        period = _notice_period(facts, holidays)
        if period is None:
            return _decision(
                "not_yet", ["执行通知书尚未送达，指定的履行期间尚未起算，不得限制消费"], [XG15_1, CPL_251]
            )
        citations += [CPL_251, *period.citations]
        uses += period.parameters_used
        delivered = facts.notice_delivered_on
        assert delivered is not None
        if on <= period.value:
            return _decision(
                "not_yet",
                [
                    f"执行通知书于{delivered.isoformat()}送达，指定的履行期间至{period.value.isoformat()}届满；"
                    "期满仍未履行的，方可限制消费"
                ],
                citations,
                uses,
            )
        reasons.append(
            f"执行通知书于{delivered.isoformat()}送达，指定的履行期间已于{period.value.isoformat()}届满，"
            f"被执行人仍未全部履行（尚欠{_yuan(facts.outstanding)}）"
        )
        reasons.append(
            "法律规定为「可以」限制消费（限高规定第1条第1款），应综合考虑被执行人是否消极履行、规避执行或者"
            "抗拒执行以及履行能力等因素（第2条）；本院执行「限期未履行一律限高」的要求，故提出限制消费，"
            "由承办法官决定"
        )
        citations += [XG15_2, XG10_2]
    if facts.is_unit:
        reasons.append(_bound_persons_text())
        citations.append(XG15_3_2)
    else:
        reasons.append(
            "被执行人为自然人的，不得以其财产实施高消费及非生活和工作必需的消费行为（限高规定第3条）"
        )
        citations.append(XG15_3)
    reasons.append("限制消费令由院长签发，写明限制消费的期间、项目和法律后果（限高规定第5条）")
    citations.append(XG10_5)
    grace_reasons, grace_citations, grace_uses = _grace(on)
    reasons += grace_reasons
    return _decision("due", reasons, [citations, grace_citations], [uses, grace_uses])


def bound_persons(debtor_kind: str) -> RuleResult[tuple[str, ...]]:
    """单位被限制消费时一并受约束的人员：法定代表人、主要负责人、直接责任人员、实际控制人。"""
    if debtor_kind not in DEBTOR_KINDS:
        raise ValueError(f"未知的被执行人类型「{debtor_kind}」，应为 {'/'.join(DEBTOR_KINDS)} 之一")
    if debtor_kind in _UNITS:
        return RuleResult(BOUND_PERSONS, (XG15_3_2, GF19_17))
    return RuleResult((), (XG15_3,))


def lifting_restriction(facts: MeasureFacts, *, on: date) -> RuleResult[Decision]:
    """解除限制消费：全部履行的应当及时解除；提供确实有效的担保或申请执行人同意的，可以解除。"""
    require_date(on)
    if not facts.consumption_restriction_active:
        return _decision("forbidden", ["未对被执行人限制消费，无须解除"], [XG15_9])
    if facts.fully_performed:
        return _decision(
            "due",
            [
                "被执行人已全部履行生效法律文书确定的义务，人民法院应当在原通知或者公告的范围内及时解除限制消费（限高规定第9条）"
            ],
            [XG15_9],
        )
    if facts.listing_active:
        return _decision(
            "forbidden",
            [
                "被执行人仍在失信被执行人名单中，依法应当限制消费（限高规定第1条第2款），删除失信信息前不得解除"
            ],
            [XG15_1_2, XG15_9],
        )
    reasons: list[str] = []
    if facts.guarantee_provided:
        reasons.append("被执行人提供了确实有效的担保，人民法院可以解除限制消费（限高规定第9条）")
    if facts.applicant_consents_lifting:
        reasons.append("申请执行人同意解除，人民法院可以解除限制消费（限高规定第9条）")
    if reasons:
        return _decision("allowed", reasons, [XG15_9])
    return _decision(
        "not_yet",
        ["被执行人尚未全部履行，未提供确实有效的担保，申请执行人亦未同意解除，不得解除限制消费"],
        [XG15_9],
    )


# --- ability ---------------------------------------------------------------------------------------------


def _spending_label(signal: str) -> str:
    code = signal.strip().lower().replace(" ", "_").replace("-", "_")
    return SPENDING_LABELS.get(code, signal)


def ability_evidence(facts: MeasureFacts) -> RuleResult[dict[str, Any]]:
    """履行能力的证据（区分「失信」与「失能」）：{"able": True/False/None, "items": [中文]}。"""
    items: list[str] = []
    positive = False
    found, controlled, outstanding = facts.assets_found_value, facts.controlled_value, facts.outstanding
    if found > 0:
        items.append(f"查控共发现被执行人财产价值{_yuan(found)}")
    else:
        items.append("查控未发现被执行人有可供执行的财产")
    if controlled > 0:
        enough = "足以" if controlled >= outstanding else "不足以"
        items.append(f"已查封、扣押、冻结财产价值{_yuan(controlled)}，{enough}清偿尚欠的{_yuan(outstanding)}")
    if found > controlled:
        positive = True
        items.append(f"尚有价值{_yuan(found - controlled)}的财产未被控制，被执行人可以自行处分用于履行")
    if facts.monthly_income is None:
        items.append("被执行人的收入情况不明")
    elif facts.monthly_income > 0:
        positive = True
        items.append(
            f"被执行人有收入，月收入{_yuan(facts.monthly_income)}，扣除本人及所扶养家属必需的生活费用后可用于履行"
        )
    else:
        items.append("被执行人无收入")
    if facts.spending:
        positive = True
        items.append(
            "被执行人有与未履行义务不相称的消费：" + "、".join(_spending_label(s) for s in facts.spending)
        )

    able: bool | None
    if positive:
        able = True
        items.append("结论：被执行人有全部或者部分履行能力，拒不履行的属「失信」（有履行能力而拒不履行）")
    elif facts.monthly_income is not None:
        able = False
        items.append(
            "结论：除已控制的财产外未发现履行能力，属「失能」（确无履行能力），不属于有能力而拒不履行"
        )
    else:
        able = None
        items.append("结论：现有证据不足以认定有无履行能力，应继续调查（责令报告财产、查控、询问）")
    return RuleResult(
        {"able": able, "items": items}, (GROUND_CITATIONS["ability_refusal"], SX17_3, REFUSE24_5)
    )


# --- dishonest-debtor list -------------------------------------------------------------------------------


def _check_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what}应为整数，收到 {value!r}")
    return value


def listing_term(ground: str, *, on: date, extension_years: int = 0) -> RuleResult[int | None]:
    """纳入期限：第（二）至（六）项二年（严重的可延长一至三年）；第（一）项无固定期限（None）。"""
    require_date(on)
    if ground not in GROUNDS:
        raise ValueError(f"未知的失信事由「{ground}」，应为 {'/'.join(GROUNDS)} 之一")
    extension_years = _check_int(extension_years, "延长年数")
    if ground == "ability_refusal":
        if extension_years:
            raise ValueError("依第1条第1项纳入的无固定期限，不适用延长")
        return RuleResult(None, (SX17_2, SX17_10_2_NO_TERM))
    base = param_entry("dishonest_listing_term_years", on=on)
    uses = [base.use()]
    citations = [base.citation]
    if extension_years:
        low = param_entry("dishonest_listing_extension_min_years", on=on)
        high = param_entry("dishonest_listing_extension_max_years", on=on)
        if not low.value <= extension_years <= high.value:
            raise ValueError(f"纳入期限只能延长{low.value}至{high.value}年，收到 {extension_years} 年")
        uses += [low.use(), high.use()]
        citations += [low.citation, high.citation]
    return RuleResult(
        int(base.value) + extension_years, merge_citations(citations), merge_parameter_uses(uses)
    )


def _adult_from(birth: date, entry: ParameterEntry) -> date:
    """成年之日：满周岁生日的次日（见模块说明）。"""
    return shift_months(birth, 12 * int(entry.value)) + timedelta(days=1)


def _relisting_ban(deleted_on: date | None) -> ParameterEntry | None:
    """The 6-month ban after a deletion at the applicant's request (none before SHIXIN17 took effect)."""
    if deleted_on is None:
        return None
    try:
        return param_entry("dishonest_relisting_ban_months", on=deleted_on)
    except NoValueInForce:
        return None


def listing(
    facts: MeasureFacts, *, on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[Decision]:
    """失信被执行人名单：逐项审查第1条六种情形及第3条、第4条、第10条的限制。"""
    require_date(on)
    if facts.fully_performed:
        return _decision(
            "forbidden",
            ["被执行人已全部履行生效法律文书确定的义务（或执行和解协议已履行完毕），不得纳入失信名单"],
            [SX17_1, _DELETION_CITATIONS["performed"]],
        )
    if facts.listing_active:
        return _decision("forbidden", ["被执行人已在失信被执行人名单中，不得重复纳入"], [SX17_1])
    uses: list[ParameterUse] = []
    citations: list[Citation] = [SX17_1]
    if facts.debtor_kind == "natural_person":
        age = param_entry("adult_age_years", on=on)
        uses.append(age.use())
        if facts.debtor_birth_date is None:
            return _decision(
                "not_yet",
                [f"被执行人出生日期不明，须先核实其已满{age.value}周岁（未成年人不得纳入失信名单）"],
                [SX17_4, age.citation],
                uses,
            )
        if facts.debtor_birth_date > on:
            raise ValueError(f"出生日期 {facts.debtor_birth_date.isoformat()} 晚于审查日 {on.isoformat()}")
        if on < _adult_from(facts.debtor_birth_date, age):
            return _decision(
                "forbidden",
                [f"被执行人未满{age.value}周岁，不得纳入失信名单（失信规定第4条）"],
                [SX17_4, age.citation],
                uses,
            )
    ban = _relisting_ban(facts.applicant_deletion_requested_on)
    if ban is not None and facts.applicant_deletion_requested_on is not None:
        ban_end = shift_months(facts.applicant_deletion_requested_on, int(ban.value))
        if on <= ban_end:
            return _decision(
                "forbidden",
                [
                    f"应申请执行人书面申请已于{facts.applicant_deletion_requested_on.isoformat()}删除失信信息，"
                    f"{ban.value}个月内（至{ban_end.isoformat()}）申请执行人申请再次纳入的，人民法院不予支持"
                    "（失信规定第10条第4款）"
                ],
                [ban.citation],
                [*uses, ban.use()],
            )

    reasons: list[str] = []
    flagged = {
        "obstruction": facts.obstruction,
        "evasion": facts.evasion,
        "asset_report": facts.asset_report_violated,
        "consumption_violation": facts.consumption_order_violated,
        "settlement_refusal": facts.settlement_refused,
    }
    due_grounds = [code for code, present in flagged.items() if present]
    for code in due_grounds:
        reasons.append(
            f"被执行人{GROUNDS[code]}，应当纳入失信名单（失信规定第1条第{list(GROUNDS).index(code) + 1}项）"
        )
        citations.append(GROUND_CITATIONS[code])
    if facts.asset_report_violated:
        reasons.append("违反财产报告制度的，人民法院应当将其纳入失信被执行人名单（财产调查规定第10条）")
        citations.append(INVEST_10)

    exempt: list[str] = []
    if facts.guarantee_provided:
        exempt.append("被执行人已提供确实有效的担保")
    if facts.controlled_value >= facts.outstanding:
        exempt.append(
            f"已查封、扣押、冻结的财产价值{_yuan(facts.controlled_value)}足以清偿尚欠的{_yuan(facts.outstanding)}"
        )

    if due_grounds:
        ground = due_grounds[0]
        term = listing_term(ground, on=on)
        assert term.value is not None
        citations += term.citations
        uses += term.parameters_used
        reasons.append(f"纳入期限为{term.value}年（失信规定第2条）")
        if len(due_grounds) > 1 or facts.obstruction:
            low = param_entry("dishonest_listing_extension_min_years", on=on)
            high = param_entry("dishonest_listing_extension_max_years", on=on)
            uses += [low.use(), high.use()]
            why = "具有多项失信行为" if len(due_grounds) > 1 else "以暴力、威胁方法妨碍、抗拒执行情节严重"
            reasons.append(f"{why}的，可以延长{low.value}至{high.value}年（失信规定第2条）")
        if exempt:
            reasons.append(
                "；".join(exempt)
                + "，不得依第1条第1项（有履行能力而拒不履行）纳入，但不影响依上述情形纳入（第3条）"
            )
            citations.append(SX17_3)
        return _listing_due("due", facts, on, reasons, citations, uses, ground=ground, term_years=term.value)

    if exempt:
        return _decision(
            "forbidden",
            ["；".join(exempt) + "，不得以有履行能力而拒不履行为由纳入失信名单（失信规定第3条）"],
            [*citations, SX17_3, GROUND_CITATIONS["ability_refusal"]],
            uses,
        )
    reasons.append("未发现失信规定第1条第2项至第6项规定的情形")
    ability = ability_evidence(facts)
    citations += ability.citations
    reasons += ability.value["items"]
    if ability.value["able"] is not True:
        return _decision("not_yet", reasons, citations, uses)
    overdue = performance_overdue(facts, on=on, holidays=holidays)
    citations += overdue.citations
    uses += overdue.parameters_used
    if not overdue.value:
        reasons.append("执行通知书指定的履行期间尚未届满（或执行通知书尚未送达），尚不能认定拒不履行")
        return _decision("not_yet", reasons, citations, uses)
    reasons.append("执行通知书指定的履行期间已届满，被执行人仍未履行")
    reasons.append(
        "是否「有履行能力而拒不履行」由承办法官依上述证据认定；认定的，应当纳入失信名单（失信规定第1条第1项），"
        "本院执行「有能力而拒不履行一律纳入失信名单」的要求"
    )
    reasons.append("依第1条第1项纳入的无固定期限，出现第10条规定的删除情形时删除")
    term_result = listing_term("ability_refusal", on=on)
    citations += term_result.citations
    return _listing_due(
        "allowed", facts, on, reasons, citations, uses, ground="ability_refusal", term_years=None
    )


def _listing_due(
    status: str,
    facts: MeasureFacts,
    on: date,
    reasons: list[str],
    citations: list[Citation],
    uses: list[ParameterUse],
    *,
    ground: str,
    term_years: int | None,
) -> RuleResult[Decision]:
    reasons.append(
        "纳入决定书应当写明纳入的理由和期限，由院长签发，自作出之日起生效，并应当依照民事诉讼法规定的方式送达"
        "（2013年失信规定第2条；善意文明执行意见第14条）"
    )
    citations += [SX13_2, GF19_14]
    if not facts.consumption_restriction_active:
        reasons.append("纳入失信名单的被执行人，应当同时限制消费（限高规定第1条第2款）")
        citations.append(XG15_1_2)
    grace_reasons, grace_citations, grace_uses = _grace(on)
    reasons += grace_reasons
    return _decision(
        status,
        reasons,
        [citations, grace_citations],
        [uses, grace_uses],
        ground=ground,
        term_years=term_years,
    )


def listing_ends_on(listed_on: date, term_years: int) -> RuleResult[date]:
    """有期限的纳入期限的最后一日：纳入之日起 term_years 年的对应日（不顺延节假日，见模块说明）。"""
    require_date(listed_on, "纳入日")
    term_years = _check_int(term_years, "纳入期限")
    if term_years < 1:
        raise ValueError(f"纳入期限应至少为一年，收到 {term_years}")
    return RuleResult(shift_months(listed_on, 12 * term_years), (SX17_2, CIVCODE_201, CIVCODE_202))


def deletion(
    facts: MeasureFacts,
    *,
    listed_on: date,
    term_years: int | None,
    on: date,
    holidays: HolidayCalendar | None = None,
) -> RuleResult[tuple[str, date] | None]:
    """删除失信信息：适用的第一个删除事由及应当删除的最后一日（三个工作日内）；无事由时为 None。

    A listing without a term (ground 1) is deleted within 3 working days from ``on`` when a ground of
    Art. 10 ¶1 applies. A listing with a term is deleted only when the term has expired, within 3 working
    days after its last day (Art. 10 ¶2); early deletion for active performance (Art. 2 ¶3) is a judge's call.
    """
    require_date(listed_on, "纳入日")
    require_date(on)
    if on < listed_on:
        raise ValueError(f"审查日 {on.isoformat()} 早于纳入日 {listed_on.isoformat()}")
    entry = param_entry("dishonest_deletion_working_days", on=on)
    if term_years is not None:
        term_end = listing_ends_on(listed_on, term_years).value
        if on <= term_end:
            return RuleResult(None, (SX17_10_2, SX17_2), (entry.use(),))
        period = add_working_days(term_end, int(entry.value), holidays=holidays)
        return RuleResult(
            ("term_expired", period.value),
            merge_citations(_DELETION_CITATIONS["term_expired"], (entry.citation,), period.citations),
            merge_parameter_uses((entry.use(),), period.parameters_used),
        )

    requested = facts.applicant_deletion_requested_on
    closed = facts.closed_no_assets_on
    min_inquiries = param_entry("dishonest_deletion_min_inquiries", on=on)
    grounds = {
        "performed": facts.fully_performed,
        "applicant_request": requested is not None and listed_on <= requested <= on,
        "no_assets": closed is not None
        and closed <= on
        and facts.inquiries_after_closure_without_property >= int(min_inquiries.value)
        and not facts.valid_leads_after_closure,
        "suspended": facts.suspended_for_retrial_or_bankruptcy,
        "refused_or_terminated": facts.refused_or_terminated,
    }
    code = next((c for c, applies in grounds.items() if applies), None)
    if code is None:
        return RuleResult(None, (SX17_10,), (entry.use(), min_inquiries.use()))
    period = add_working_days(on, int(entry.value), holidays=holidays)
    return RuleResult(
        (code, period.value),
        merge_citations(_DELETION_CITATIONS[code], (entry.citation,), period.citations),
        merge_parameter_uses((entry.use(), min_inquiries.use()), period.parameters_used),
    )


def correction_deadlines(
    applied_on: date,
    *,
    holidays: HolidayCalendar | None = None,
    justified_on: date | None = None,
    rejection_served_on: date | None = None,
    reconsideration_received_on: date | None = None,
) -> RuleResult[dict[str, date]]:
    """纠正失信信息的期限：审查（十五日）、纠正（三个工作日）、申请复议（十日）、复议决定（十五日）。

    Always ``review_by`` (15 days from the written application). The other nodes run from later events
    and are returned when their start is given: ``correct_by`` (3 working days from the finding that the
    application is justified), ``reconsideration_apply_by`` (10 days from service of the rejection),
    ``reconsideration_decide_by`` (15 days from the upper court's receipt). ``parameters_used`` always lists
    all four periods.
    """
    require_date(applied_on, "纠正申请日")
    names = (
        ("review_by", "dishonest_correction_review_days", applied_on),
        ("correct_by", "dishonest_correction_working_days", justified_on),
        ("reconsideration_apply_by", "dishonest_reconsideration_application_days", rejection_served_on),
        ("reconsideration_decide_by", "dishonest_reconsideration_decision_days", reconsideration_received_on),
    )
    value: dict[str, date] = {}
    citations: list[Citation] = [SX17_11, SX17_12]
    uses: list[ParameterUse] = []
    for key, parameter, start in names:
        if start is None:
            entry = param_entry(parameter, on=applied_on)
            citations.append(entry.citation)
            uses.append(entry.use())
            continue
        require_date(start)
        if start < applied_on:
            raise ValueError(f"{key} 的起算日 {start.isoformat()} 早于纠正申请日 {applied_on.isoformat()}")
        period = statutory_deadline(parameter, start=start, holidays=holidays)
        value[key] = period.value
        citations += period.citations
        uses += period.parameters_used
    return RuleResult(value, merge_citations(citations), merge_parameter_uses(uses))


def publication_grace_until(
    decided_on: date, months: int, *, holidays: HolidayCalendar | None = None
) -> RuleResult[date]:
    """宽限期届满日：决定纳入失信名单或限制消费后给予一至三个月宽限期，期内暂不发布信息。"""
    require_date(decided_on, "决定日")
    months = _check_int(months, "宽限期月数")
    low = param_entry("publication_grace_min_months", on=decided_on)
    high = param_entry("publication_grace_max_months", on=decided_on)
    if not low.value <= months <= high.value:
        raise ValueError(f"宽限期应为{low.value}至{high.value}个月，收到 {months} 个月")
    period = add_months(decided_on, months, holidays=holidays)
    return RuleResult(
        period.value,
        merge_citations((GF19_15,), period.citations),
        merge_parameter_uses((low.use(), high.use()), period.parameters_used),
    )


# --- fines, detention, criminal referral -----------------------------------------------------------------


def _subject_is_unit(subject_kind: str) -> bool:
    if subject_kind not in DEBTOR_KINDS:
        raise ValueError(f"未知的被惩戒人类型「{subject_kind}」，应为 {'/'.join(DEBTOR_KINDS)} 之一")
    return subject_kind in _UNITS


def sanction_limits(
    kind: str, subject_kind: str, *, on: date
) -> RuleResult[tuple[Decimal | int, Decimal | int]]:
    """罚款、拘留的法定幅度：个人罚款 (0, 10万]、单位罚款 [5万, 100万] 元；拘留 (0, 15] 日。

    The lower bound 0 is exclusive (a fine or detention of nothing is no measure); the unit minimum is
    inclusive. A unit cannot be detained: ValueError (detain its principal or the persons responsible).
    """
    require_date(on)
    if kind not in SANCTION_KINDS:
        raise ValueError(f"未知的惩戒种类「{kind}」，应为 {'/'.join(SANCTION_KINDS)} 之一")
    unit = _subject_is_unit(subject_kind)
    if kind == "detention":
        if unit:
            raise ValueError("单位不能被拘留；可以拘留其主要负责人或者直接责任人员")
        entry = param_entry("detention_max_days", on=on)
        return RuleResult((0, int(entry.value)), (entry.citation,), (entry.use(),))
    if unit:
        low = param_entry("fine_min_unit_yuan", on=on)
        high = param_entry("fine_max_unit_yuan", on=on)
        return RuleResult(
            (Decimal(low.value), Decimal(high.value)),
            merge_citations((low.citation, high.citation, JI_CPL_193)),
            (low.use(), high.use()),
        )
    high = param_entry("fine_max_individual_yuan", on=on)
    return RuleResult((Decimal(0), Decimal(high.value)), (high.citation, JI_CPL_193), (high.use(),))


def _sanction_amount(kind: str, amount: object) -> Decimal | int:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"罚款金额或拘留日数应为 Decimal 或整数，收到 {amount!r}")
    if kind == "detention":
        if isinstance(amount, Decimal):
            if amount != amount.to_integral_value():
                raise ValueError(f"拘留以日计，应为整数日，收到 {amount}")
            return int(amount)
        return amount
    return Decimal(amount)


def sanction_check(
    kind: str,
    subject_kind: str,
    amount: Decimal | int,
    act: str,
    *,
    previous: tuple[Sanction, ...],
    on: date,
) -> RuleResult[Decision]:
    """罚款、拘留的审查：超出法定幅度或对同一行为连续适用的不得作出；否则可以作出（须经院长批准）。"""
    require_date(on)
    if not isinstance(act, str) or not act:
        raise ValueError("应写明罚款、拘留所针对的妨害行为（act）")
    label = SANCTION_KINDS.get(kind)
    if label is None:
        raise ValueError(f"未知的惩戒种类「{kind}」，应为 {'/'.join(SANCTION_KINDS)} 之一")
    value = _sanction_amount(kind, amount)
    if kind == "detention" and _subject_is_unit(subject_kind):
        return _decision(
            "forbidden",
            ["单位不能被拘留；可以对其主要负责人或者直接责任人员予以拘留（民事诉讼法第117条、第118条）"],
            [cite(sources.CPL, "第117条"), cite(sources.CPL, "第118条")],
        )
    limits = sanction_limits(kind, subject_kind, on=on)
    low, high = limits.value
    citations: list[Citation] = list(limits.citations)
    uses: list[ParameterUse] = list(limits.parameters_used)
    unit = _subject_is_unit(subject_kind)
    who = "单位" if unit else "个人"
    if kind == "detention":
        shown, bounds = f"{value}日", f"{high}日以下"
    elif unit:
        shown, bounds = _yuan(Decimal(value)), f"{_yuan(Decimal(low))}以上{_yuan(Decimal(high))}以下"
    else:
        shown, bounds = _yuan(Decimal(value)), f"{_yuan(Decimal(high))}以下"
    if value <= 0:
        return _decision("forbidden", [f"{label}应大于零，收到{shown}"], citations, uses)
    if value > high:
        return _decision(
            "forbidden",
            [f"对{who}{label}{shown}，超过法定上限：对{who}{label}为{bounds}（民事诉讼法第118条）"],
            citations,
            uses,
        )
    if value < low:
        return _decision(
            "forbidden",
            [f"对{who}{label}{shown}，低于法定下限：对{who}{label}为{bounds}（民事诉讼法第118条）"],
            citations,
            uses,
        )
    reasons = [f"对{who}{label}{shown}，在法定幅度内（{bounds}）"]

    earlier = sorted((s for s in previous if s.act == act and s.on <= on), key=lambda s: s.on)
    if earlier:
        combined = all(s.on == on and s.kind != kind for s in earlier)
        if not combined:
            first = earlier[-1]
            return _decision(
                "forbidden",
                [
                    f"已于{first.on.isoformat()}对同一妨害行为作出{SANCTION_KINDS[first.kind]}，罚款、拘留不得连续适用；"
                    "发生新的妨害行为的，可以重新予以罚款、拘留（民诉法解释第184条）"
                ],
                [*citations, JI_CPL_184],
                uses,
            )
        reasons.append(
            "罚款、拘留可以合并适用：本次与同日对同一行为作出的另一措施合并适用（民诉法解释第183条）"
        )
        citations.append(JI_CPL_183)

    if kind == "fine":
        reasons.append(
            "罚款金额应根据妨害行为的性质、情节、后果，当地经济发展水平以及诉讼标的额等因素确定（民诉法解释第193条）"
        )
        citations.append(JI_CPL_193)
    else:
        notice = param_entry("detention_family_notice_hours", on=on)
        reasons.append(
            f"拘留由公安机关看管；拘留后应当在{notice.value}小时内通知被拘留人的家属（民诉法解释第180条）"
        )
        citations.append(notice.citation)
        uses.append(notice.use())
    apply = param_entry("sanction_reconsideration_application_days", on=on)
    decide = param_entry("sanction_reconsideration_decision_days", on=on)
    reasons.append("罚款、拘留须经院长批准，并用决定书作出（民事诉讼法第119条）")
    reasons.append(
        f"被罚款、拘留人不服的，可以自收到决定书之日起{apply.value}日内向上一级人民法院申请复议一次，上一级人民法院"
        f"应当在收到复议申请后{decide.value}日内作出决定；复议期间不停止执行（民事诉讼法第119条；民诉法解释第185条）"
    )
    citations += [CPL_119, apply.citation, decide.citation]
    uses += [apply.use(), decide.use()]
    return _decision("allowed", reasons, citations, uses)


def criminal_referral(facts: MeasureFacts, *, on: date) -> RuleResult[Decision]:
    """移送追究拒不执行判决、裁定罪：拒报、虚报财产或违反限制消费令，经罚款、拘留后仍拒不执行的。"""
    require_date(on)
    reasons: list[str] = []
    citations: list[Citation] = [CRIM_313, REFUSE24_3_4]
    continuing = {
        "asset_report_violated": facts.asset_report_violated,
        "consumption_order_violated": facts.consumption_order_violated,
    }
    due = False
    for act, present in continuing.items():
        if not present:
            continue
        label = _ACT_LABELS[act]
        prior = sorted((s for s in facts.sanctions if s.act == act and s.on < on), key=lambda s: s.on)
        if prior:
            due = True
            last = prior[-1]
            reasons.append(
                f"被执行人{label}，已于{last.on.isoformat()}因该行为被{SANCTION_KINDS[last.kind]}，仍拒不改正，"
                "属于拒不执行判决、裁定「情节严重」的情形（两高解释第3条第4项；刑法第313条）"
            )
        else:
            reasons.append(
                f"被执行人{label}，尚未因该行为被罚款、拘留：应先依法罚款、拘留（民事诉讼法第114条），"
                "罚款、拘留后仍拒不执行的，方属拒执罪的「情节严重」"
            )
            citations.append(CPL_114)
            if act == "asset_report_violated":
                citations += [CPL_252, INVEST_9]
            else:
                citations.append(JI_CPL_188)
    other = facts.evasion or facts.obstruction
    if other:
        what = "隐匿、转移财产等规避执行" if facts.evasion else "以暴力、威胁等方法妨碍、抗拒执行"
        reasons.append(
            f"被执行人{what}，情节严重的可能构成拒不执行判决、裁定罪（两高解释第3条），由承办法官审查决定是否移送"
        )
        citations.append(REFUSE24_3)

    if not due and not other:
        if not reasons:
            reasons.append(
                "未发现经罚款、拘留后仍拒不报告财产或者违反限制消费令的情形，不具备移送追究刑事责任的条件"
            )
        return _decision("not_yet", reasons, citations)

    ability = ability_evidence(facts)
    reasons.append(f"履行能力（两高解释第5条）：{ability.value['items'][-1].removeprefix('结论：')}")
    citations.append(REFUSE24_5)
    if due and not facts.fully_performed:
        reasons.append("应当将有关材料移送公安机关立案侦查，依法追究刑事责任（执行工作规定第58条）")
        reasons.append(
            "申请执行人报案后公安机关、人民检察院不予追究的，申请执行人可以依法提起自诉（两高解释第14条）"
        )
        citations += [EXEC_WORK_58, REFUSE24_14]
        return _decision("due", reasons, citations)
    if facts.fully_performed:
        reasons.append("被执行人已全部履行，可以依法从宽处理，是否移送由承办法官决定（两高解释第11条）")
        citations.append(REFUSE24_11)
    citations.append(EXEC_WORK_58)
    return _decision("allowed", reasons, citations)


def early_deletion(facts: MeasureFacts, *, term_years: int | None, on: date) -> RuleResult[Decision]:
    """提前删除：有纳入期限的失信信息，被执行人积极履行义务或主动纠正失信行为的，可以决定提前删除。

    SHIXIN17 Art. 2 ¶2: a listing with a term is not deleted on the Art. 10 ¶1 grounds (Art. 10 ¶2)
    but may be deleted early; the platform proposes it as soon as the ledger shows full performance.
    A listing without a term is deleted under Art. 10 (see :func:`deletion`).
    """
    require_date(on, "审查日")
    if term_years is None:
        return RuleResult(
            Decision("not_yet", ("无固定期限的失信信息按删除事由删除，不适用提前删除",)), (SX17_10,)
        )
    if facts.fully_performed:
        return RuleResult(
            Decision(
                "allowed",
                ("被执行人已履行全部义务，可以决定提前删除失信信息（信用修复）",),
                ground="early_deletion",
            ),
            (SX17_2,),
        )
    return RuleResult(Decision("not_yet", ("被执行人尚未履行全部义务",)), (SX17_2,))
