"""演示数据：each basic court's open demo cases searched through the agency simulator; on the case with
the most property, a deposit frozen and partly deducted and a house sealed (waiting behind another
court's seal when the world has one). Everything goes through the services and the real protocol."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from zhixing.agencies.services import dispatch_all
from zhixing.asset_control import services
from zhixing.asset_control.models import Asset, ControlMeasure, Inquiry
from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.core.models import Court

log = logging.getLogger("zhixing.demo")


@contextlib.contextmanager
def simulator_running() -> Iterator[None]:
    """The agency simulator in this process while seeding, on the demo's port and state file (the
    ``agencies-sim`` process started afterwards serves the same state)."""
    from zhixing.simulation.agency_sim import AgencySimulator

    sim = AgencySimulator(
        port=settings.AGENCY_SIM_PORT,
        state_path=Path(settings.VAR_DIR) / "agency-sim.sqlite3",
        master_secret=settings.AGENCY_SIM_SECRET,
        all_sync=True,
    )
    logging.getLogger("zhixing.agency_sim").setLevel(logging.WARNING)
    sim.start()
    try:
        yield
    finally:
        sim.stop()


def demo_asset_control_seed(*, per_court: int = 3) -> int:
    """Returns the number of inquiries started (0 when the demo already has them)."""
    if Inquiry.objects.exists():
        return 0
    started = 0
    with simulator_running():
        for court in Court.objects.filter(level=Court.Level.BASIC).order_by("path"):
            open_cases = EnforcementCase.objects.filter(court=court, stage="in_enforcement", judge__gt=0)
            cases = list(open_cases.order_by("filed_on")[:per_court])
            for case in cases:
                assert case.judge is not None
                services.inquiry_start(
                    actor=case.judge, case_id=case.pk, purpose="查找被执行人可供执行的财产"
                )
                started += 1
            dispatch_all()
            if cases:
                _control(max(cases, key=lambda c: c.assets.count()))
    return started


def _control(case: EnforcementCase) -> None:
    judge = case.judge
    assert judge is not None
    deposit = Asset.objects.filter(case=case, kind="bank_deposit", value__gt=100).order_by("-value").first()
    houses = list(Asset.objects.filter(case=case, kind="real_estate").order_by("pk"))
    # one sealed by another court first, if any: the demo then shows a waiting rank (轮候)
    house = next((h for h in houses if h.encumbrances), houses[0] if houses else None)
    try:
        if deposit is not None:
            amount = min(Decimal(deposit.value or 0), Decimal(case.claim_amount))
            freeze = services.control_request(
                actor=judge,
                case_id=case.pk,
                asset_id=deposit.pk,
                amount=amount,
                confirm_overreach=True,
                overreach_reason="演示：存款余额不足以清偿",
            )
            dispatch_all()
            freeze.refresh_from_db()
            if freeze.status == ControlMeasure.Status.EFFECTIVE and freeze.amount_controlled:
                part = (Decimal(freeze.amount_controlled) / 2).quantize(Decimal("0.01"))
                if part > 0:
                    services.deduction_request(actor=judge, measure_id=freeze.pk, amount=part)
                    dispatch_all()
        if house is not None:
            services.control_request(
                actor=judge,
                case_id=case.pk,
                asset_id=house.pk,
                confirm_overreach=True,
                overreach_reason="房产不可分割",
            )
            dispatch_all()
    except ServiceError as e:  # the demo goes on; the reason is logged
        log.warning("demo asset control on %s: %s", case.case_number, e)
