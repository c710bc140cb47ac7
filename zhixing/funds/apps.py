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
                "funds.distribution_proposed": _("拟定执行款分配方案"),
                "funds.distribution_approved": _("分配方案经批准并送达"),
                "funds.distribution_executed": _("按分配方案发放"),
            }
        )
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
                "funds.payout_proposed": _("提出执行款发放"),
                "funds.payout_approved": _("执行款发放已批准"),
                "funds.payout_paid": _("执行款已发放"),
                "funds.payout_failed": _("执行款发放失败，退回案款"),
                "funds.payout_returned": _("已发放款项被退回"),
                "funds.payout_batch_settled": _("发放批次办结"),
                "funds.payout_overdue": _("执行款超期未发放"),
                "funds.reconciliation": _("银行对账"),
            }
        )
        import zhixing.funds.distribution
        import zhixing.funds.payout_tasks
        import zhixing.funds.payouts  # noqa: F401 - registers the approval effect "funds.payout"
