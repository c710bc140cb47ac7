"""zhixing cases_demo_seed — file and work demo cases in every basic court (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from zhixing.cases.demo import DEMO_LAWYER, demo_cases_seed


class Command(BaseCommand):
    help = "载入演示案件（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        n = demo_cases_seed(today=timezone.localdate())
        self.stdout.write(f"演示案件：新立案 {n} 件；律师账号 {DEMO_LAWYER}（网上申请执行）。")
