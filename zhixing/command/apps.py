from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommandConfig(AppConfig):
    name = "zhixing.command"
    label = "command"
    verbose_name = "执行指挥中心"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "alert.raised": _("监督预警"),
                "alert.assigned": _("预警指派"),
                "alert.acknowledged": _("预警签收"),
                "alert.resolved": _("预警处理完毕"),
                "instruction.issued": _("下达交办督办指令"),
                "instruction.acknowledged": _("签收指令"),
                "instruction.reported": _("反馈指令"),
                "instruction.returned": _("指令退回补充"),
                "instruction.closed": _("指令办结"),
                "instruction.reminded": _("指令到期提醒"),
                "instruction.escalated": _("指令逾期升级"),
                "instruction.power": _("上级法院采取措施"),
                "command.no_assets_check": _("终本案件抽查"),
                "command.figures_reported": _("报送统计数"),
            }
        )
