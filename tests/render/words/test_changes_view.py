"""The wording of `changes`: every label translated, the PDF section and the Changes sheet print the object's figures."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import xlsxwriter
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from openpyxl import load_workbook

from catalogue.config import TEMPLATES_DIR
from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from catalogue.render.words.changes_view import Wording, changes_view, headline_lines
from catalogue.render.xlsx.changes_sheet import write_changes_sheet
from tests.model.editions.test_compare import NOW, THEN

ROOT = TEMPLATES_DIR.parent
MODULES = ("catalogue/render/words/changes_view.py", "catalogue/render/xlsx/changes_sheet.py")


def _msgids() -> set[str]:
    found = {m[1] for m in extract_from_file("jinja2.ext:babel_extract", TEMPLATES_DIR / "changes.html.j2",
                                               options={"extensions": "jinja2.ext.i18n", "trimmed": "true"})}
    for module in MODULES:
        found |= {m[1] for m in extract_from_file("python", ROOT / module)}
    return {m for m in found if isinstance(m, str) and m}


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (TEMPLATES_DIR / "i18n" / lang / "LC_MESSAGES" / "catalogue.po").open("rb") as po:
        return read_po(po, locale=lang)


def _translations(lang: str) -> Translations:
    compiled = BytesIO()
    write_mo(compiled, _catalog(lang), use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_label_is_translated_with_its_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    msgids = _msgids()
    assert "Since the last edition" in msgids and len(msgids) > 50
    missing = sorted(m for m in msgids if m not in catalog or not catalog[m].string or catalog[m].fuzzy)
    assert not missing
    broken = [m for m in msgids if set(re.findall(r"%\(\w+\)s", m)) != set(re.findall(r"%\(\w+\)s", catalog[m].string))]
    assert not broken


def _render(changes: dict, lang: str = "en") -> str:  # type: ignore[type-arg]
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    gettext = _translations(lang).gettext if lang != "en" else (lambda s: s)
    env.install_gettext_callables(gettext, lambda s, p, n: s if n == 1 else p, newstyle=True)  # type: ignore[attr-defined]
    page = env.from_string('{% from "changes.html.j2" import changes_section with context %}{{ changes_section(view) }}')
    return page.render(view=changes_view(changes, lang, "USD", gettext))


def test_the_pdf_section_prints_the_figures_and_a_first_edition_says_so() -> None:
    changes = changes_to_json(compare_editions(THEN, NOW, then_id="aaaa1111bbbb"))
    html = _render(changes)
    assert "Since the last edition" in html and "aaaa1111bbbb" in html
    assert "USD\u00a0900.00 now" in html and "-250.00" in html and "+50.00" in html  # programme gap: money and rates
    assert "<svg" in html and "PR-1" in html
    first = _render(changes_to_json(compare_editions(None, NOW)))
    assert "there is nothing to compare it with" in first and "<table" not in first
    french = _render(changes, "fr")
    assert "Depuis la dernière édition" in french and "Effet des taux" in french


def test_headlines_in_spanish() -> None:
    changes = changes_to_json(compare_editions(THEN, NOW))
    lines = headline_lines(changes, Wording("es", "USD", _translations("es").gettext))
    assert lines[0].startswith("Déficit: ") and "por los tipos de cambio" in lines[0]


def test_the_changes_sheet_holds_the_objects_figures(tmp_path: Path) -> None:
    changes = changes_to_json(compare_editions(THEN, NOW))
    path = tmp_path / "changes.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    write_changes_sheet(book, changes, "USD")
    book.close()
    rows = list(load_workbook(path, read_only=True)["Changes"].iter_rows(values_only=True))
    gap = next(r for r in rows if r[0] == "Whole programme" and r[6] == "Gap")
    assert [Decimal(str(v)) for v in gap[7:12]] == [Decimal("1100"), Decimal("900"), Decimal("-200"), Decimal("-250"), Decimal("50")]
    a2 = next(r for r in rows if r[1] == "A-2" and r[6] == "Required")
    assert a2[3] == "added" and a2[5] == "unfunded"
    assert any(r[0] == "Pledges confirmed" for r in rows) and any(r[0] == "Priorities no longer languishing" for r in rows)
