"""载入文书模板文件：a new version for each changed file (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.documents.services import templates_sync


class Command(BaseCommand):
    help = "载入文书模板文件（文件有改动时生成新版本）"

    def handle(self, *args: Any, **options: Any) -> None:
        for v in templates_sync():
            self.stdout.write(f"{v.template.kind}: v{v.number} {v.content_hash[:12]}")
