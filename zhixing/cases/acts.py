"""办案行为 — the recordable acts of a case: who may do them, in which stages, which node they complete.

Acts that other issues will automate (network inquiries through the agency network, consumption
restriction and listing through the measures app, documents through the documents service) are
journaled here with the same event kinds, so that the 终本 checklist, the nodes and the timeline
read one vocabulary whichever way an act was done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhixing.core.roles import Role

TEAM = frozenset({Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.OFFICER})
JUDGE_ONLY = frozenset({Role.JUDGE})
OPEN_STAGES = frozenset({"filed", "in_enforcement", "suspended", "settlement"})
ACTIVE_STAGES = frozenset({"in_enforcement"})


@dataclass(frozen=True)
class Act:
    kind: str  # the journal event kind
    label: object  # lazy Chinese label
    roles: frozenset[str]
    stages: frozenset[str]
    completes: tuple[str, ...] = ()  # node codes this act completes
    fields: tuple[str, ...] = ()  # payload fields the form asks for
    note_required: bool = False
    case_kinds: frozenset[str] | None = None  # only for these kinds of case (None: all)


ACTS: dict[str, Act] = {
    a.kind: a
    for a in [
        # these two issue their documents through the documents service (signed by the judge)
        Act(
            "performance_notice.issued",
            _("签发执行通知书"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            ("performance_notice",),
        ),
        Act(
            "asset_report_order.issued",
            _("签发报告财产令"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            ("asset_report_order",),
        ),
        Act(
            "restoration_notice.issued",
            _("签发恢复执行通知书"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            case_kinds=frozenset({"restored"}),
        ),
        Act(
            "applicant.leads_requested",
            _("告知申请人提供财产线索"),
            TEAM,
            ACTIVE_STAGES,
            ("ask_applicant_for_leads",),
        ),
        Act(
            "network_inquiry.done",
            _("完成网络查控（总对总/点对点）"),
            TEAM,
            ACTIVE_STAGES,
            ("first_network_inquiry",),
            ("result",),
        ),
        Act("asset_report.handled", _("审查被执行人财产报告"), TEAM, ACTIVE_STAGES, (), ("result",)),
        Act(
            "asset_report.violated",
            _("认定拒不报告或虚假报告财产"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            (),
            ("result",),
            True,
        ),
        Act("property.found", _("发现可供执行财产"), TEAM, ACTIVE_STAGES, (), ("result",), True),
        Act("property.undisposable", _("认定财产无法处置"), JUDGE_ONLY, ACTIVE_STAGES, (), ("result",), True),
        Act("consumption_restriction.issued", _("发出限制消费令"), JUDGE_ONLY, ACTIVE_STAGES),
        Act(
            "consumption_order.violated",
            _("认定违反限制消费令"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            (),
            ("result",),
            True,
        ),
        Act(
            "evasion.found",
            _("认定以虚假诉讼、隐匿转移财产等方式规避执行"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            (),
            ("result",),
            True,
        ),
        Act("guarantee.accepted", _("被执行人提供有效担保"), JUDGE_ONLY, OPEN_STAGES, (), ("result",), True),
        Act("dishonest_listing.published", _("纳入失信被执行人名单"), JUDGE_ONLY, ACTIVE_STAGES),
        Act("applicant.interviewed", _("约谈申请执行人"), TEAM, ACTIVE_STAGES, (), ("result",), True),
        Act("debtor.missing", _("被执行人下落不明"), TEAM, ACTIVE_STAGES),
        Act("debtor.searched", _("依法查找被执行人"), TEAM, ACTIVE_STAGES, (), ("result",), True),
        Act("obstruction.found", _("发现妨碍执行行为"), TEAM, ACTIVE_STAGES, (), ("result",), True),
        Act(
            "obstruction.sanctioned",
            _("对妨碍执行依法处罚或移送"),
            JUDGE_ONLY,
            ACTIVE_STAGES,
            (),
            ("result",),
            True,
        ),
        Act(
            "applicant.confirmed_full_performance",
            _("申请执行人确认履行完毕"),
            TEAM,
            OPEN_STAGES,
            (),
            ("result",),
            True,
        ),
    ]
}

# Event kinds that other apps journal on a case and that count as the same step.
EQUIVALENT_KINDS: dict[str, str] = {
    "document.issued:performance_notice": "performance_notice.issued",
    "document.issued:asset_report_order": "asset_report_order.issued",
    "document.issued:consumption_restriction_order": "consumption_restriction.issued",
    "document.issued:dishonest_listing_decision": "dishonest_listing.published",
    # a fine or a detention decision (CPL Arts. 114, 118–119) is the sanction of an obstruction
    "document.issued:detention_decision": "obstruction.sanctioned",
    "document.issued:fine_decision": "obstruction.sanctioned",
}


def acts_for(role: str, stage: str, case_kind: str = "first") -> list[Act]:
    return [
        a
        for a in ACTS.values()
        if role in a.roles and stage in a.stages and (a.case_kinds is None or case_kind in a.case_kinds)
    ]
