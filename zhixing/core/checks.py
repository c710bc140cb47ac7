"""Deployment checks (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def keys_from_environment(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.KEYS_FROM_FILES:
        return [
            Warning(
                "密钥取自 var/ 下自动生成的文件。"
                "生产环境请设置 ZHIXING_SECRET_KEY 与 ZHIXING_IDENTITY_KEY，并单独备份。",
                hint="docs/operations.md — Configuration",
                id="zhixing.W001",
            )
        ]
    return []
