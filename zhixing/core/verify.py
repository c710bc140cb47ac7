"""zhixing verify 的检查项登记：every app adds the integrity checks it owns.

A check is a function returning a list of problem descriptions (Chinese, each naming where
the problem is); an empty list means intact. The journal and the law parameters are checked
by the command itself; apps register more in their ``AppConfig.ready()``::

    from zhixing.core.verify import register_check
    register_check("文书归档文件", documents_archive_problems)
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], list[str]]
CHECKS: dict[str, Check] = {}


def register_check(title: str, check: Check) -> None:
    CHECKS[title] = check
