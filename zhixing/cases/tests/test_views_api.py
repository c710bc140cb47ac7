import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhixing.cases import services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World, parties, title
from zhixing.core.auth import api_token_issue
from zhixing.core.journal import verify_chains
from zhixing.core.models import User


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_issue(user=user, name='t')[1]}"}


def post(c: Client, url: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return c.post(url, data=json.dumps(data, default=str), content_type="application/json", headers=headers)


def test_workbench_lists_overdue_first_within_a_query_budget(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    cases = []
    for i in range(12):
        app = submit(n=i + 1, title={"document_number": f"（2026）浙0602民初{i}号"})
        cases.append(services.application_accept(actor=world.clerk, application_id=app.pk))
    services.nodes_sweep(on=dt.date(2026, 11, 12))  # 10-day nodes of cases received 11-02 are due soon
    EnforcementCase.objects.filter(pk=cases[5].pk).update(alert_rank=2)
    c = client_for(world.judge_fast)
    with CaptureQueriesContext(connection) as q:
        r = c.get("/cases/")
    assert r.status_code == 200
    assert len(q) <= 8, [x["sql"] for x in q]
    body = r.content.decode()
    assert body.index(cases[5].case_number) < body.index(cases[0].case_number)
    r = c.get("/cases/?track=complex_track")
    assert cases[0].case_number not in r.content.decode()


def test_case_page_shows_nodes_timeline_and_acts(world: World, filed: EnforcementCase) -> None:
    c = client_for(world.judge_fast)
    with CaptureQueriesContext(connection) as q:
        body = c.get(f"/cases/{filed.pk}/").content.decode()
    assert len(q) <= 20, len(q)
    assert filed.case_number in body and "发出执行通知书" in body and "立案" in body
    assert "合计" in body  # the triage reasons
    r = c.post(f"/cases/{filed.pk}/act/", {"kind": "performance_notice.issued"}, follow=True)
    page = r.content.decode()
    assert "已办理" in page and "执行通知书" in page and "电子卷宗" in page
    r = c.post(f"/cases/{filed.pk}/close/", {"mode": "no_assets_closure"}, follow=True)
    assert "不符合结案条件" in r.content.decode()


def test_other_team_and_other_court_get_404(world: World, filed: EnforcementCase) -> None:
    assert client_for(world.judge_complex).get(f"/cases/{filed.pk}/").status_code == 404
    assert client_for(world.other_judge).get(f"/cases/{filed.pk}/").status_code == 404
    r = client_for(world.other_judge).post(f"/cases/{filed.pk}/act/", {"kind": "performance_notice.issued"})
    assert r.status_code == 404
    assert client_for(world.chief).get(f"/cases/{filed.pk}/").status_code == 200


def test_bureau_chief_sees_workload(world: World, filed: EnforcementCase) -> None:
    body = client_for(world.chief).get("/cases/").content.decode()
    assert "团队办案量" in body and "快执1组" in body


def test_counter_registration_and_acceptance_in_the_ui(world: World) -> None:
    c = client_for(world.clerk)
    form = {
        "title_kind": "judgment",
        "issuing_body": "绍兴市越城区人民法院",
        "issuing_court_code": "浙0602",
        "document_number": "（2026）浙0602民初555号",
        "effective_on": "2026-09-01",
        "performance_deadline": "2026-09-15",
        "principal": "80000",
        "costs": "500",
        "applicant_kind": "natural_person",
        "applicant_name": "王建华",
        "applicant_id": parties()[0]["id_number"],
        "debtor_kind": "natural_person",
        "debtor_name": "李某",
        "debtor_id": "123",
        "jurisdiction_basis": "first_instance",
        "materials": ["application", "title", "identity"],
    }
    r = c.post("/cases/applications/", form)
    assert r.status_code == 400 and "18 位" in r.content.decode()
    form["debtor_id"] = parties()[1]["id_number"]
    r = c.post("/cases/applications/", form)
    assert r.status_code == 302
    review = c.get(r.headers["Location"]).content.decode()
    assert "符合立案条件" in review
    r = c.post(r.headers["Location"], {"decision": "accept"})
    assert r.status_code == 302 and "/cases/" in r.headers["Location"]
    assert EnforcementCase.objects.count() == 1


def test_the_whole_journey_through_the_api(
    world: World, client: Client, make_user: Callable[..., User]
) -> None:
    lawyer, clerk, judge, president = (
        bearer(world.lawyer),
        bearer(world.clerk),
        bearer(world.judge_fast),
        bearer(world.president),
    )
    body = {
        "court_code": "浙0602",
        "title": title(),
        "parties": parties(),
        "jurisdiction_basis": "first_instance",
        "materials": ["application", "title", "identity"],
    }
    r = post(client, "/api/v1/cases/applications", body, lawyer)
    assert r.status_code == 201, r.json()
    app_id = r.json()["id"]
    assert [a["id"] for a in client.get("/api/v1/cases/applications", headers=lawyer).json()] == [app_id]
    r = post(client, f"/api/v1/cases/applications/{app_id}/accept", {}, lawyer)
    assert r.status_code == 404  # an outside user has no court
    r = post(client, f"/api/v1/cases/applications/{app_id}/accept", {}, clerk)
    assert r.status_code == 200
    case_id = r.json()["id"]
    assert r.json()["case_number"].startswith("（")
    r = post(client, f"/api/v1/cases/{case_id}/close", {"mode": "no_assets_closure"}, judge)
    assert r.status_code == 400 and r.json()["error"]["code"] == "closing_conditions_unmet"
    assert r.json()["error"]["detail"]["unmet"]
    cl = client.get(f"/api/v1/cases/{case_id}/closing-checklist?mode=no_assets_closure", headers=judge).json()
    assert not cl["ok"] and any(not i["met"] for i in cl["items"])
    for kind in [
        "performance_notice.issued",
        "asset_report_order.issued",
        "asset_report.handled",
        "network_inquiry.done",
        "consumption_restriction.issued",
        "applicant.interviewed",
    ]:
        r = post(client, f"/api/v1/cases/{case_id}/acts", {"kind": kind, "note": "已办"}, judge)
        assert r.status_code == 200, r.json()
    EnforcementCase.objects.filter(pk=case_id).update(filed_on=dt.date(2026, 1, 5))  # a case filed long ago
    r = post(
        client,
        f"/api/v1/cases/{case_id}/close",
        {"mode": "no_assets_closure", "applicant_consents": True},
        judge,
    )
    assert r.status_code == 200 and r.json()["stage"] == "closed", r.json()
    r = post(client, f"/api/v1/cases/{case_id}/restore", {"reason": "发现新财产"}, clerk)
    assert r.status_code == 200 and r.json()["parent_case_number"]
    assert client.get("/api/v1/cases", headers=judge).json()["count"] >= 1
    assert president and verify_chains().ok


def test_api_bad_input_is_structured(world: World, client: Client) -> None:
    r = post(client, "/api/v1/cases/applications", {"court_code": "浙0602"}, bearer(world.lawyer))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    body = {
        "court_code": "浙9999",
        "title": title(),
        "parties": parties(),
        "jurisdiction_basis": "first_instance",
    }
    r = post(client, "/api/v1/cases/applications", body, bearer(world.lawyer))
    assert r.status_code == 400 and r.json()["error"]["field"] == "court_code"
    assert not CaseApplication.objects.exists()


def test_openapi_lists_the_case_acts(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cases/{case_id}/close" in paths and "/api/v1/cases/applications" in paths
    assert client.get("/api/docs").status_code == 302


def test_bank_notice_posts_once_and_allows_full_performance(
    world: World, filed: EnforcementCase, client: Client
) -> None:
    import hashlib
    import hmac

    from zhixing.funds.models import Bank, CaseAccount
    from zhixing.funds.selectors import case_position

    account = CaseAccount.objects.get(case=filed)  # opened at filing
    bank = Bank.objects.create(code="icbc-sx", name="工商银行绍兴分行", court=world.court, key="k" * 32)
    body = json.dumps(
        {"reference": "B2026112900001", "account_number": account.number, "amount": str(filed.claim_amount)}
    ).encode()
    good = hmac.new(bank.key.encode(), body, hashlib.sha256).hexdigest()
    url = "/api/v1/funds/bank-notices/icbc-sx"
    r = client.post(
        url, data=body, content_type="application/json", headers={"X-Zhixing-Signature": "0" * 64}
    )
    assert r.status_code == 401 and case_position(filed).received == 0
    for _ in range(2):  # the bank retries: posted once
        r = client.post(
            url, data=body, content_type="application/json", headers={"X-Zhixing-Signature": good}
        )
        assert r.status_code == 200 and r.json()["status"] == "posted"
    assert case_position(filed).received == filed.claim_amount
    services.case_close(actor=world.judge_fast, case_id=filed.pk, mode="fully_performed")
    filed.refresh_from_db()
    assert filed.closing_mode == "fully_performed"
    assert verify_chains().ok


def test_unidentified_receipt_is_resolved_in_the_ui(world: World, filed: EnforcementCase) -> None:
    from zhixing.funds.selectors import case_position
    from zhixing.funds.services import receipt_record

    receipt_record(
        court=world.court, account_number="ZX-WRONG-NUMBER", amount="1200.00", idempotency_key="r1"
    )
    c = client_for(world.clerk)
    page = c.get("/funds/unidentified/").content.decode()
    assert "1200.00" in page
    posting_id = int(page.split('name="posting_id" value="')[1].split('"')[0])
    assert "1200.00" not in client_for(world.other_judge).get("/funds/unidentified/").content.decode()  # 柯桥
    r = c.post(
        "/funds/unidentified/",
        {"posting_id": posting_id, "case_number": "（2099）浙0602执9号", "reason": "x"},
        follow=True,
    )
    assert "不存在或无权查看" in r.content.decode()
    r = c.post(
        "/funds/unidentified/",
        {"posting_id": posting_id, "case_number": filed.case_number, "reason": "汇款人来电"},
        follow=True,
    )
    assert "已认领" in r.content.decode()
    assert case_position(filed).received == Decimal("1200.00")
    assert (
        client_for(world.judge_fast).get("/funds/unidentified/").status_code == 200
    )  # nothing of the court hidden? judge sees the list


def _bank_and_receipt(world: World, case: EnforcementCase, amount: str) -> None:
    from zhixing.funds.models import Bank, CaseAccount
    from zhixing.funds.services import receipt_record

    Bank.objects.create(code="icbc-yc", name="工商银行越城支行", court=world.court, key="k" * 32)
    number = CaseAccount.objects.get(case=case).number
    receipt_record(court=world.court, account_number=number, amount=amount, idempotency_key=f"r-{case.pk}")


def test_receipt_to_payout_in_the_ui(world: World, filed: EnforcementCase) -> None:
    from zhixing.funds.models import DistributionPlan
    from zhixing.funds.payouts import payout_batch_process
    from zhixing.funds.selectors import case_position

    _bank_and_receipt(world, filed, "20000.00")
    judge, chief = client_for(world.judge_fast), client_for(world.chief)
    page = judge.get(f"/cases/{filed.pk}/").content.decode()
    assert "执行款分配" in page and "20000.00" in page
    r = judge.post(f"/cases/{filed.pk}/distribute/", {"applicant_account": "6222000011112222"}, follow=True)
    assert "已办理" in r.content.decode()
    plan = DistributionPlan.objects.get(case=filed)
    assert plan.approval is not None
    chief.post(f"/approvals/{plan.approval.pk}/decide/", {"decision": "approve", "reason": "同意"})
    plan.refresh_from_db()
    assert plan.status == "approved"
    judge.post(f"/cases/{filed.pk}/distribution_execute/", {"plan_id": plan.pk})
    plan.refresh_from_db()
    assert plan.status == "executed" and plan.payout_batch is not None
    batch_approval = plan.payout_batch.approval
    assert batch_approval is not None
    chief.post(f"/approvals/{batch_approval.pk}/decide/", {"decision": "approve", "reason": "同意发放"})
    payout_batch_process(batch_id=plan.payout_batch.pk)  # the worker's task
    assert case_position(filed).balance == Decimal("0.00")
    assert verify_chains().ok


def test_receipt_to_payout_through_the_api(world: World, filed: EnforcementCase, client: Client) -> None:
    from zhixing.funds.payouts import payout_batch_process

    _bank_and_receipt(world, filed, "20000.00")
    judge, chief = bearer(world.judge_fast), bearer(world.chief)
    pos = client.get(f"/api/v1/funds/cases/{filed.pk}/position", headers=judge).json()
    assert Decimal(pos["balance"]) == Decimal("20000.00") and pos["account_number"].startswith("ZX")
    r = post(
        client,
        f"/api/v1/funds/cases/{filed.pk}/distributions",
        {"applicant_account": "6222000011112222"},
        judge,
    )
    assert r.status_code == 200, r.json()
    plan = r.json()
    r = post(client, f"/api/v1/approvals/{plan['approval_id']}/decide", {"approve": True}, chief)
    assert r.status_code == 200
    r = post(client, f"/api/v1/funds/distributions/{plan['id']}/execute", {}, judge)
    assert r.status_code == 200 and r.json()["status"] == "executed", r.json()
    r = post(client, f"/api/v1/approvals/{r.json()['payout_approval_id']}/decide", {"approve": True}, chief)
    assert r.status_code == 200
    payout_batch_process(
        batch_id=client.get(f"/api/v1/funds/cases/{filed.pk}/distributions", headers=judge).json()[0][
            "payout_batch_id"
        ]
    )
    pos = client.get(f"/api/v1/funds/cases/{filed.pk}/position", headers=judge).json()
    assert Decimal(pos["balance"]) == Decimal("0.00")
    r = post(
        client,
        f"/api/v1/funds/cases/{filed.pk}/distributions",
        {"applicant_account": "x"},
        bearer(world.other_judge),
    )
    assert r.status_code == 404


def test_reconciliation_through_the_api(world: World, client: Client) -> None:
    from zhixing.funds.models import Bank

    Bank.objects.create(code="icbc-yc", name="工商银行越城支行", court=world.court, key="k" * 32)
    h = bearer(world.clerk)
    bad = post(
        client,
        "/api/v1/funds/reconciliations",
        {"bank_code": "icbc-yc", "csv_text": "交易日期,流水号,金额\n"},
        h,
    )
    assert bad.status_code == 400 and "收支" in bad.json()["error"]["message"]
    csv_text = "交易日期,流水号,收支,金额,对方账号,摘要\n2026-11-03,B1,收,500.00,6222000011112222,货款\n"
    r = post(client, "/api/v1/funds/reconciliations", {"bank_code": "icbc-yc", "csv_text": csv_text}, h)
    assert r.status_code == 200 and [d["kind"] for d in r.json()["differences"]] == ["missing_in_ledger"]
    r = post(
        client,
        "/api/v1/funds/reconciliations",
        {"bank_code": "icbc-yc", "csv_text": csv_text},
        bearer(world.other_judge),
    )
    assert r.status_code == 404
