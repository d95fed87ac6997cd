"""A French build of the sample: no English word left in the body of the PDF, the workbook, a pack or a statement.

Partner and donor text is data and stays as typed; the words below are fixed labels, status words
and reasons that only the renderers write, chosen so that none is also a French word.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.model.catalogue import Catalogue
from catalogue.pipeline import build_model
from catalogue.render.pdf.catalogue_document import render_pdf
from catalogue.render.pdf.pack_pdf import render_pack_pdf
from catalogue.render.pdf.statement_pdf import render_statement_pdf
from catalogue.render.xlsx.catalogue_workbook import write_catalogue_xlsx
from catalogue.render.xlsx.pack_workbook import write_pack_xlsx
from catalogue.render.xlsx.statement_workbook import write_statement_xlsx
from catalogue.views.donor_pack import match_gaps
from catalogue.views.partner_statement import partner_statement
from tests.conftest import REPO

ENGLISH = ("Required", "Secured", "Gap", "Priority", "Priorities", "Partner", "funded", "Funding", "languishing",
           "Languishing", "Contents", "Activity", "Secretariat task", "pledged", "Pledged", "Coverage",
           "Summary", "Warnings", "excluded", "threshold", "no confirmed", "Why", "Level", "Sheet", "matches",
           "Unfunded", "Over-committed", "Fully funded", "Partly funded", "unassigned", "requested", "in kind",
           "row", "Check", "than", "money", "reporting currency",
           # controlled vocabularies (render/words/vocabulary.py): taxa, regions, addressees, targets and their plan
           "terrestrial mammals", "aquatic mammals", "marine turtles", "North America", "Oceania",
           "South and Central America", "Scientific Council", "Standing Committee", "Range States",
           "conservation status improved", "pressures reduced", "Strategic Plan for Migratory Species",
           "CMS Secretariat")
DONOR = {
    "id": "D-FR", "name": "Ministère d'essai", "kind": "government", "currency": "EUR", "language": "fr",
    "taxa": ["birds"], "regions": ["Africa", "Asia"], "strategic_plan_targets": [8], "instruments": ["CMS"],
    "keywords": ["flyway"], "ticket_min": "5000", "ticket_max": "200000", "match_funding": True,
    "exclude_keywords": ["survey"],
}


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    result = build_model(REPO / "inputs", build_time="2025-06-30T00:00:00Z")
    assert result.catalogue is not None
    return result.catalogue


def _plain(text: str) -> str:
    """Text as laid out, made comparable: words hyphenated at a line end joined, every run of spaces one space."""
    return re.sub(r"\s+", " ", re.sub("\u2010\\s*\n", "", text))


def _english_in(text: str, data: set[str]) -> list[str]:
    """The English words in `text`, outside the data strings (titles, names, messages) that contain them.

    A chart shortens a long title with an ellipsis, so the first 20 characters of each are data too.
    """
    text = _plain(text)
    for value in sorted({_plain(v) for v in data} | {_plain(v)[:20] for v in data}, key=len, reverse=True):
        if len(value) > 2:
            text = text.replace(value, " ")
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def _data_strings(c: Catalogue) -> set[str]:
    """Partner-, donor- and Secretariat-typed text, and the identifiers of findings: data, never translated here."""
    found: set[str] = set()
    for item in (*c.activities, *c.secretariat_tasks):
        found |= {item.title, item.description, getattr(item, "partner_name", ""), getattr(item, "unit", ""), item.source}
        found |= {line.source for line in item.funding_lines} | {line.description for line in item.budget_lines}
        found |= {line.formula for line in item.budget_lines}
        if getattr(item, "match_offer", None) is not None:
            found.add(item.match_offer.note)
    for p in c.priorities:
        found |= {p.title, *p.taxa, *p.regions, p.instrument}
    for p in c.partners:
        found |= {p.name, p.short_name, p.contact_role, p.contact_name, *p.expertise, *p.themes}
    found |= {s.source for s in c.funding_sources} | {f.source for f in c.fx_rates}
    # A finding's code, file and sheet name are identifiers; its message and hint are our sentences, so they are
    # not data: a French document must word them in French (render/words/issue_text.py).
    found |= {str(w.get("code", "")) for w in c.warnings}
    found |= {str((w.get("location") or {}).get(k) or "") for w in c.warnings for k in ("file", "sheet", "path")}
    found |= {c.title, c.edition}
    return {s for s in found if s}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _cells(path: Path) -> str:
    book = load_workbook(path)
    texts = [ws.title for ws in book.worksheets]
    for ws in book.worksheets:
        texts += [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return "\n".join(texts)


@pytest.mark.slow
def test_french_sample_outputs_have_no_english_labels(sample: Catalogue, tmp_path: Path) -> None:
    data = _data_strings(sample)
    render_pdf(sample, tmp_path / "catalogue.pdf", "fr")
    assert not _english_in(_pdf_text(tmp_path / "catalogue.pdf"), data), "catalogue.pdf"
    write_catalogue_xlsx(sample, tmp_path / "catalogue.xlsx", "fr")
    assert not _english_in(_cells(tmp_path / "catalogue.xlsx"), data), "catalogue.xlsx"

    pack = match_gaps(sample, DONOR)
    assert pack.language == "fr" and pack.priorities
    data |= {DONOR["name"], *DONOR["keywords"], *DONOR["exclude_keywords"]}
    render_pack_pdf(pack, tmp_path / "pack.pdf")
    write_pack_xlsx(pack, tmp_path / "pack.xlsx")
    assert not _english_in(_pdf_text(tmp_path / "pack.pdf"), data), "pack.pdf"
    assert not _english_in(_cells(tmp_path / "pack.xlsx"), data), "pack.xlsx"

    statement = partner_statement(sample, sample.partners[0].id)
    render_statement_pdf(statement, tmp_path / "statement.pdf", "fr")
    write_statement_xlsx(statement, tmp_path / "statement.xlsx", "fr")
    assert not _english_in(_pdf_text(tmp_path / "statement.pdf"), data), "statement.pdf"
    assert not _english_in(_cells(tmp_path / "statement.xlsx"), data), "statement.xlsx"
