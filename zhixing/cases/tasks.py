"""执行案件的定时任务：node alerts."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zhixing.core.worker import periodic


@periodic(every=dt.timedelta(hours=1), name="cases.nodes_sweep")
@task()
def nodes_sweep() -> dict[str, int]:
    """节点预警扫描：due-soon and overdue nodes, once an hour."""
    from zhixing.cases.services import nodes_sweep as sweep

    return sweep()


@periodic(every=dt.timedelta(days=1), offset=dt.timedelta(hours=-5), name="cases.provisional_recompute")
@task()
def provisional_recompute() -> int:
    """暂定期限重算（每日 03:00）：after an administrator adds a year to holidays.yaml."""
    from zhixing.cases.services import nodes_recompute_provisional

    return nodes_recompute_provisional()
