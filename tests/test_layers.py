"""The package's layers point down: no import cycle, and importers decode only.

Every ``import`` statement of every module is read from its source (module level and inside
functions alike), so a cycle hidden in a function-level import is found too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "stridewise"

#: What an importer (a reader of one format) must never reach: it decodes, nothing else.
ABOVE_THE_IMPORTERS = (
    "stridewise.pipeline",
    "stridewise.store",
    "stridewise.history",
    "stridewise.rules",
    "stridewise.report",
    "stridewise.cli",
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """The stridewise modules a module imports, wherever the statement is."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from package import module" imports the module; "from module import name" the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), and self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle():
    assert _cycles() == []


def test_the_walk_sees_function_level_imports():
    # the test would be toothless if it missed imports inside functions: the CLI has many
    assert "stridewise.pipeline" in GRAPH["stridewise.cli.importing"]


@pytest.mark.parametrize(
    "importer", sorted(name for name in MODULES if name.startswith("stridewise.importers."))
)
def test_importers_decode_only(importer):
    reached = sorted(t for t in GRAPH[importer] if t.startswith(ABOVE_THE_IMPORTERS))
    assert reached == [], f"{importer} imports {reached}"


def test_the_store_knows_nothing_above_it():
    above = ("stridewise.pipeline", "stridewise.history", "stridewise.rules", "stridewise.report")
    for name in MODULES:
        if name.startswith("stridewise.store"):
            assert not [t for t in GRAPH[name] if t.startswith(above)], name


def test_only_the_store_runs_sql():
    """Every SQL statement is the store's: no other module talks to sqlite."""
    for name, path in MODULES.items():
        if name.startswith("stridewise.store"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "import sqlite3" not in text, name
        assert ".conn.execute" not in text and "read_sql" not in text, name
