from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "zhixing.funds"
    label = "funds"
    verbose_name = "执行款"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "funds.account_opened": _("开立案款账号"),
                "funds.receipt": _("执行款到账"),
                "funds.unidentified_receipt": _("收到不明款项"),
                "funds.unidentified_resolved": _("不明款项认领入案"),
                "funds.transfer_out": _("执行款转出至他案"),
                "funds.transfer_in": _("他案执行款转入"),
                "funds.reversal": _("冲正"),
                "funds.fully_performed": _("执行款台账显示已全部履行"),
                "funds.fully_performed_reverted": _("冲正后不再全部履行"),
            }
        )
