"""演示数据：the journal projected into roll-ups, each court's reported figures for the months so far, the
alert rules run once, and one 督办 from the intermediate court to a basic court's judge (idempotent)."""

from __future__ import annotations

import datetime as dt

from zhixing.command import services
from zhixing.command.models import Instruction, MonthlyFigure
from zhixing.command.projection import project_pending
from zhixing.core.models import Court, User
from zhixing.core.roles import Role


def demo_command_seed() -> dict[str, int]:
    events = project_pending()
    today = services.today()
    reported = 0
    for n, court in enumerate(Court.objects.exclude(level=Court.Level.HIGH).order_by("path"), start=1):
        operator = User.objects.filter(court=court, role=Role.COMMAND_OPERATOR).first()
        if operator is None:
            continue
        month = dt.date(today.year, 1, 1)
        while month <= today:
            if not MonthlyFigure.objects.filter(court=court, month=month).exists():
                services.figures_report(
                    actor=operator,
                    court_code=court.court_code,
                    month=month,
                    titles_with_payment=180 + 37 * n + month.month * 5,
                    mediations=40 + 7 * n,
                    petitions_received=3 + n % 3,
                    petitions_concluded=3 + n % 3 - (1 if month.month == today.month else 0),
                )
                reported += 1
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    alerts = services.alerts_sweep()
    issued = 0
    supervisor = User.objects.filter(court__level=Court.Level.INTERMEDIATE, role=Role.SUPERVISOR).first()
    if supervisor is not None and not Instruction.objects.exists():
        from zhixing.cases.models import EnforcementCase

        case = (
            EnforcementCase.objects.filter(court__level=Court.Level.BASIC, judge__isnull=False)
            .exclude(stage="closed")
            .order_by("filed_on", "pk")
            .first()
        )
        if case is not None:
            services.instruction_issue(
                actor=supervisor,
                kind="supervise",
                subject="申请执行人反映执行进展缓慢",
                body="请核查本案财产调查和强制措施情况，依法加快执行进度，并在期限内书面反馈办理情况。",
                target_court_code=case.court.court_code,
                case_id=case.pk,
            )
            issued += 1
    events += project_pending()  # the alerts and instructions just journaled
    return {"events": events, "reported": reported, "alerts": alerts["raised"], "instructions": issued}
