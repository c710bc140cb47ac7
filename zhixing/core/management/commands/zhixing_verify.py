"""zhixing verify — check every journal chain and the law parameters; exit 1 on any fault."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.core.journal import verify_chains


def _parameter_problems() -> list[str]:
    """Every parameter file must load (schema, citations, dates in order)."""
    from zhixing.rules.params import PARAMETERS_DIR, ParameterError, load_parameter_file

    problems = []
    for path in sorted(PARAMETERS_DIR.glob("*.yaml")):
        try:
            load_parameter_file(path)
        except ParameterError as e:
            problems.append(str(e))
    return problems


class Command(BaseCommand):
    help = "校验日志链（SM3）与法律参数文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stream", help="只校验一条链，例如 case:12")

    def handle(self, *args: Any, stream: str | None = None, **options: Any) -> None:
        faults = 0
        report = verify_chains(stream=stream)
        self.stdout.write(f"日志：校验 {report.streams} 条链、{report.events} 个事件。")
        for link in report.broken or []:
            faults += 1
            self.stdout.write(self.style.ERROR(f"  断链 {link}"))
        problems = _parameter_problems()
        self.stdout.write(f"法律参数：{'全部可读' if not problems else f'{len(problems)} 个问题'}。")
        for p in problems:
            faults += 1
            self.stdout.write(self.style.ERROR(f"  参数 {p}"))
        from zhixing.core.verify import CHECKS

        for title, check in CHECKS.items():
            found = check()
            self.stdout.write(f"{title}：{'完好' if not found else f'{len(found)} 个问题'}。")
            for p in found:
                faults += 1
                self.stdout.write(self.style.ERROR(f"  {title} {p}"))
        if faults:
            raise CommandError(f"发现 {faults} 处问题")
        self.stdout.write(self.style.SUCCESS("完好。"))
