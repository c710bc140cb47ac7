from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zhixing.documents"
    label = "documents"
    verbose_name = "法律文书与送达"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels
        from zhixing.core.verify import register_check
        from zhixing.documents.services import archive_problems

        register_event_labels(
            {
                "document.issued": _("签发文书"),
                "document.rendered": _("文书文件已生成"),
                "delivery.sent": _("文书已发出"),
                "delivery.published": _("公告送达已发布"),
                "delivery.delivered": _("送达完成"),
                "delivery.failed": _("送达失败"),
                "delivery.returned": _("邮件退回"),
                "delivery.added": _("补充送达"),
            }
        )
        register_check("文书归档文件", archive_problems)
