"""Every sentence the web application can show is in the French and Spanish catalogues.

Templates are read for `_("...")`; the web modules (and the comparison the desk shows) for `N_("...")` and
`_("...")` calls with a literal, found with the parser so that a sentence split over lines is one msgid.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from catalogue.api import translations

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "flows" / "web").rglob("*.py")), ROOT / "catalogue" / "views" / "workbook_comparison.py"]
TEMPLATE_CALL = re.compile(r'''\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]''')


def _from_python(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "_") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _from_templates() -> set[str]:
    found = set()
    for path in sorted((ROOT / "templates" / "web").glob("*.j2")):
        for match in TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) if match.group(1) is not None else match.group(2))
    return found


def test_the_extraction_finds_the_sentences() -> None:
    words = _from_templates() | set().union(*(_from_python(p) for p in SOURCES))
    assert "Review and decide" in words and "budget lines" in words and len(words) > 250


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_web_sentence_is_translated(lang: str) -> None:
    catalog = translations(lang)._catalog  # noqa: SLF001 (whether a msgid has a translation at all)
    words = _from_templates() | set().union(*(_from_python(p) for p in SOURCES))
    missing = sorted(w for w in words if w not in catalog)
    assert not missing, missing[:20]
