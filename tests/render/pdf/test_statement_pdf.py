"""The partner statement's "Since the last edition": the PDF and the workbook show the `changes` object's then and now.

The pair of editions is the small fixture's catalogue.json now, and the same
document with Alpha's confirmed staff time at 4,000.00 instead of 6,000.00 then.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.model.catalogue import Catalogue
from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.model.editions.changes_json import changes_to_json
from catalogue.model.editions.compare import compare_editions
from catalogue.pipeline import build_model
from catalogue.render.pdf.statement_pdf import render_statement_html, render_statement_pdf
from catalogue.render.xlsx.statement_workbook import write_statement_xlsx
from catalogue.views.partner_changes import COMPARED, UNCHANGED
from catalogue.views.partner_statement import partner_statement
from tests.fixtures.small import write_small_inputs


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result.catalogue


@pytest.fixture(scope="module")
def changes(small_catalogue: Catalogue) -> dict[str, Any]:
    now = catalogue_to_json(small_catalogue)
    then = copy.deepcopy(now)
    then["edition"], then["as_at"] = "earlier edition", "2024-12-31"
    alpha = next(p for p in then["partners"] if p["id"] == "P-ALPHA")
    alpha["cofunding_in_kind"] = alpha["cofunding_total"] = "4000.00"
    return changes_to_json(compare_editions(then, now, then_id="aaaa1111bbbb"))


def _text(pdf: Path) -> str:
    raw = "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    return " ".join(raw.replace("\x00", "").replace("\u00a0", " ").split())


def test_the_statement_pdf_and_workbook_show_alphas_cofunding_then_and_now(small_catalogue: Catalogue,
                                                                          changes: dict[str, Any], tmp_path: Path) -> None:
    s = partner_statement(small_catalogue, "P-ALPHA", changes)
    assert s.since_last_edition.code == COMPARED
    render_statement_pdf(s, tmp_path / "alpha.pdf", "en")
    text = _text(tmp_path / "alpha.pdf")
    assert "Since the last edition" in text and "Compared with the edition earlier edition" in text
    # In kind 4,000.00 then, 6,000.00 now: +2,000.00; the same on the total; rates unchanged, so no rate column.
    assert "Co-funding, in kind, confirmed 4,000.00 6,000.00 +2,000.00" in text
    assert "Co-funding, total, confirmed 4,000.00 6,000.00 +2,000.00" in text
    assert "Rate effect" not in text

    write_statement_xlsx(s, tmp_path / "alpha.xlsx")
    book = load_workbook(tmp_path / "alpha.xlsx", read_only=True)
    rows = list(book["Since the last edition"].iter_rows(values_only=True))
    assert rows[0] == ("Figure", "Then", "Now", "Change (USD)", "Rate effect", "Money effect")
    assert ("Co-funding, in kind, confirmed", 4000.0, 6000.0, 2000.0, 0.0, 2000.0) in rows
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Since the last edition"].startswith("Compared with the edition earlier edition")


def test_an_unchanged_partner_and_a_first_edition_say_so_in_french(small_catalogue: Catalogue,
                                                                  changes: dict[str, Any]) -> None:
    beta = partner_statement(small_catalogue, "P-BETA", changes)
    assert beta.since_last_edition.code == UNCHANGED
    html = render_statement_html(beta, "fr")
    assert "Depuis la dernière édition" in html and "Aucun chiffre du partenaire" in html
    first = render_statement_html(partner_statement(small_catalogue, "P-ALPHA"), "es")
    assert "No hay ninguna edición anterior con la que comparar" in first
