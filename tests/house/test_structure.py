"""The house rules a newcomer relies on: small modules, short simple functions, shells outside the library.

Limits from issue "One house": no module over 400 lines, no function over 60 lines or with a cyclomatic
complexity over 15 (radon's measure), and the library never imports a shell (flows/, Prefect, the web).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from radon.complexity import cc_visit

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(REPO / "catalogue").rglob("*.py"), *(REPO / "flows").rglob("*.py")])
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines; split it by what its parts do"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_functions_are_short_and_simple(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    too_long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    too_complex = [f"{block.name} (complexity {block.complexity})" for block in cc_visit(source)
                   if block.complexity > MAX_COMPLEXITY and not hasattr(block, "methods")]
    assert not too_long and not too_complex, f"{_name(path)}: {too_long + too_complex}"


SHELL_IMPORTS = ("flows", "prefect", "prefect_dask", "fastapi", "starlette", "uvicorn", "typer", "rich")


@pytest.mark.parametrize("path", sorted((REPO / "catalogue").rglob("*.py")), ids=_name)
def test_library_never_imports_a_shell(path: Path) -> None:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert not imported & set(SHELL_IMPORTS), f"{_name(path)} imports {sorted(imported & set(SHELL_IMPORTS))}"


# The outputs layout (release folders, links, caches, the folders of packs, statements, templates, validation) is
# spelled once, in catalogue/publishing/layout.py: a newcomer moving where packs are written changes one line.
LAYOUT_SPELLINGS = re.compile(r"""["'](?:\.releases|\.current|\.fingerprint|\.edition|\.cache)["']"""
                              r"""|/\s*["'](?:validation|packs|statements|templates)["']""")


def test_the_outputs_layout_is_spelled_only_in_its_module() -> None:
    spelled = [f"{path.relative_to(REPO)}:{n}: {line.strip()}" for path in SOURCES
               if path != REPO / "catalogue" / "publishing" / "layout.py"
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if LAYOUT_SPELLINGS.search(line) and not line.lstrip().startswith("#")
               and "PROJECT_ROOT /" not in line]  # the code's own templates/ folder is not the outputs' templates/
    assert not spelled, "\n".join(spelled)
