from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "zhixing.knowledge"
    label = "knowledge"
    verbose_name = "经验交流"

    def ready(self) -> None:
        from zhixing.core.journal import register_event_labels

        register_event_labels(
            {
                "knowledge.created": _("撰写经验材料"),
                "knowledge.updated": _("修改经验材料"),
                "knowledge.published": _("发布经验材料"),
                "knowledge.withdrawn": _("撤回经验材料"),
                "knowledge.linked": _("关联经验材料"),
                "knowledge.unlinked": _("取消关联经验材料"),
            }
        )
