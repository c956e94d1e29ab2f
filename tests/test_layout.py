"""The package tree follows the pipeline: no stage imports a later one.

Every module of ``src/suaraberita`` has a layer; an import (at the top, inside a
function or under TYPE_CHECKING) must go to its own package or to a lower layer. That
keeps the stages free of import cycles and the tree readable as the flow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "suaraberita"

# lowest first: helpers, then the stages in the order of the flow, then the orchestration
LAYERS = (
    ("errors", "outside"),
    ("signals",),  # the files, espeak-ng and ffmpeg hold a stop back at their critical points
    ("files", "sound", "cache", "affinity", "espeak_lib", "retry", "unsafe", "terminal"),
    ("download",),  # resumable, checked downloads (voice models), on top of retry
    ("intake",),
    ("text",),
    ("speech",),
    ("audio",),
    ("settings",),
    ("publish",),
    ("pipeline",),
    ("batch", "follow", "sample"),
    ("cli",),
    ("__main__",),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
STAGES = ("intake", "text", "speech", "audio", "publish")


def _unit(module: str) -> str:
    """The top-level module or subpackage a dotted name belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every suaraberita module `path` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "suaraberita":
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "suaraberita"}
    return found


def _modules() -> list[tuple[str, Path]]:
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        result.append((".".join(p for p in parts if p != "__init__"), path))
    return result


def test_every_module_has_a_layer() -> None:
    units = {_unit(name) for name, _ in _modules()} - {"__init__"}
    assert units <= set(RANK), f"modules without a layer: {sorted(units - set(RANK))}"


@pytest.mark.parametrize(("name", "path"), _modules(), ids=lambda v: str(v))
def test_imports_go_down_the_flow(name: str, path: Path) -> None:
    own = _unit(name)
    for target in sorted(_imports(path)):
        other = _unit(target)
        if other in (own, "__init__"):  # its own package, or the version
            continue
        assert RANK[other] < RANK[own], f"{name} imports {target}: a later layer"


def test_each_stage_says_what_it_takes_and_gives() -> None:
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
        assert doc, f"{stage}/__init__.py has no docstring"
        assert "Takes" in doc, stage
        assert "gives" in doc, stage


def test_no_import_cycle_between_units() -> None:
    """Follows from the layering, and is checked on the graph itself too."""
    graph: dict[str, set[str]] = {}
    for name, path in _modules():
        own = _unit(name)
        targets = {_unit(t) for t in _imports(path)} - {own, "__init__"}
        graph.setdefault(own, set()).update(targets)
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert node not in trail, f"import cycle: {' -> '.join((*trail, node))}"
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, (*trail, node))
        done.add(node)

    for node in sorted(graph):
        visit(node, ())
