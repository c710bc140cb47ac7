import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from zhixing.cases import services
from zhixing.cases.models import CaseApplication, CaseNumberCounter, EnforcementCase, EnforcementTitle
from zhixing.cases.tests.conftest import World, parties, title
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent, Party


def test_online_application_waits_in_the_queue(world: World, submit: Callable[..., CaseApplication]) -> None:
    app = submit(received_on=dt.date(2026, 9, 28))
    assert app.status == "pending" and app.channel == "online"
    # 7 days from 2026-09-28 ends on 10-05, inside the National Day holiday → the first workday after it
    assert app.acceptance_due_on == dt.date(2026, 10, 8)
    assert JournalEvent.objects.filter(stream=f"application:{app.pk}", kind="application.submitted").exists()


def test_accept_files_numbers_triages_and_assigns(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    app = submit()
    case = services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    assert case.case_number == "（2026）浙0602执1号"
    assert case.stage == "in_enforcement"
    assert case.track == "fast_track" and case.track_reasons
    assert case.team == world.fast and case.judge == world.judge_fast
    assert {n.code for n in case.nodes.all()} >= {
        "performance_notice",
        "asset_report_order",
        "enforcement_period",
    }
    # 6 months from filing on 2026-11-03
    # six months from filing on 2026-11-03: 2027-05-03, provisional until the 2027 arrangement is published
    assert case.enforcement_deadline == dt.date(2027, 5, 3)
    kinds = list(JournalEvent.objects.filter(stream=case.stream).values_list("kind", flat=True))
    assert kinds[:4] == ["case.filed", "funds.account_opened", "nodes.opened", "case.triaged"]
    assert "case.assigned" in kinds
    assert case.filing_citations
    app.refresh_from_db()
    assert app.status == "accepted" and app.case == case
    assert verify_chains().ok


def test_numbers_follow_each_other_per_court_year_and_type(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    numbers = []
    for i in range(3):
        app = submit(n=i + 1, title={"document_number": f"（2026）浙0602民初{i}号"})
        numbers.append(services.application_accept(actor=world.clerk, application_id=app.pk).case_number)
    assert numbers == [f"（{dt.date.today().year}）浙0602执{i}号" for i in (1, 2, 3)] or [
        n.split("执")[1] for n in numbers
    ] == ["1号", "2号", "3号"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_filing_gives_no_gap_and_no_duplicate(courts: dict) -> None:
    court = courts["浙0602"]
    threads, per_thread = 6, 10
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work() -> None:
        try:
            barrier.wait()
            from django.db import transaction

            for _ in range(per_thread):
                with transaction.atomic():
                    services.case_number_allocate(court=court, year=2026, type_code="执")
        except BaseException as e:  # pragma: no cover
            errors.append(e)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=120)
    assert not errors, errors
    assert CaseNumberCounter.objects.get(court=court, year=2026, type_code="执").last == threads * per_thread


def test_a_failed_filing_consumes_no_number(world: World, submit: Callable[..., CaseApplication]) -> None:
    bad = submit(
        title={"issuing_court_code": "浙0603", "document_number": "X1"}
    )  # wrong first-instance court
    with pytest.raises(ServiceError, match="不符合立案条件"):
        services.application_accept(actor=world.clerk, application_id=bad.pk)
    good = submit(n=2, title={"document_number": "X2"})
    case = services.application_accept(actor=world.clerk, application_id=good.pk)
    assert case.sequence == 1


def test_out_of_time_application_is_still_filed_with_a_warning(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    app = submit(title={"effective_on": "2022-01-10", "performance_deadline": "2022-01-25"})
    review = services.application_review(application=app, on=dt.date(2026, 11, 3)).value
    assert not review.refusals and review.warnings
    case = services.application_accept(actor=world.clerk, application_id=app.pk)
    assert case.stage == "in_enforcement"
    assert any(
        "481" in str(c)
        for c in JournalEvent.objects.get(stream=case.stream, kind="case.filed").payload["citations"]
    )


def test_missing_materials_are_refusals_with_citations(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    app = submit(materials=["application"])
    review = services.application_review(application=app).value
    assert review.refusals and all(r.citations for r in review.refusals)


def test_reject_needs_reasons(world: World, submit: Callable[..., CaseApplication]) -> None:
    app = submit()
    with pytest.raises(ServiceError, match="理由"):
        services.application_reject(actor=world.clerk, application_id=app.pk, reasons="")
    services.application_reject(actor=world.clerk, application_id=app.pk, reasons="执行依据尚未生效")
    with pytest.raises(Conflict):
        services.application_accept(actor=world.clerk, application_id=app.pk)
    assert not EnforcementCase.objects.exists()


def test_duplicate_title_against_same_debtor_is_flagged(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    first = services.application_accept(actor=world.clerk, application_id=submit().pk)
    again = services.application_accept(actor=world.clerk, application_id=submit().pk)
    assert again.duplicate_of == [first.case_number]


def test_bad_input_changes_nothing(world: World, submit: Callable[..., CaseApplication]) -> None:
    before = (Party.objects.count(), EnforcementTitle.objects.count(), JournalEvent.objects.count())
    bad_parties = parties()
    bad_parties[1]["id_number"] = "330602198001011019"  # wrong check digit
    with pytest.raises(ServiceError) as e:
        submit(parties=bad_parties)
    assert e.value.field == "parties[1].id_number" and "第 2 位当事人" in e.value.message
    with pytest.raises(ServiceError, match="申请执行人"):
        submit(parties=[p for p in parties() if p["role"] == "debtor"])
    with pytest.raises(ServiceError, match="日期"):
        submit(title={"effective_on": "2026-13-01"})
    assert (Party.objects.count(), EnforcementTitle.objects.count(), JournalEvent.objects.count()) == before
    assert not CaseApplication.objects.exists()


def test_only_the_courts_filing_staff_accept(world: World, submit: Callable[..., CaseApplication]) -> None:
    app = submit()
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=world.judge_fast, application_id=app.pk)
    with pytest.raises(NotFound):
        services.application_accept(actor=world.other_judge, application_id=app.pk)
    with pytest.raises(NotFound):  # an outside user has no court at all
        services.application_accept(actor=world.lawyer, application_id=app.pk)


def test_high_court_takes_no_enforcement_application(world: World, courts: dict) -> None:
    with pytest.raises(ServiceError, match="中级或基层"):
        services.application_submit(
            actor=world.lawyer,
            court=courts["浙"],
            title=title(),
            parties=parties(),
            jurisdiction_basis="first_instance",
        )
