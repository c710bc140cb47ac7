from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhixing.cases"
    label = "cases"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from zhixing.cases import services  # registers the approval effect for closing
        from zhixing.documents.listeners import on_delivered

        on_delivered("asset_report_order")(services.asset_report_deadline_open)
        from zhixing.cases.acts import ACTS
        from zhixing.core.journal import register_event_labels

        register_event_labels({kind: act.label for kind, act in ACTS.items()})
        register_event_labels(
            {
                "application.submitted": _("提交执行申请"),
                "application.accepted": _("立案"),
                "application.rejected": _("不予受理"),
                "case.filed": _("立案"),
                "asset_report.deadline_opened": _("报告财产期限起算（送达）"),
                "case.triaged": _("繁简分流"),
                "case.track_overridden": _("改变繁简分流"),
                "case.assigned": _("分案"),
                "case.delegated": _("委托执行"),
                "case.urged": _("上级法院督促执行令"),
                "case.escalated": _("提级执行（上级法院裁定）"),
                "case.designated": _("指定执行（上级法院裁定）"),
                "case.cross_enforced": _("交叉执行（上级法院裁定）"),
                "case.stage_changed": _("阶段变更"),
                "nodes.opened": _("生成法定节点"),
                "node.due_soon": _("节点即将到期"),
                "node.overdue": _("节点超期"),
                "node.recomputed": _("暂定期限按公布的节假日安排重算"),
                "asset_lead.received": _("收到财产线索"),
                "asset_lead.verified": _("核查财产线索"),
                "case.suspended": _("中止执行"),
                "case.resumed": _("恢复执行（中止事由消除）"),
                "settlement.recorded": _("达成执行和解"),
                "settlement.payment": _("和解履行"),
                "settlement.restored": _("和解未履行，恢复执行"),
                "case.close_refused": _("结案条件不满足"),
                "case.closed": _("结案"),
                "reinquiry.scheduled": _("纳入终本定期查询"),
                "case.restored": _("恢复执行立案"),
                "case.restored_from": _("恢复执行（原案）"),
                "objection.filed": _("受理执行异议"),
                "objection.received": _("收到执行异议"),
                "objection.decided": _("异议审查结果"),
            }
        )
