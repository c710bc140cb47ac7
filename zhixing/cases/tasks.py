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
