"""The house as drawn: arrows run down the stages, no circles, shells come in through one door.

Issue "One door per use case": the stage folders import only lower stages (the table below), no two modules
import each other even for types, the shells (flows/) import the library only through catalogue/api.py (and
the model's read-only types), no two modules share a name, every public function says what it does, the
shells are type-checked as strictly as the library, and every new library module comes with its test module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO / "catalogue"
SHELLS = REPO / "flows"

# The ground floor: what any stage may use. The stages, in data order, then the top floor.
GROUND = {"catalogue", "catalogue.config", "catalogue.money", "catalogue.durable", "catalogue.memo",
          "catalogue.cache_folders", "catalogue.issues", "catalogue.collector"}
STAGES = ("inputs", "checks", "model", "views", "render", "publishing")
# Which rooms each room may import (besides the ground floor and itself). checks and model both read inputs'
# records; neither needs the other. The top floor: the pipeline, what a run ends with, and the door.
ALLOWED_ARROWS: dict[str, set[str]] = {
    "inputs": set(),
    "checks": {"inputs"},
    "model": {"inputs"},
    "views": {"inputs", "model"},
    "render": {"inputs", "model", "views"},
    "publishing": {"inputs", "checks", "model", "views", "render"},
    "catalogue.pipeline": {"inputs", "checks", "model"},
    "catalogue.outcomes": {"model", "publishing"},
    "catalogue.api": {*STAGES, "catalogue.pipeline", "catalogue.outcomes"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


LIBRARY_MODULES = {module_name(p): p for p in sorted(LIBRARY.rglob("*.py"))}


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else module


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """Every library module `path` imports: at the top, inside functions and for type checkers alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in known}


@pytest.mark.parametrize("module", sorted(LIBRARY_MODULES))
def test_stages_import_only_lower_stages(module: str) -> None:
    room = room_of(module)
    if room in GROUND:
        allowed: set[str] = set()
    else:
        assert room in ALLOWED_ARROWS, f"{module} is in no room of the table: add it to ALLOWED_ARROWS"
        allowed = ALLOWED_ARROWS[room]
    wrong = sorted(target for target in imported_modules(LIBRARY_MODULES[module], LIBRARY_MODULES)
                   if room_of(target) not in {room, *allowed, *GROUND})
    assert not wrong, f"{module} ({room}) imports {wrong}: arrows run down the stages only"


def _cycles(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


def test_no_import_cycles_not_even_for_types() -> None:
    modules = {**LIBRARY_MODULES, **{module_name(p): p for p in SHELLS.rglob("*.py")}}
    graph = {name: {t for t in imported_modules(path, modules) if t != name and not name.startswith(t + ".")}
             for name, path in modules.items()}
    assert not list(_cycles(graph)), "modules that import each other (break the circle with a lower module)"


def test_cycle_finder_finds_a_circle() -> None:
    assert list(_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})) == [["a", "b", "c"]]
    assert not list(_cycles({"a": {"b"}, "b": set()}))


@pytest.mark.parametrize("path", sorted(SHELLS.rglob("*.py")), ids=lambda p: p.relative_to(REPO).as_posix())
def test_shells_come_in_through_the_door(path: Path) -> None:
    """flows/ imports catalogue.api, and the model's types for its annotations; nothing below them."""
    through = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        through |= {n for n in names if n == "catalogue" or n.startswith("catalogue.")}
    wrong = sorted(n for n in through if n != "catalogue.api" and not n.startswith("catalogue.model."))
    assert not wrong, f"{path.relative_to(REPO)} reaches below the door: {wrong} (add what it needs to catalogue/api.py)"


def test_the_door_offers_every_name_it_lists() -> None:
    """Every name of catalogue.api.__all__ resolves (the lazily loaded ones too), and nothing is listed twice."""
    import catalogue.api as api

    assert len(api.__all__) == len(set(api.__all__))
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert not missing, f"catalogue.api lists names it cannot give: {missing}"


def test_importing_the_door_loads_no_heavy_library() -> None:
    """`catalogue build` on unchanged inputs asks the door before anything heavy is imported."""
    code = ("import sys, catalogue.api; heavy = [m for m in ('weasyprint', 'great_expectations', 'pandas', "
            "'xlsxwriter') if m in sys.modules]; print(','.join(heavy))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert loaded.stdout.strip() == ""


def test_no_two_modules_share_a_name() -> None:
    seen: dict[str, list[str]] = {}
    for path in [*LIBRARY.rglob("*.py"), *SHELLS.rglob("*.py")]:
        if path.name != "__init__.py":
            seen.setdefault(path.stem, []).append(path.relative_to(REPO).as_posix())
    twice = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not twice, f"one name, two modules (name each by what it is): {twice}"


def test_every_public_function_says_what_it_does() -> None:
    """ruff's pydocstyle rules for public functions and methods hold on the library and the shells."""
    lint = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert {"D102", "D103"} <= set(lint["select"]), "the lint must keep requiring docstrings"
    ruff = Path(sys.executable).with_name("ruff")
    found = subprocess.run([str(ruff), "check", "--select", "D102,D103", "--output-format", "concise",
                            "catalogue", "flows"], capture_output=True, text=True, cwd=REPO)
    assert found.returncode == 0, found.stdout


def test_the_shells_are_type_checked_as_strictly_as_the_library() -> None:
    mypy = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["strict"] is True
    assert {"catalogue", "flows"} <= set(mypy["files"])


# Library modules without a test module of their own name (tests/**/test_<name>.py). The list may only
# shrink: a new module comes with its tests, and one that gets a test module leaves the list.
WITHOUT_OWN_TESTS = frozenset({
    "catalogue/cache_folders.py", "catalogue/checks/donors.py", "catalogue/checks/findings.py", "catalogue/checks/frames.py",
    "catalogue/checks/ids.py", "catalogue/checks/plausibility.py", "catalogue/config.py",
    "catalogue/inputs/json_records.py", "catalogue/inputs/load.py", "catalogue/inputs/records.py",
    "catalogue/inputs/rows.py", "catalogue/inputs/schemas.py", "catalogue/inputs/settings.py",
    "catalogue/inputs/tables.py", "catalogue/inputs/warnings.py", "catalogue/inputs/workbook_extent.py",
    "catalogue/inputs/xml_parts.py", "catalogue/model/assemble.py", "catalogue/model/catalogue.py", "catalogue/model/catalogue_json.py",
    "catalogue/model/contribution_totals.py", "catalogue/model/contributions.py",
    "catalogue/model/double_counting.py", "catalogue/model/editions/changes_json.py",
    "catalogue/model/editions/items.py", "catalogue/model/editions/rate_effects.py",
    "catalogue/model/languishing.py", "catalogue/model/leverage.py", "catalogue/model/merge.py",
    "catalogue/model/reasons.py", "catalogue/model/timing.py", "catalogue/model/work.py",
    "catalogue/model/years.py", "catalogue/publishing/catalogue_release.py", "catalogue/publishing/donor_packs.py",
    "catalogue/publishing/fingerprint.py", "catalogue/publishing/layout.py", "catalogue/publishing/pack_cache.py",
    "catalogue/publishing/statement_release.py", "catalogue/render/pdf/charts.py", "catalogue/render/pdf/document.py",
    "catalogue/render/pdf/join.py", "catalogue/render/pdf/pack_pdf.py", "catalogue/render/pdf/parts.py",
    "catalogue/render/pdf/safe_fetcher.py", "catalogue/render/words/changes_lines.py",
    "catalogue/render/words/formatting.py", "catalogue/render/words/report_entries.py",
    "catalogue/render/words/vocabulary.py",
    "catalogue/render/words/validation_report.py", "catalogue/render/xlsx/catalogue_front.py",
    "catalogue/render/xlsx/changes_sheet.py", "catalogue/render/xlsx/contributions_sheets.py",
    "catalogue/render/xlsx/pack_workbook.py", "catalogue/render/xlsx/sheet_tables.py",
    "catalogue/render/xlsx/statement_workbook.py", "catalogue/render/xlsx/workbook.py",
    "catalogue/views/donor_portfolio.py", "catalogue/views/pledges.py", "catalogue/views/scoring.py",
})


def test_library_modules_come_with_their_tests() -> None:
    tested = {p.stem.removeprefix("test_") for p in (REPO / "tests").rglob("test_*.py")}
    without = {p.relative_to(REPO).as_posix() for p in LIBRARY.rglob("*.py")
               if p.name != "__init__.py" and p.stem not in tested}
    new = sorted(without - WITHOUT_OWN_TESTS)
    assert not new, f"library modules without tests/**/test_<name>.py: {new}"
    stale = sorted(WITHOUT_OWN_TESTS - without)
    assert not stale, f"these have tests now (or are gone): take them off WITHOUT_OWN_TESTS: {stale}"
