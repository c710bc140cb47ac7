"""A fine or a detention decision issued as a document counts as the sanction of an obstruction."""

from __future__ import annotations

import datetime as dt

import pytest

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.documents import services as documents
from zhixing.documents.samples import SAMPLE_CONTEXTS


@pytest.mark.parametrize("kind", ["detention_decision", "fine_decision"])
def test_sanction_document_is_the_obstruction_sanctioned_step(
    world: World, filed: EnforcementCase, kind: str
) -> None:
    assert not services.closing_facts(filed).obstruction_sanctioned
    documents.document_issue(
        actor=world.president,
        kind=kind,
        court=filed.court,
        stream=filed.stream,
        case_number=filed.case_number,
        context=SAMPLE_CONTEXTS[kind],
        recipients=[],
        on=dt.date(2026, 11, 20),
    )
    assert services.closing_facts(filed).obstruction_sanctioned
