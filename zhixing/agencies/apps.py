from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "zhixing.agencies"
    label = "agencies"
    verbose_name = "协助执行网络"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "agency_request.failed": _("协助请求发送失败"),
                "agency_request.overdue": _("协助单位逾期未答复"),
                "agency_request.answered_late": _("协助单位在发送失败后答复"),
                "agency_request.handler_failed": _("协助答复处理出错"),
            }
        )
        import zhixing.agencies.tasks  # noqa: F401 - registers the periodic sweeps
