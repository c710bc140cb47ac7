"""The 查控 screens with the Django test client: the case panel and its acts, the 超标的 confirmation,
permissions, the journaled asset detail page, batch inquiries. The agencies here answer on the desk
(no simulator): their clerks' answers go through the desk page, as in production."""

# ruff: noqa: F811 - fixtures imported to be used here

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from zhixing.agencies import services as agency_services
from zhixing.agencies.models import Agency, AgencyRequest
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry, InquiryBatch
from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World, filed, submit, world  # noqa: F401 - fixtures
from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role
from zhixing.core.services import external_user_create
from zhixing.funds.selectors import case_position

M = ControlMeasure.Status


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@dataclass
class Desk:
    bank: Agency
    registry: Agency
    clerks: dict[str, User]

    def answer(self, case: EnforcementCase, data: dict[str, Any], *, act: str | None = None) -> int:
        """Each open request of the case (of ``act``) answered on its agency's desk page; how many."""
        n = 0
        rows = AgencyRequest.objects.filter(case=case, status=AgencyRequest.Status.AWAITING)
        for row in rows.filter(act=act) if act else rows:
            r = client_for(self.clerks[row.agency.code]).post(f"/agencies/desk/{row.pk}/", data)
            assert r.status_code == 302, r.content.decode()
            n += 1
        return n


@pytest.fixture
def desk(world: World) -> Desk:
    """A bank and a real-estate registry without integration: their clerks answer on the desk."""
    bank = agency_services.agency_register(code="T-BANK", name="测试银行绍兴分行", kind="bank")
    registry = agency_services.agency_register(
        code="T-REG", name="测试不动产登记中心", kind="real_estate_registry"
    )
    clerks = {}
    for agency in (bank, registry):
        clerk = external_user_create(
            username=f"desk-{agency.code.lower()}",
            full_name="柜员",
            role=Role.AGENCY_CLERK,
            password=PASSWORD,
        )
        agency_services.agency_member_add(user=clerk, agency=agency)
        clerks[agency.code] = clerk
    return Desk(bank, registry, clerks)


def judge_of(case: EnforcementCase) -> User:
    assert case.judge is not None
    return case.judge


def panel(c: Client, case: EnforcementCase) -> str:
    r = c.get(f"/asset-control/cases/{case.pk}/panel")
    assert r.status_code == 200
    return r.content.decode()


def found(desk: Desk, case: EnforcementCase) -> tuple[Asset, Asset]:
    """网络查控 by the judge, answered on the desks: a deposit of ¥200,000 and a house sealed by 浙0603."""
    c = client_for(judge_of(case))
    r = c.post(f"/asset-control/cases/{case.pk}/inquire", {"purpose": ""})
    assert r.status_code == 302 and r.headers["Location"].startswith(f"/cases/{case.pk}/")
    body = panel(c, case)
    assert 'hx-trigger="every 2s"' in body and "0/2" in body
    inquiry = Inquiry.objects.get(case=case)
    rows = AgencyRequest.objects.filter(case=case, act="inquiry")
    for row in rows:
        assets = (
            {"kind_0": "bank_deposit", "description_0": "借记卡 尾号1234", "value_0": "200000"}
            if row.agency == desk.bank
            else {"kind_0": "real_estate", "description_0": "越城区某路1号", "value_0": "1200000"}
        )
        r = client_for(desk.clerks[row.agency.code]).post(
            f"/agencies/desk/{row.pk}/", {"outcome": "completed", **assets}
        )
        assert r.status_code == 302
    house = Asset.objects.get(case=case, kind="real_estate")
    Asset.objects.filter(pk=house.pk).update(encumbrances=[{"kind": "seal", "court": "浙0603", "rank": 1}])
    inquiry.refresh_from_db()
    assert inquiry.completed_at is not None and inquiry.assets_found == 2
    return Asset.objects.get(case=case, kind="bank_deposit"), Asset.objects.get(pk=house.pk)


def test_panel_shows_inquiries_assets_and_stops_polling_within_a_query_budget(
    desk: Desk, filed: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    deposit, _ = found(desk, filed)
    c = client_for(judge_of(filed))
    with django_assert_max_num_queries(15):
        body = panel(c, filed)
    assert "every 2s" not in body  # nothing pending: no more polling
    assert "2/2" in body and "已全部答复" in body
    assert "借记卡 尾号1234" in body and "测试银行绍兴分行" in body and "¥200000.00" in body
    assert "已被浙0603查封" in body
    assert f"/asset-control/cases/{filed.pk}/assets/{deposit.pk}/control" in body  # the judge's forms
    assert "网络查控" in body
    # the case page loads the panel
    page = c.get(f"/cases/{filed.pk}/").content.decode()
    assert f'hx-get="/asset-control/cases/{filed.pk}/panel"' in page and 'data-testid="asset-control"' in page


def test_a_poll_that_finds_nothing_changed_answers_204(desk: Desk, filed: EnforcementCase) -> None:
    c = client_for(judge_of(filed))
    c.post(f"/asset-control/cases/{filed.pk}/inquire")
    body = panel(c, filed)
    version = body.split('data-version="')[1].split('"')[0]
    assert c.get(f"/asset-control/cases/{filed.pk}/panel?v={version}").status_code == 204
    desk.answer(filed, {"outcome": "none"})
    r = c.get(f"/asset-control/cases/{filed.pk}/panel?v={version}")
    assert r.status_code == 200 and "every 2s" not in r.content.decode()


def test_other_teams_courts_and_agency_clerks_get_404(
    world: World, desk: Desk, filed: EnforcementCase
) -> None:
    deposit, _ = found(desk, filed)
    outsiders = [world.judge_complex, world.other_judge, desk.clerks["T-BANK"]]
    for user in outsiders:
        c = client_for(user)
        assert c.get(f"/asset-control/cases/{filed.pk}/panel").status_code == 404
        assert c.post(f"/asset-control/cases/{filed.pk}/inquire").status_code == 404
        r = c.post(f"/asset-control/cases/{filed.pk}/assets/{deposit.pk}/control", {"amount": "1000"})
        assert r.status_code == 404
        assert c.get(f"/asset-control/assets/{deposit.pk}/").status_code == 404
    assert not ControlMeasure.objects.exists()
    assert Inquiry.objects.filter(case=filed).count() == 1


def test_a_clerk_cannot_freeze_and_the_chief_sees_no_personal_data(
    world: World, desk: Desk, filed: EnforcementCase
) -> None:
    deposit, _ = found(desk, filed)
    clerk = client_for(world.clerk)
    assert world.clerk.team_id == filed.team_id
    body = panel(clerk, filed)
    assert "control-form" not in body and "借记卡 尾号1234" in body  # the team sees, only the judge acts
    r = clerk.post(
        f"/asset-control/cases/{filed.pk}/assets/{deposit.pk}/control", {"amount": "1000"}, follow=True
    )
    assert "此操作须由执行法官办理" in r.content.decode()
    assert not ControlMeasure.objects.exists()
    chief = client_for(world.chief)
    body = panel(chief, filed)
    assert "借记卡 尾号1234" not in body and "测试银行绍兴分行：银行存款" in body
    assert "control-form" not in body and "inquire" not in body
    assert chief.get(f"/asset-control/assets/{deposit.pk}/").status_code == 403


def test_overreach_is_confirmed_with_a_reason(desk: Desk, filed: EnforcementCase) -> None:
    _, house = found(desk, filed)
    c = client_for(judge_of(filed))
    url = f"/asset-control/cases/{filed.pk}/assets/{house.pk}/control"
    r = c.post(url, {"kind": "seal"})
    body = r.content.decode()
    assert r.status_code == 200 and "超标的" in body and "请勾选确认并说明理由" in body
    assert 'name="confirm_overreach"' in body and 'name="overreach_reason"' in body
    assert not ControlMeasure.objects.exists()
    r = c.post(url, {"kind": "seal", "confirm_overreach": "1", "overreach_reason": ""})
    assert 'name="confirm_overreach"' in r.content.decode()  # a reason is required too
    r = c.post(
        url, {"kind": "seal", "confirm_overreach": "1", "overreach_reason": "房产不可分割"}, follow=True
    )
    assert "已决定查封" in r.content.decode()
    m = ControlMeasure.objects.get()
    assert m.kind == "seal" and m.overreach["reason"] == "房产不可分割"
    # the registry answers on its desk: a waiting seal behind 浙0603
    desk.answer(filed, {"outcome": "completed", "rank": "2", "first_sealing_court": "浙0603"}, act="seal")
    body = panel(c, filed)
    assert "轮候第2位" in body and "浙0603" in body and "超标的已说明理由" in body


def test_freeze_renew_deduct_and_release_on_the_panel(
    desk: Desk, filed: EnforcementCase, django_assert_max_num_queries: Any
) -> None:
    deposit, _ = found(desk, filed)
    c = client_for(judge_of(filed))
    r = c.post(
        f"/asset-control/cases/{filed.pk}/assets/{deposit.pk}/control", {"amount": "30000"}, follow=True
    )
    assert "已决定冻结" in r.content.decode()
    m = ControlMeasure.objects.get()
    assert "every 2s" in panel(c, filed)
    desk.answer(filed, {"outcome": "completed", "amount_controlled": "30000"}, act="freeze")
    body = panel(c, filed)
    m.refresh_from_db()
    assert m.status == M.EFFECTIVE and "有效" in body and "实际冻结 ¥30000.00" in body
    first_expiry = m.expires_on

    r = c.post(f"/asset-control/cases/{filed.pk}/measures/{m.pk}/renew", follow=True)
    assert "已申请续行" in r.content.decode()
    assert "续行办理中" in panel(c, filed)
    desk.answer(filed, {"outcome": "completed"}, act="renewal")
    m.refresh_from_db()
    assert m.renewals == 1 and m.expires_on > first_expiry
    body = panel(c, filed)
    assert "续行1次" in body and m.expires_on.isoformat() in body

    r = c.post(f"/asset-control/cases/{filed.pk}/measures/{m.pk}/deduct", {"amount": "40000"}, follow=True)
    assert "扣划金额超过冻结余额" in r.content.decode()
    r = c.post(f"/asset-control/cases/{filed.pk}/measures/{m.pk}/deduct", {"amount": "12000"}, follow=True)
    assert "已决定扣划" in r.content.decode()
    desk.answer(filed, {"outcome": "completed"}, act="deduction")
    d = Deduction.objects.get()
    assert d.status == Deduction.Status.DONE and d.amount_deducted == Decimal("12000")
    assert case_position(filed).received == Decimal("12000")
    body = panel(c, filed)
    assert "已扣划入账" in body and "已扣划 ¥12000.00" in body

    r = c.post(
        f"/asset-control/cases/{filed.pk}/measures/{m.pk}/release", {"ground": "nonsense"}, follow=True
    )
    assert "请选择解除事由" in r.content.decode()
    r = c.post(f"/asset-control/cases/{filed.pk}/measures/{m.pk}/release", {"ground": "paid"}, follow=True)
    assert "已决定解除" in r.content.decode()
    desk.answer(filed, {"outcome": "completed"}, act="release")
    m.refresh_from_db()
    assert m.status == M.RELEASED and m.release_ground == "paid"
    c.post(f"/asset-control/cases/{filed.pk}/assets/{deposit.pk}/control", {"amount": "20000"})
    with django_assert_max_num_queries(15):  # no query per row
        body = panel(c, filed)
    assert "已解除" in body and body.count('data-measure-kind="freeze"') == 2


def test_asset_detail_is_for_the_team_and_journaled(world: World, desk: Desk, filed: EnforcementCase) -> None:
    deposit, _ = found(desk, filed)
    Asset.objects.filter(pk=deposit.pk).update(
        details={"account_number": "6222020000001234", "bank": "测试银行"}
    )
    r = client_for(world.assistant_fast).get(f"/asset-control/assets/{deposit.pk}/?purpose=核对账户")
    body = r.content.decode()
    assert r.status_code == 200 and "6222020000001234" in body and "账号" in body and "开户行" in body
    viewed = JournalEvent.objects.filter(stream=filed.stream, kind="asset_control.asset_viewed").get()
    assert viewed.payload["purpose"] == "核对账户" and viewed.actor == world.assistant_fast


def test_batch_inquiry_lists_cases_shows_progress_and_skipped(
    world: World, desk: Desk, filed: EnforcementCase, submit: Callable[..., CaseApplication]
) -> None:
    other = case_services.application_accept(
        actor=world.clerk,
        application_id=submit(n=2, title={"document_number": "（2026）浙0602民初222号"}).pk,
    )
    case_services.case_reassign(
        actor=world.chief, case_id=other.pk, team_id=world.complex.pk, reason="案情复杂"
    )
    c = client_for(judge_of(filed))
    page = c.get("/asset-control/batches/").content.decode()
    assert filed.case_number in page and other.case_number not in page  # the team's cases only
    r = c.post("/asset-control/batches/", {"case_ids": [filed.pk, other.pk], "purpose": "集中查控"})
    assert r.status_code == 302
    batch = InquiryBatch.objects.get()
    assert r.headers["Location"] == f"/asset-control/batches/{batch.pk}/"
    body = c.get(r.headers["Location"]).content.decode()
    assert "<progress" in body and 'hx-trigger="every 2s"' in body and "0/2" in body
    assert "未纳入的案件" in body and f"#{other.pk}" in body  # not the judge's case: no number shown
    desk.answer(filed, {"outcome": "none"})
    body = c.get(f"/asset-control/batches/{batch.pk}/progress").content.decode()
    assert "2/2" in body and "已全部答复" in body and "every 2s" not in body
    assert client_for(world.other_judge).get(f"/asset-control/batches/{batch.pk}/").status_code == 404
    r = client_for(world.chief).post("/asset-control/batches/", {"case_ids": [filed.pk]})
    assert r.status_code == 403
    assert c.post("/asset-control/batches/", {}, follow=True).content.decode().count("请选择案件") == 1
