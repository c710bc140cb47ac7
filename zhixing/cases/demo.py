"""演示案件：a few months of work in each basic court, all through the services.

Idempotent: a court that already has cases is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase
from zhixing.core.demo import DEMO_PASSWORD, credit_code, resident_id
from zhixing.core.models import Court, User
from zhixing.core.roles import Role

DEMO_LAWYER = "lawyer.zhao"
AMOUNTS = ["8600", "23000", "56000", "128000", "450000", "1260000", "35000", "9800"]
SURNAMES = "周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


def _lawyer() -> User:
    user = User.objects.filter(username=DEMO_LAWYER).first()
    if user is None:
        user = User.objects.create(
            username=DEMO_LAWYER, full_name="赵律师", role=Role.LAWYER, password=make_password(DEMO_PASSWORD)
        )
    return user


def _staff(court: Court, role: str) -> User:
    user = User.objects.filter(court=court, role=role).order_by("username").first()
    assert user is not None, f"demo staff missing: {court} {role}"
    return user


@transaction.atomic
def demo_cases_seed(*, today: dt.date) -> int:
    """每家基层法院：立案、办案、和解、结案与待审查的申请。Returns the number of cases filed."""
    lawyer = _lawyer()
    filed = 0
    for court in Court.objects.filter(level=Court.Level.BASIC).order_by("path"):
        if EnforcementCase.objects.filter(court=court).exists():
            continue
        clerk = _staff(court, Role.CLERK)
        division = court.division_code
        cases = []
        for i, amount in enumerate(AMOUNTS):
            company = i in (4, 5)
            received = today - dt.timedelta(days=150 - i * 18)
            if company:
                debtor = {
                    "role": "debtor",
                    "kind": "legal_person",
                    "name": f"绍兴{court.short_name}{SURNAMES[i]}氏贸易有限公司",
                    "id_number": credit_code(division, 500 + i),
                    "address": f"{court.short_name}工业园区{i + 1}号",
                }
            else:
                debtor = {
                    "role": "debtor",
                    "kind": "natural_person",
                    "name": f"{SURNAMES[i]}某{i}",
                    "id_number": resident_id(division, f"19{70 + i}0{1 + i % 9}1{i}", 300 + i),
                    "address": f"{court.short_name}某小区{i + 1}幢",
                }
            app = services.application_submit(
                actor=lawyer,
                court=court,
                title={
                    "kind": "judgment" if i % 3 else "mediation",
                    "issuing_body": court.name,
                    "issuing_court_code": court.court_code,
                    "document_number": f"（{received.year}）{court.court_code}民初{1000 + i}号",
                    "effective_on": (received - dt.timedelta(days=40)).isoformat(),
                    "performance_deadline": (received - dt.timedelta(days=25)).isoformat(),
                    "principal": amount,
                    "costs": str((Decimal(amount) * Decimal("0.01")).quantize(Decimal("0.01"))),
                },
                parties=[
                    {
                        "role": "applicant",
                        "kind": "natural_person",
                        "name": f"{SURNAMES[-1 - i]}申{i}",
                        "id_number": resident_id(division, f"19{60 + i}0{1 + i % 9}2{i}", 400 + i),
                    },
                    debtor,
                ],
                jurisdiction_basis="first_instance",
                materials=["application", "title", "identity"],
                received_on=received,
            )
            if i == len(AMOUNTS) - 1:
                continue  # the newest application waits in the filing queue
            cases.append(
                services.application_accept(
                    actor=clerk, application_id=app.pk, on=received + dt.timedelta(days=1)
                )
            )
        filed += len(cases)
        _work(court, cases, today)
    services.nodes_sweep(on=today)
    return filed


def _work(court: Court, cases: list[EnforcementCase], today: dt.date) -> None:
    """Give the cases a life: acts, a settlement, a full performance and a 终本 closing."""
    for case in cases:
        case.refresh_from_db()
        judge = case.judge
        if judge is None:
            continue
        start = case.filed_on + dt.timedelta(days=3)
        if case.filed_on < today - dt.timedelta(days=30):
            services.case_act(
                actor=judge,
                case_id=case.pk,
                kind="network_inquiry.done",
                note="总对总查询：存款 3 笔，无不动产",
                on=start,
            )
            services.case_act(actor=judge, case_id=case.pk, kind="applicant.leads_requested", on=start)
    oldest, second, third = cases[0], cases[1], cases[2]
    # the oldest: every step of 终本, closed with the applicant's consent
    j = oldest.judge
    assert j is not None
    on = oldest.filed_on + dt.timedelta(days=20)
    for kind, note in [
        ("consumption_restriction.issued", ""),
        ("performance_notice.issued", ""),
        ("asset_report_order.issued", ""),
        ("asset_report.handled", "被执行人申报无可供执行财产，经核查属实"),
        ("network_inquiry.done", "再次总对总查询：无可供执行财产"),
        ("applicant.interviewed", "申请执行人同意终结本次执行程序"),
    ]:
        services.case_act(actor=j, case_id=oldest.pk, kind=kind, note=note or "已办", on=on)
    services.case_close(
        actor=j,
        case_id=oldest.pk,
        mode="no_assets_closure",
        applicant_consents=True,
        on=oldest.filed_on + dt.timedelta(days=100),
    )
    # the second: paid in full
    j = second.judge
    assert j is not None
    services.case_act(
        actor=j,
        case_id=second.pk,
        kind="applicant.confirmed_full_performance",
        note="申请执行人确认已收到全部执行款",
        on=second.filed_on + dt.timedelta(days=40),
    )
    services.case_close(
        actor=j, case_id=second.pk, mode="fully_performed", on=second.filed_on + dt.timedelta(days=41)
    )
    # the third: a settlement in instalments, the first one paid
    j = third.judge
    assert j is not None
    agreed = third.filed_on + dt.timedelta(days=15)
    half = (third.claim_amount / 2).quantize(Decimal("0.01"))
    s = services.settlement_record(
        actor=j,
        case_id=third.pk,
        agreed_on=agreed,
        terms="被执行人分两期履行全部款项",
        instalments=[
            (agreed + dt.timedelta(days=30), half),
            (today + dt.timedelta(days=30), third.claim_amount - half),
        ],
    )
    services.settlement_payment_record(
        actor=j, settlement_id=s.pk, paid_on=agreed + dt.timedelta(days=28), amount=half
    )
    _demo_money(court, cases[3])


def _demo_money(court: Court, case: EnforcementCase) -> None:
    """Money on its way: the court's bank, a receipt on one case's account, one unidentified transfer."""
    from zhixing.funds.models import Bank, CaseAccount
    from zhixing.funds.services import receipt_record

    Bank.objects.get_or_create(
        code=f"icbc-{court.court_code}",
        defaults={
            "name": f"中国工商银行{court.short_name}支行（执行款专户）",
            "court": court,
            "key": f"demo-{court.pk}" * 4,
        },
    )
    receipt_record(
        court=court,
        account_number=CaseAccount.objects.get(case=case).number,
        amount=(case.claim_amount / 4).quantize(Decimal("0.01")),
        idempotency_key=f"demo:{case.pk}",
        payer_name="被执行人",
    )
    receipt_record(
        court=court,
        account_number="ZX00000000000000000",
        amount="3000.00",
        idempotency_key=f"demo:unknown:{court.pk}",
    )
