from typing import Any

from django.core.management.base import BaseCommand

from zhixing.asset_control.demo import demo_asset_control_seed


class Command(BaseCommand):
    help = "演示：通过协助单位模拟器对各院在办案件网络查控，并冻结、扣划、查封"

    def handle(self, *args: Any, **options: Any) -> None:
        n = demo_asset_control_seed()
        self.stdout.write(f"网络查控 {n} 件" if n else "查控演示数据已存在")
