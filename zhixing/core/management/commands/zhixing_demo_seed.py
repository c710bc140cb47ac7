"""zhixing demo-seed — load the demo courts, teams, staff and parties; print the logins."""

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.core.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_seed()
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            team = f" · {login.team}" if login.team else ""
            self.stdout.write(f"  {login.username:<26} {login.court} · {login.role}{team}")
