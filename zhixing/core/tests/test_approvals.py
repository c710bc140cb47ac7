from collections.abc import Callable

import pytest

from zhixing.core import services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.models import ApprovalRequest, JournalEvent, User
from zhixing.core.roles import Role


@pytest.fixture
def request_(make_user: Callable[..., User]) -> tuple[ApprovalRequest, User, User]:
    judge = make_user(Role.JUDGE, "浙0602")
    chief = make_user(Role.BUREAU_CHIEF, "浙0602")
    req = services.approval_request(
        actor=judge,
        act="test.extend",
        title="延长执行期限",
        stream="case:1",
        approver_role=Role.BUREAU_CHIEF,
        reason="鉴定中",
    )
    return req, judge, chief


def test_bureau_chief_approves(request_: tuple[ApprovalRequest, User, User]) -> None:
    req, _judge, chief = request_
    done = services.approval_decide(actor=chief, approval_id=req.pk, approve=True)
    assert done.status == "approved" and done.decided_by == chief and done.decided_at
    kinds = list(JournalEvent.objects.filter(stream="case:1").values_list("kind", flat=True))
    assert kinds == ["approval.requested", "approval.approved"]


def test_effect_runs_on_approval(request_: tuple[ApprovalRequest, User, User]) -> None:
    req, _judge, chief = request_
    seen: list[int] = []
    services.approval_effect("test.extend")(lambda r: seen.append(r.pk))
    services.approval_decide(actor=chief, approval_id=req.pk, approve=True)
    assert seen == [req.pk]


def test_wrong_role_cannot_decide(
    request_: tuple[ApprovalRequest, User, User], make_user: Callable[..., User]
) -> None:
    req, _, _ = request_
    other_judge = make_user(Role.JUDGE, "浙0602")
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=other_judge, approval_id=req.pk, approve=True)
    req.refresh_from_db()
    assert req.status == "pending"


def test_chief_of_other_court_cannot_see_it(
    request_: tuple[ApprovalRequest, User, User], make_user: Callable[..., User]
) -> None:
    req, _, _ = request_
    with pytest.raises(NotFound):
        services.approval_decide(
            actor=make_user(Role.BUREAU_CHIEF, "浙0603"), approval_id=req.pk, approve=True
        )


def test_requester_cannot_approve_own_request(make_user: Callable[..., User]) -> None:
    chief = make_user(Role.BUREAU_CHIEF, "浙0602")
    req = services.approval_request(
        actor=chief, act="x", title="t", stream="s:1", approver_role=Role.BUREAU_CHIEF
    )
    with pytest.raises(PermissionDenied, match="自己"):
        services.approval_decide(actor=chief, approval_id=req.pk, approve=True)


def test_reject_needs_reason_and_decisions_are_final(request_: tuple[ApprovalRequest, User, User]) -> None:
    req, _, chief = request_
    with pytest.raises(ServiceError, match="理由"):
        services.approval_decide(actor=chief, approval_id=req.pk, approve=False, reason="")
    services.approval_decide(actor=chief, approval_id=req.pk, approve=False, reason="材料不全")
    with pytest.raises(Conflict):
        services.approval_decide(actor=chief, approval_id=req.pk, approve=True)


def test_cannot_request_in_another_court(make_user: Callable[..., User], courts: dict) -> None:
    judge = make_user(Role.JUDGE, "浙0602")
    with pytest.raises(PermissionDenied):
        services.approval_request(
            actor=judge,
            act="x",
            title="t",
            stream="s",
            approver_role=Role.BUREAU_CHIEF,
            court=courts["浙0603"],
        )
