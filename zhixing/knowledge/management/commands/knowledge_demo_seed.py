from typing import Any

from django.core.management.base import BaseCommand

from zhixing.knowledge.demo import knowledge_seed


class Command(BaseCommand):
    help = "演示：经验交流的典型案例、办案经验和规范指引（已发布）"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"经验材料 {knowledge_seed()} 份")
