"""The case fixtures (world, submit) for the measures tests, and a fresh list index per test."""

from collections.abc import Iterator

import pytest

from zhixing.cases.tests.conftest import submit, world  # noqa: F401 - fixtures
from zhixing.measures import lists


@pytest.fixture(autouse=True)
def _fresh_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees its own index, refreshed on every check (no state leaks between tests)."""
    monkeypatch.setattr(lists, "INDEX", lists.ListIndex(refresh_seconds=0))
    yield
