from typing import Any

from django.core.management.base import BaseCommand

from zhixing.command.demo import demo_command_seed


class Command(BaseCommand):
    help = "演示：统计日志、各院报送统计数、运行监督预警规则、中院下达一件督办"

    def handle(self, *args: Any, **options: Any) -> None:
        r = demo_command_seed()
        self.stdout.write(
            f"指挥中心：统计事件 {r['events']} 条，报送 {r['reported']} 个月，"
            f"预警 {r['alerts']} 条，督办 {r['instructions']} 件"
        )
