import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhixing.command.projection import project_pending, projection_rebuild, projection_state


class Command(BaseCommand):
    help = "指挥中心日统计：把新的日志事件计入日统计；--rebuild 清空后从头重放日志（改变统计口径后使用）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="清空日统计后从头重放全部日志")

    def handle(self, *args: Any, rebuild: bool = False, **options: Any) -> None:
        started = time.perf_counter()
        n = projection_rebuild() if rebuild else project_pending(limit=10_000)
        seconds = time.perf_counter() - started
        state = projection_state()
        self.stdout.write(
            f"计入 {n} 条日志事件，用时 {seconds:.1f} 秒；游标 {state['last_id']}，待计入 {state['behind']}，"
            f"等待中的间隙 {state['gaps']}"
        )
