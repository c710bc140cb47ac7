"""Fixtures of the documents tests: a temporary archive folder, issuers, a cheap PDF renderer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zhixing.core.models import User
from zhixing.core.roles import Role
from zhixing.documents import rendering


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DOCUMENTS_DIR


@pytest.fixture
def fast_pdf(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace WeasyPrint by a stand-in (the HTML's bytes) for tests that are not about the PDF."""
    rendered: list[str] = []

    def fake(html: str) -> bytes:
        rendered.append(html)
        return (
            b"%PDF-1.7 fake\n" + html.encode("utf-8") + hashlib.sha256(str(len(rendered)).encode()).digest()
        )

    monkeypatch.setattr(rendering, "html_to_pdf", fake)
    return rendered


@pytest.fixture
def judge(make_user: Callable[..., User]) -> User:
    return make_user(Role.JUDGE)


@pytest.fixture
def president(make_user: Callable[..., User]) -> User:
    return make_user(Role.PRESIDENT)
