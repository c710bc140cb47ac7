from typing import Any

from django.core.management.base import BaseCommand

from zhixing.agencies.demo import desk_clerks_seed, registry_seed
from zhixing.core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "登记模拟城市的协助执行单位（接口指向本地模拟器）及工作台账号"

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = registry_seed()
        clerks = desk_clerks_seed(password=DEMO_PASSWORD)
        names = ", ".join(u.username for u in clerks)
        self.stdout.write(f"协助执行单位 {len(agencies)} 家；工作台账号：{names}")
