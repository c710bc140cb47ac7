from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetControlConfig(AppConfig):
    name = "zhixing.asset_control"
    label = "asset_control"
    verbose_name = "查控"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "network_inquiry.requested": _("发起网络查控"),
                "asset_control.requested": _("决定查封、扣押、冻结"),
                "asset_control.effective": _("查封、扣押、冻结生效"),
                "asset_control.waiting": _("轮候查封、冻结"),
                "asset_control.promoted": _("轮候措施转为生效"),
                "asset_control.rejected": _("协助单位未能办理"),
                "asset_control.failed": _("查控请求发送失败"),
                "asset_control.renewal_requested": _("申请续行"),
                "asset_control.renewed": _("续行"),
                "asset_control.expiry_reminder": _("查控期限即将届满"),
                "asset_control.expired": _("查控期满失效"),
                "asset_control.release_requested": _("决定解除查封、扣押、冻结"),
                "asset_control.released": _("已解除"),
                "asset_control.deduction_requested": _("决定扣划"),
                "asset_control.deducted": _("扣划到账"),
                "asset_control.deduction_rejected": _("未能扣划"),
                "asset_control.asset_viewed": _("查看财产详情（个人信息）"),
                "asset_control.assistance_requested": _("发出协助执行通知"),
                "asset_control.assistance_answered": _("协助执行单位答复"),
            }
        )
        import zhixing.asset_control.services
        import zhixing.asset_control.tasks  # noqa: F401 - registers the sweeps
