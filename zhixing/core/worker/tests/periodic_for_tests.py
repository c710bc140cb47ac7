"""测试专用定时任务登记：只由测试启动的子进程工作进程通过 ``--import`` 导入。

Kept apart from ``tasks_for_tests`` so that importing the test tasks in the pytest process does
not register a periodic task that other in-process workers would then schedule.
"""

from __future__ import annotations

from zhixing.core.worker.registry import periodic
from zhixing.core.worker.tests.tasks_for_tests import TICK_EVERY, TICK_NAME, tick

periodic(every=TICK_EVERY, name=TICK_NAME)(tick)
