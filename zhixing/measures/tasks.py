"""强制措施的定时任务：the daily review that proposes what the law requires (and credit repair),
and the expiry of listings with a term."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zhixing.core.worker import periodic


@periodic(every=dt.timedelta(days=1), offset=dt.timedelta(hours=-4), name="measures.proposals_sweep")
@task()
def measures_proposals_sweep() -> int:
    """每日 04:00：逐案审查，提出依法应当采取（或可以采取）的措施，以及应当解除、删除的措施。"""
    from zhixing.measures.services import proposals_sweep

    return proposals_sweep()


@periodic(every=dt.timedelta(days=1), offset=dt.timedelta(hours=-3, minutes=30), name="measures.expiry_sweep")
@task()
def measures_expiry_sweep() -> int:
    """失信期限届满的删除。"""
    from zhixing.measures.services import expiry_sweep

    return expiry_sweep()
