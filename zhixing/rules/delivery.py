"""送达日期：各送达方式下视为送达的日期（rules reference §0.4）。

Pure function of the channel and the date of the fact that completes the delivery:

* 电子送达 (``electronic``): the date the message reached the recipient's system — the date the
  court's system (or the gateway's delivery receipt) shows success. CPL Art. 90, JI-CPL Art. 135.
* 邮寄送达 (``postal``): the receiving date noted on the returned receipt. CPL Art. 91 [U].
* 直接送达 (``in_person``): the date the recipient signed the delivery receipt. CPL Art. 87 [U].
* 公告送达 (``by_announcement``): deemed delivered when the statutory period after publication
  has passed (parameter ``announcement_delivery_days``: 30 days since 2022); the publication date
  is the last posting/publication date. CPL Art. 95, JI-CPL Art. 138. **Decision:** the period is
  a 期间 under CPL Art. 85, so its last day rolls over a statutory holiday like any day period.
"""

from __future__ import annotations

from datetime import date

from zhixing.rules.calendar import HolidayCalendar, add_days
from zhixing.rules.params import param_entry, require_date
from zhixing.rules.results import Citation, RuleResult, merge_citations, merge_parameter_uses

__all__ = [
    "CHANNELS",
    "CPL_87",
    "CPL_90",
    "CPL_91",
    "CPL_95",
    "JI_CPL_135",
    "JI_CPL_138",
    "deemed_delivery_date",
]

_JI_CPL = "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释"
CPL_87 = Citation("民事诉讼法", "第87条", 2023, marker="U")
CPL_90 = Citation("民事诉讼法", "第90条", 2023)
CPL_91 = Citation("民事诉讼法", "第91条", 2023, marker="U")
CPL_95 = Citation("民事诉讼法", "第95条", 2023)
JI_CPL_135 = Citation(_JI_CPL, "第135条", 2022)
JI_CPL_138 = Citation(_JI_CPL, "第138条", 2022)

#: The delivery channels (送达方式) the rule knows.
CHANNELS = ("electronic", "postal", "in_person", "by_announcement")

_SAME_DAY = {
    "electronic": (CPL_90, JI_CPL_135),
    "postal": (CPL_91,),
    "in_person": (CPL_87,),
}


def deemed_delivery_date(
    channel: str, *, event_on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[date]:
    """视为送达的日期。

    ``event_on`` is the date of the completing fact: arrival in the recipient's system
    (electronic), the receiving date on the returned receipt (postal), the signing date
    (in person), or the publication date (by announcement).
    """
    require_date(event_on, "送达事实发生日")
    if channel in _SAME_DAY:
        return RuleResult(value=event_on, citations=_SAME_DAY[channel])
    if channel != "by_announcement":
        raise ValueError(f"未知的送达方式「{channel}」，应为 {'/'.join(CHANNELS)} 之一")
    entry = param_entry("announcement_delivery_days", on=event_on)
    period = add_days(event_on, entry.value, holidays=holidays)
    return RuleResult(
        value=period.value,
        citations=merge_citations((entry.citation, JI_CPL_138), period.citations),
        parameters_used=merge_parameter_uses((entry.use(),), period.parameters_used),
    )
