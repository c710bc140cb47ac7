"""入队与领域写入同一事务：回滚则任务消失，提交则任务留存。"""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker.tests.tasks_for_tests import noop


class DomainError(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_enqueue_rolled_back_with_the_transaction_leaves_no_task() -> None:
    with pytest.raises(DomainError), transaction.atomic():
        noop.enqueue(1)
        assert DBTaskResult.objects.count() == 1  # visible inside the transaction
        raise DomainError("the domain write failed")
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_enqueue_committed_with_the_transaction_leaves_one_ready_task() -> None:
    with transaction.atomic():
        result = noop.enqueue(2)
    row = DBTaskResult.objects.get()
    assert str(row.pk) == result.id
    assert row.status == TaskResultStatus.READY
    assert row.task_path == noop.module_path
    assert row.args_kwargs == {"args": [2], "kwargs": {}}
