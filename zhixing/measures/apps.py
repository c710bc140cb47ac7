from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "zhixing.measures"
    label = "measures"
    verbose_name = "强制措施与联合惩戒"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "measures.proposed": _("提出强制措施建议"),
                "measures.declined": _("决定不采取强制措施"),
                "measures.taken": _("采取强制措施"),
                "measures.published": _("公布名单信息"),
                "measures.withheld": _("暂缓公布"),
                "measures.removed": _("撤下名单信息"),
                "measures.lifted": _("解除限制消费"),
                "measures.deleted": _("删除失信信息"),
                "measures.expired": _("失信期限届满"),
                "measures.deletion_due": _("失信信息应予删除"),
                "measures.correction_applied": _("申请纠正失信信息"),
                "measures.correction_decided": _("纠正申请审查结果"),
                "measures.reconsideration_applied": _("向上一级法院申请复议"),
                "measures.reconsideration_decided": _("上一级法院复议决定"),
            }
        )
