"""后台任务：重试策略、定时任务、失联回收与工作进程。

Declare retries and schedules with the decorators re-exported here (see README.md)::

    from zhixing.core.worker import TransientError, periodic, retry_policy

Only :mod:`zhixing.core.worker.registry` is imported here: it touches no model, so importing this
package while Django loads its apps is safe.
"""

from zhixing.core.worker.registry import TransientError, WorkerLost, periodic, retry_policy

__all__ = ["TransientError", "WorkerLost", "periodic", "retry_policy"]
