from typing import Any

from django.core.management.base import BaseCommand

from zhixing.measures.demo import demo_measures_seed


class Command(BaseCommand):
    help = "演示：逐案审查强制措施，各院采取一项限制消费，登记一个合作单位"

    def handle(self, *args: Any, **options: Any) -> None:
        made, key = demo_measures_seed()
        self.stdout.write(f"强制措施建议 {made} 项")
        if key:
            self.stdout.write(f"合作单位（演示）核查密钥：{key}  （X-Partner-Key，仅显示这一次）")
