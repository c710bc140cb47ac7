"""Supervision alerts (raised by rules, assigned, acknowledged, resolved, cleared) and instructions
(issued, acknowledged, reported, returned, closed; reminded and escalated), with every permission path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Node
from zhixing.cases.tests.conftest import World
from zhixing.command import services
from zhixing.command.models import Alert, Instruction, InstructionEntry
from zhixing.core.errors import NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role

pytestmark = pytest.mark.django_db
LATER = dt.date(2027, 3, 1)


@pytest.fixture
def supervisor(make_user: Callable[..., User]) -> User:
    return make_user(Role.SUPERVISOR, "浙06", full_name="中院监督员")


def test_an_overdue_node_raises_one_alert_for_the_judge_until_resolved(
    world: World, filed: EnforcementCase
) -> None:
    r = services.alerts_sweep(on=LATER)
    assert r["raised"] >= 1
    alerts = Alert.objects.filter(rule="node_overdue", case=filed, status="open")
    assert alerts.count() == Node.objects.filter(case=filed, status="open", due_on__lt=LATER).count()
    alert = alerts.order_by("pk").first()
    assert alert is not None
    assert alert.assignee == filed.judge and alert.level == "critical" and alert.citations
    assert services.alerts_sweep(on=LATER)["raised"] == 0  # idempotent: one live alert per subject
    with pytest.raises(NotFound):  # another court's judge does not even see it
        services.alert_acknowledge(actor=world.other_judge, alert_id=alert.pk)
    with pytest.raises(PermissionDenied):  # a team member who is not the assignee does not take it
        services.alert_acknowledge(actor=world.assistant_fast, alert_id=alert.pk)
    judge = filed.judge
    assert judge is not None
    services.alert_acknowledge(actor=judge, alert_id=alert.pk)
    with pytest.raises(ServiceError):
        services.alert_acknowledge(actor=judge, alert_id=alert.pk)
    with pytest.raises(ServiceError) as e:
        services.alert_resolve(actor=judge, alert_id=alert.pk, resolution="  ")
    assert e.value.field == "resolution"
    services.alert_resolve(actor=judge, alert_id=alert.pk, resolution="已补发执行通知书")
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by == judge and not alert.auto_resolved
    kinds = list(
        JournalEvent.objects.filter(stream=filed.stream, kind__startswith="alert.").values_list(
            "kind", flat=True
        )
    )
    assert kinds[:1] == ["alert.raised"] and "alert.acknowledged" in kinds and "alert.resolved" in kinds
    # still overdue: the next sweep raises it again
    assert services.alerts_sweep(on=LATER)["raised"] >= 1
    again = Alert.objects.get(subject=alert.subject, rule="node_overdue", status="open")
    # the node is completed: the sweep clears the alert itself
    Node.objects.filter(pk=int(alert.subject.split(":")[1])).update(status="done", done_on=LATER)
    services.alerts_sweep(on=LATER)
    again.refresh_from_db()
    assert again.status == "resolved" and again.auto_resolved
    assert verify_chains().ok


def test_idle_and_near_limit_cases_and_assignment(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    EnforcementCase.objects.filter(pk=filed.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=45), enforcement_deadline=dt.date(2026, 12, 20)
    )
    services.alerts_sweep(on=dt.date(2026, 12, 1))
    idle = Alert.objects.get(rule="idle_case", case=filed)
    near = Alert.objects.get(rule="near_limit", case=filed)
    assert near.level == "warning" and "2026-12-20" in near.title
    with pytest.raises(PermissionDenied):  # a judge cannot hand alerts around
        services.alert_assign(actor=world.judge_fast, alert_id=idle.pk, assignee_id=world.judge_complex.pk)
    with pytest.raises(ServiceError):  # only to someone of the alert's court
        services.alert_assign(actor=supervisor, alert_id=idle.pk, assignee_id=world.other_judge.pk)
    services.alert_assign(actor=supervisor, alert_id=idle.pk, assignee_id=world.chief.pk)
    services.alert_resolve(actor=world.chief, alert_id=idle.pk, resolution="已约谈承办法官，本周内采取措施")
    assert Alert.objects.get(pk=idle.pk).acknowledged_by == world.chief


def test_an_instruction_from_the_upper_court_answered_returned_and_closed(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    judge = filed.judge
    assert judge is not None
    i = services.instruction_issue(
        actor=supervisor,
        kind="supervise",
        subject="申请人反映执行迟缓",
        body="请核查财产并反馈",
        target_court_code="浙0602",
        case_id=filed.pk,
        on=dt.date(2026, 12, 1),
    )
    assert (
        i.target_judge == judge and i.due_on == dt.date(2026, 12, 11) and i.number.startswith("浙06督2026-")
    )
    assert any("督办" in c["law"] for c in i.citations)
    assert JournalEvent.objects.filter(stream=filed.stream, kind="instruction.issued").exists()
    with pytest.raises(NotFound):
        services.instruction_report(actor=world.other_judge, instruction_id=i.pk, body="x")
    with pytest.raises(PermissionDenied):  # the issuer does not answer its own instruction
        services.instruction_report(actor=supervisor, instruction_id=i.pk, body="x")
    with pytest.raises(ServiceError):  # nothing reported yet
        services.instruction_review(actor=supervisor, instruction_id=i.pk, accept=True)
    services.instruction_acknowledge(actor=judge, instruction_id=i.pk)
    with pytest.raises(ServiceError):
        services.instruction_report(actor=judge, instruction_id=i.pk, body=" ")
    services.instruction_report(actor=judge, instruction_id=i.pk, body="已冻结存款 3 万元")
    with pytest.raises(PermissionDenied):  # the target does not close it
        services.instruction_review(actor=judge, instruction_id=i.pk, accept=True)
    with pytest.raises(ServiceError):  # a return says what is missing
        services.instruction_review(actor=supervisor, instruction_id=i.pk, accept=False)
    services.instruction_review(
        actor=supervisor, instruction_id=i.pk, accept=False, body="请说明不动产查控情况"
    )
    i.refresh_from_db()
    assert i.status == "returned" and i.due_on > dt.date(2026, 12, 11) - dt.timedelta(days=1)
    services.instruction_report(actor=judge, instruction_id=i.pk, body="已查封住房一套")
    services.instruction_review(actor=supervisor, instruction_id=i.pk, accept=True, body="同意办结")
    i.refresh_from_db()
    assert i.status == "closed" and i.closed_at is not None
    kinds = list(i.entries.values_list("kind", flat=True))
    assert kinds == ["acknowledgement", "report", "return", "report", "acceptance"]


def test_who_may_issue_to_whom(world: World, filed: EnforcementCase, supervisor: User) -> None:
    with pytest.raises(PermissionDenied):
        services.instruction_issue(
            actor=world.judge_fast, kind="assign", subject="x", body="y", target_court_code="浙0602"
        )
    with pytest.raises(ServiceError) as e:  # 督办 goes down, never to one's own court
        services.instruction_issue(
            actor=world.chief, kind="supervise", subject="x", body="y", target_court_code="浙0602"
        )
    assert e.value.field == "target_court"
    with pytest.raises(ServiceError):  # not to a neighbouring court
        services.instruction_issue(
            actor=world.chief, kind="assign", subject="x", body="y", target_court_code="浙0603"
        )
    with pytest.raises(ServiceError):  # a case of another court
        services.instruction_issue(
            actor=supervisor,
            kind="assign",
            subject="x",
            body="y",
            target_court_code="浙0603",
            case_id=filed.pk,
        )
    with pytest.raises(ServiceError):
        services.instruction_issue(
            actor=supervisor, kind="assign", subject="x", body="y", target_court_code="浙0602", days=0
        )
    assert not Instruction.objects.exists()
    i = services.instruction_issue(
        actor=world.chief,
        kind="assign",
        subject="清理长期未结案件",
        body="本周内报告",
        target_court_code="浙0602",
        target_team_id=world.fast.pk,
        days=5,
        on=dt.date(2026, 12, 1),
    )
    assert i.due_on == dt.date(2026, 12, 6) and i.target_team == world.fast
    # a member of the team answers; the other team does not see it
    with pytest.raises(NotFound):
        services.instruction_acknowledge(actor=world.judge_complex, instruction_id=i.pk)
    services.instruction_report(actor=world.assistant_fast, instruction_id=i.pk, body="已清理 3 件")


def test_instructions_are_reminded_then_escalated_and_alerted(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    i = services.instruction_issue(
        actor=supervisor,
        kind="assign",
        subject="x",
        body="y",
        target_court_code="浙0602",
        case_id=filed.pk,
        days=10,
        on=dt.date(2026, 12, 1),
    )
    assert services.instructions_sweep(on=dt.date(2026, 12, 5)) == {"reminded": 0, "escalated": 0}
    assert services.instructions_sweep(on=dt.date(2026, 12, 9))["reminded"] == 1
    assert services.instructions_sweep(on=dt.date(2026, 12, 10))["reminded"] == 0  # once
    assert services.instructions_sweep(on=dt.date(2026, 12, 12))["escalated"] == 1
    i.refresh_from_db()
    assert i.level == 1
    services.instructions_sweep(on=dt.date(2026, 12, 30))
    i.refresh_from_db()
    assert i.level == 3
    last = i.entries.filter(kind=InstructionEntry.Kind.ESCALATION).last()
    assert last is not None and "提级执行" in last.body
    services.alerts_sweep(on=dt.date(2026, 12, 30))
    alert = Alert.objects.get(rule="instruction_overdue")
    assert alert.assignee == filed.judge and i.number in alert.title


def test_reported_figures_feed_the_voluntary_performance_rate(world: World, filed: EnforcementCase) -> None:
    from zhixing.command.projection import project_pending
    from zhixing.command.selectors import Period, figures_by

    operator = User.objects.create(
        username="op", court=world.court, role=Role.COMMAND_OPERATOR, full_name="操作员"
    )
    with pytest.raises(PermissionDenied):
        services.figures_report(
            actor=world.judge_fast, court_code="浙0602", month=dt.date(2026, 11, 1), titles_with_payment=1
        )
    with pytest.raises(ServiceError):
        services.figures_report(
            actor=operator,
            court_code="浙0602",
            month=dt.date(2026, 11, 1),
            titles_with_payment=10,
            petitions_received=1,
            petitions_concluded=2,
        )
    services.figures_report(
        actor=operator, court_code="浙0602", month=dt.date(2026, 11, 15), titles_with_payment=4
    )
    services.figures_report(
        actor=operator,
        court_code="浙0602",
        month=dt.date(2026, 11, 1),
        titles_with_payment=10,
        petitions_received=2,
        petitions_concluded=1,
    )
    project_pending()
    f = figures_by(period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), court_ids=[world.court.pk])[
        None
    ]
    assert f.kpis["voluntary_performance_rate"] == 90  # 10 titles, 1 went to enforcement
    assert f.kpis["petition_conclusion_rate"] == 50


def test_the_issuing_court_takes_its_powers_over_the_instructions_case(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    i = services.instruction_issue(
        actor=supervisor,
        kind="supervise",
        subject="长期未结",
        body="请反馈",
        target_court_code="浙0602",
        case_id=filed.pk,
    )
    judge = filed.judge
    assert judge is not None
    with pytest.raises(PermissionDenied):
        services.instruction_power(actor=judge, instruction_id=i.pk, power="urge", reason="x", days=30)
    with pytest.raises(
        ServiceError
    ):  # the six months have not passed: the cases rule refuses, nothing written
        services.instruction_power(
            actor=supervisor,
            instruction_id=i.pk,
            power="urge",
            reason="逾期未执结",
            days=30,
            on=dt.date(2026, 12, 1),
        )
    assert not i.entries.filter(kind="power").exists()
    services.instruction_power(
        actor=supervisor,
        instruction_id=i.pk,
        power="urge",
        reason="逾期未执结",
        days=30,
        on=dt.date(2027, 5, 10),
    )
    entry = i.entries.get(kind="power")
    assert (
        entry.body.startswith("督促执行令")
        and Node.objects.filter(case=filed, code="urging_deadline").exists()
    )
    assert JournalEvent.objects.filter(stream=filed.stream, kind="case.urged").exists()
