"""规则层的纯粹性：不导入 Django 或其他应用，不读时钟。"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for p in RULES_DIR.rglob("*.py") if "tests" not in p.relative_to(RULES_DIR).parts)
FORBIDDEN_IMPORTS = ("django", "ninja", "django_tasks", "zhixing.core", "zhixing.web", "zhixing.config")
CLOCK_CALLS = {"today", "now", "utcnow", "time", "monotonic", "localtime"}


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(RULES_DIR)))
def test_rules_module_is_pure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree):
        assert name == "zhixing" or name.startswith("zhixing.rules") or not name.startswith("zhixing"), name
        assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS), name
        assert name not in {"time", "sqlite3", "os"}, f"规则不得读时钟、数据库或环境：import {name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_CALLS, (
                f"规则不得读时钟：{ast.unparse(node)}（第{node.lineno}行）"
            )


def test_sources_found() -> None:
    names = {p.name for p in SOURCES}
    assert {"calendar.py", "case_numbers.py", "params.py", "results.py"} <= names
