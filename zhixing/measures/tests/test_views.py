"""The 强制措施 screens with the Django test client: the case card (proposals with reasons, ability
evidence and citations; the judge's 采取 / 不采取; 立即审查; measures with their documents; 暂缓公布;
fines), permissions, the public search without login (masked IDs only), and the partner admin that
shows a new key once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import identity
from zhixing.core.models import JournalEvent, User
from zhixing.core.services import approval_decide
from zhixing.measures import lists
from zhixing.measures.models import ListEntry, Measure, Partner, PartnerCheck, Proposal


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def judge_of(case: EnforcementCase) -> User:
    assert case.judge is not None
    return case.judge


def notice_delivered(case: EnforcementCase, on: dt.date) -> None:
    """The performance notice issued and its postal receipt back (the period runs from delivery)."""
    from zhixing.documents.models import Delivery
    from zhixing.documents.services import delivery_record_receipt, delivery_send

    judge = judge_of(case)
    case_services.case_act(actor=judge, case_id=case.pk, kind="performance_notice.issued", on=on)
    for d in Delivery.objects.filter(document__stream=case.stream, document__kind="performance_notice"):
        delivery_send(actor=judge, delivery=d, tracking_number="EMS1234567890CN")
        delivery_record_receipt(actor=judge, delivery=d, received_on=on + dt.timedelta(days=2))


@pytest.fixture
def overdue(world: World, submit: Callable[..., CaseApplication]) -> EnforcementCase:
    """A case whose debtor let the performance notice's period pass."""
    app = submit()
    case = case_services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    notice_delivered(case, dt.date(2026, 11, 4))
    case.refresh_from_db()
    return case


def panel(c: Client, case: EnforcementCase) -> str:
    r = c.get(f"/measures/cases/{case.pk}/panel")
    assert r.status_code == 200
    return r.content.decode()


def reviewed(c: Client, case: EnforcementCase) -> str:
    r = c.post(f"/measures/cases/{case.pk}/review", follow=True)
    assert r.redirect_chain[0][0] == f"/cases/{case.pk}/#coercive-measures"
    return r.content.decode()


def proposal(case: EnforcementCase, kind: str) -> Proposal:
    return Proposal.objects.get(case=case, kind=kind, status=Proposal.Status.OPEN)


def decide(c: Client, case: EnforcementCase, p: Proposal, *, take: bool, note: str = "") -> Any:
    return c.post(
        f"/measures/cases/{case.pk}/proposals/{p.pk}/decide",
        {"take": "1" if take else "0", "note": note},
        follow=True,
    )


def approved(world: World, p: Proposal) -> Measure:
    p.refresh_from_db()
    assert p.status == Proposal.Status.APPROVAL and p.approval_id is not None
    approval_decide(actor=world.president, approval_id=p.approval_id, approve=True)
    return Measure.objects.get(proposal=p)


def test_the_card_shows_what_is_due_with_reasons_evidence_and_citations_within_a_query_budget(
    world: World, overdue: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    case = overdue
    c = client_for(judge_of(case))
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/measures/cases/{case.pk}/panel"' in page and 'data-testid="measures"' in page
    body = panel(c, case)
    assert "暂无措施建议" in body and "立即审查" in body and "尚未采取强制措施" in body
    page = reviewed(c, case)
    assert "审查完毕：新提出 1 项建议（限制消费）" in page
    # refusing to report property: the listing becomes due on its ground, with the ability evidence
    case_services.case_act(
        actor=judge_of(case), case_id=case.pk, kind="asset_report.violated", note="逾期未报告"
    )
    assert "纳入失信被执行人名单" in reviewed(c, case)
    with django_assert_max_num_queries(8):
        body = panel(c, case)
    restriction = proposal(case, "consumption_restriction")
    listing = proposal(case, "dishonest_listing")
    assert f'data-testid="proposal-{restriction.pk}" data-kind="consumption_restriction"' in body
    assert "依法应当" in body and "违反财产报告制度" in body
    assert "履行能力" in body and listing.evidence["items"][0] in body
    assert "data-able=" in body and ("失信" in body or "失能" in body)
    assert "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第1条" in body
    # two versions of one regulation are told apart by their year
    assert "《最高人民法院关于公布失信被执行人名单信息的若干规定》（2017年）第1条第4项" in body
    assert "《最高人民法院关于公布失信被执行人名单信息的若干规定》（2013年）第2条" in body
    for p in (restriction, listing):
        assert f"/measures/cases/{case.pk}/proposals/{p.pk}/decide" in body  # the judge's buttons
    assert 'data-testid="sanction-form"' in body and "拒绝报告、虚假报告财产" in body
    assert "待决定 2" in body


def test_citations_read_as_law_and_article_once_each() -> None:
    from zhixing.measures.views import citation_texts

    law, cpl = "最高人民法院关于公布失信被执行人名单信息的若干规定", "中华人民共和国民事诉讼法"
    texts = citation_texts(
        [
            {"law": cpl, "article": "第251条", "year": 2023, "marker": "V"},
            {"law": cpl, "article": "第251条", "year": 2023, "marker": "Vq"},
            {"law": law, "article": "第2条", "year": 2017, "marker": "V"},
            {"law": law, "article": "第2条", "year": 2013, "marker": "V"},
            {"law": law, "article": "第10条第2款", "year": 2017, "marker": "U"},
        ]
    )
    assert texts == [
        f"《{cpl}》第251条",
        f"《{law}》（2017年）第2条",
        f"《{law}》（2013年）第2条",
        f"《{law}》（2017年）第10条第2款（待核）",
    ]


def test_taken_and_approved_measures_show_their_documents_and_may_be_withheld(
    world: World, overdue: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    case = overdue
    c = client_for(judge_of(case))
    reviewed(c, case)
    p = proposal(case, "consumption_restriction")
    r = decide(c, case, p, take=True, note="逾期未履行")
    assert "已决定采取限制消费，已报院长批准" in r.content.decode()
    assert "待院长批准" in panel(c, case)
    m = approved(world, p)
    assert m.document_number
    with django_assert_max_num_queries(8):
        body = panel(c, case)
    assert m.document_number in body and "/documents/" in body
    assert f'data-testid="coercive-{m.pk}" data-kind="consumption_restriction" data-state="active"' in body
    assert f"/measures/cases/{case.pk}/measures/{m.pk}/withhold" in body
    # 暂缓公布: a reason and a grace period are required
    r = c.post(
        f"/measures/cases/{case.pk}/measures/{m.pk}/withhold", {"months": "2", "reason": ""}, follow=True
    )
    assert "须写明暂缓公布的理由" in r.content.decode()
    r = c.post(
        f"/measures/cases/{case.pk}/measures/{m.pk}/withhold",
        {"months": "2", "reason": "被执行人承诺宽限期内履行"},
        follow=True,
    )
    m.refresh_from_db()
    assert m.status == Measure.Status.WITHHELD and m.withheld_until is not None
    assert f"已暂缓公布至 {m.withheld_until.isoformat()}" in r.content.decode()
    assert not ListEntry.objects.filter(measure=m, active=True).exists()
    assert 'data-testid="withheld-until"' in panel(c, case)


def test_a_refused_approval_is_shown_with_the_presidents_reasons(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    c = client_for(judge_of(case))
    reviewed(c, case)
    p = proposal(case, "consumption_restriction")
    decide(c, case, p, take=True, note="逾期未履行")
    p.refresh_from_db()
    assert p.approval_id is not None
    approval_decide(
        actor=world.president, approval_id=p.approval_id, approve=False, reason="请先查明履行能力"
    )
    body = panel(c, case)
    assert "院长不予批准" in body and "请先查明履行能力" in body
    assert not Measure.objects.filter(case=case).exists()


def test_a_correction_is_registered_by_the_team_and_decided_by_the_judge(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    judge = client_for(judge_of(case))
    case_services.case_act(
        actor=judge_of(case), case_id=case.pk, kind="asset_report.violated", note="逾期未报告"
    )
    reviewed(judge, case)
    p = proposal(case, "dishonest_listing")
    decide(judge, case, p, take=True, note="拒不报告财产")
    m = approved(world, p)
    clerk = client_for(world.clerk)
    url = f"/measures/cases/{case.pk}/measures/{m.pk}/corrections"
    assert url in panel(clerk, case)
    r = clerk.post(url, {"ground": "not_to_be_listed", "statement": ""}, follow=True)
    assert "请写明申请纠正的理由" in r.content.decode()
    r = clerk.post(url, {"ground": "not_to_be_listed", "statement": "已按时报告财产"}, follow=True)
    correction = m.corrections.get()
    assert f"已登记纠正申请，应于 {correction.review_by.isoformat()} 前审查完毕" in r.content.decode()
    decide_url = f"/measures/cases/{case.pk}/corrections/{correction.pk}/decide"
    body = panel(clerk, case)
    assert f'data-testid="correction-{correction.pk}" data-state="pending"' in body
    assert decide_url not in body and url not in body  # one pending application at a time; the judge decides
    assert decide_url in panel(judge, case)
    r = judge.post(decide_url, {"justified": "0", "note": ""}, follow=True)
    assert "须写明审查意见" in r.content.decode()
    r = judge.post(decide_url, {"justified": "0", "note": "报告财产确已逾期"}, follow=True)
    correction.refresh_from_db()
    assert correction.status == "rejected" and correction.reconsideration_apply_by is not None
    assert correction.reconsideration_apply_by.isoformat() in r.content.decode()
    assert "向上一级人民法院申请复议" in panel(judge, case)


def test_declining_without_reasons_shows_the_error_and_with_reasons_is_journaled(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    c = client_for(judge_of(case))
    reviewed(c, case)
    p = proposal(case, "consumption_restriction")
    r = decide(c, case, p, take=False, note="  ")
    assert "决定不采取的，须写明理由" in r.content.decode()
    p.refresh_from_db()
    assert p.status == Proposal.Status.OPEN
    r = decide(c, case, p, take=False, note="被执行人确无履行能力")
    assert "已决定不采取限制消费" in r.content.decode()
    p.refresh_from_db()
    assert p.status == Proposal.Status.DECLINED
    assert JournalEvent.objects.filter(stream=case.stream, kind="measures.declined").exists()
    body = panel(c, case)
    assert "决定不采取" in body and "被执行人确无履行能力" in body
    assert f"/proposals/{p.pk}/decide" not in body  # decided: no more buttons


def test_another_teams_judge_gets_404_and_a_clerk_cannot_decide(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    reviewed(client_for(judge_of(case)), case)
    p = proposal(case, "consumption_restriction")
    for outsider in (world.judge_complex, world.other_judge):
        c = client_for(outsider)
        assert c.get(f"/measures/cases/{case.pk}/panel").status_code == 404
        assert c.post(f"/measures/cases/{case.pk}/review").status_code == 404
        r = c.post(f"/measures/cases/{case.pk}/proposals/{p.pk}/decide", {"take": "1"})
        assert r.status_code == 404
        assert c.post(f"/measures/cases/{case.pk}/sanctions", {}).status_code == 404
    clerk = client_for(world.clerk)  # the case's own team, but not its judge
    body = panel(clerk, case)
    assert "限制消费" in body and f"/proposals/{p.pk}/decide" not in body
    assert 'data-testid="sanction-form"' not in body
    r = decide(clerk, case, p, take=True)
    assert "此操作须由执行法官办理" in r.content.decode()
    p.refresh_from_db()
    assert p.status == Proposal.Status.OPEN and p.approval_id is None
    # a proposal of another case is not found through this case's address
    assert client_for(judge_of(case)).post(f"/measures/cases/{case.pk + 999}/review").status_code == 404
    # the court's bureau chief sees the card but does not run the review
    chief = client_for(world.chief)
    assert "限制消费" in panel(chief, case)
    r = chief.post(f"/measures/cases/{case.pk}/review", follow=True)
    assert "立即审查须由本案承办团队办理" in r.content.decode()


def test_a_fine_is_checked_against_the_law_and_sent_for_approval(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    c = client_for(judge_of(case))
    debtor = case.parties.get(role="debtor").party
    url = f"/measures/cases/{case.pk}/sanctions"
    base = {"party": debtor.pk, "kind": "fine", "act": "refusal_to_perform"}
    r = c.post(url, {**base, "amount": ""}, follow=True)
    assert "罚款须填写金额" in r.content.decode()
    r = c.post(url, {**base, "amount": "100000.01"}, follow=True)
    assert "100" in r.content.decode() and not Proposal.objects.filter(kind="fine").exists()
    r = c.post(url, {**base, "amount": "20000", "note": "拒不履行"}, follow=True)
    assert "已提出罚款，已报院长批准" in r.content.decode()
    fine = Proposal.objects.get(kind="fine")
    assert fine.status == Proposal.Status.APPROVAL
    body = panel(c, case)
    assert "罚款金额 ¥20000.00" in body and "拒不履行人民法院已经发生法律效力的判决、裁定" in body
    r = c.post(url, {**base, "kind": "detention", "days": ""}, follow=True)
    assert "拘留须填写日数" in r.content.decode()


def search(c: Client, **data: str) -> Any:
    c.get("/public/lists/")
    return c.post("/public/lists/", {**data, "csrfmiddlewaretoken": c.cookies["csrftoken"].value})


def test_the_public_page_works_without_login_and_never_shows_a_full_id(
    world: World, overdue: EnforcementCase
) -> None:
    case = overdue
    debtor = case.parties.get(role="debtor").party
    number = identity.decrypt(debtor.id_cipher)
    anonymous = Client(enforce_csrf_checks=True)  # the search is a POST from the page's own form
    r = anonymous.get("/public/lists/")
    assert r.status_code == 200 and "失信被执行人、限制消费人员公开查询" in r.content.decode()
    assert "public-results" not in r.content.decode()
    body = search(anonymous, q=number).content.decode()
    assert "未查到公布中的名单信息" in body and number not in body
    c = client_for(judge_of(case))
    reviewed(c, case)
    p = proposal(case, "consumption_restriction")
    decide(c, case, p, take=True)
    approved(world, p)
    for q in (number, debtor.name):
        r = search(anonymous, q=q)
        body = r.content.decode()
        assert r.status_code == 200
        assert number not in body  # neither in the results nor echoed back into the search box
        assert debtor.id_masked in body and debtor.name in body and case.case_number in body
        assert 'data-list="consumption"' in body and "限制消费人员" in body
    body = search(anonymous, q=debtor.name, list="dishonest").content.decode()
    assert "未查到公布中的名单信息" in body
    body = search(anonymous, q="李").content.decode()
    assert "请输入姓名（名称）或完整的证件号" in body


def test_the_admin_registers_a_partner_through_the_service_and_shows_the_key_once(
    admin_client: Client, world: World
) -> None:
    r = admin_client.post(
        "/admin/measures/partner/add/",
        {"name": "某航空公司", "kind": "airline", "rate_per_minute": "600", "may_mirror": ""},
    )
    assert r.status_code == 200, r.content.decode()[:2000]
    body = r.content.decode()
    assert "密钥只显示这一次" in body and "no-store" in r["Cache-Control"]
    key = body.split('data-testid="partner-key-value"')[1].split(">")[1].split("<")[0]
    partner = Partner.objects.get()
    assert key.startswith(f"zxp_{partner.key_prefix}_") and partner.key_hash != key
    assert lists.partner_authenticate(key) == partner
    assert key not in admin_client.get(f"/admin/measures/partner/{partner.pk}/change/").content.decode()
    r = admin_client.post(
        "/admin/measures/partner/add/", {"name": "某银行", "kind": "bank", "rate_per_minute": "0"}
    )
    assert "调用上限须为正数" in r.content.decode() and Partner.objects.count() == 1
    # the audit tables are read-only
    assert admin_client.get("/admin/measures/partnercheck/add/").status_code == 403
    assert admin_client.get("/admin/measures/listentry/add/").status_code == 403
    assert admin_client.get("/admin/measures/listentry/").status_code == 200
    assert admin_client.get("/admin/measures/partnercheck/").status_code == 200
    assert PartnerCheck.objects.count() == 0
