"""Partner co-funding statements: golden figures on the hand-checked fixture, and the real command on the sample.

The fixture's figures are worked out in tests/test_budget.py; the ones a
statement adds (pledged co-funding, per-target shares, shares of the whole)
are worked out here beside the assertions.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import build_model
from catalogue.render.words import formatting
from catalogue.views.partner_statement import UnknownPartner, is_partner_file, partner_statement
from tests.conftest import copy_published, run_catalogue
from tests.fixtures.small import WORKPLANS, write_small_inputs, write_workbook

D = Decimal


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory):
    result = build_model(write_small_inputs(tmp_path_factory.mktemp("small") / "inputs"), build_time="2025-07-01T00:00:00Z")
    assert result.catalogue is not None, [i.message for i in result.report.errors]
    return result.catalogue


def _text(pdf: Path) -> str:
    """The PDF's text with whitespace collapsed; pypdf may put NULs in for some fonts, and NBSPs stay NBSPs."""
    raw = "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    return " ".join(raw.replace("\x00", "").replace("\u00a0", " ").split())


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# --------------------------------------------------------------------------- golden figures on the fixture


def test_alpha_cofunding_is_its_confirmed_staff_time_with_the_meetings_pledged(small_catalogue) -> None:
    s = partner_statement(small_catalogue, "P-ALPHA")
    # Confirmed: ALPHA-001 staff time, 20 days x USD 300 = 6,000.00; no own cash.
    assert (s.cofunding_cash, s.cofunding_in_kind, s.cofunding_total) == (D("0"), D("6000.00"), D("6000.00"))
    # Pledged: ALPHA-003 meetings, source "Alpha" (its short name): 4 x 4 x 6 x 365 = 35,040.00.
    assert (s.pledged_cash, s.pledged_in_kind, s.pledged_total) == (D("0"), D("35040.00"), D("35040.00"))
    assert [(line.activity_id, line.status, line.formula, line.original_amount, line.amount) for line in s.cofunding_lines] == [
        ("ALPHA-001", "confirmed", "20 days x USD 300", D("6000"), D("6000.00")),
        ("ALPHA-003", "pledged", "4 staff x 4 meetings x 6 days x USD 365", D("35040"), D("35040.00")),
    ]
    # Its work: 16,000 + 5,500 + 35,040 required; 10,000 + 5,500 secured; gap 6,000 + 35,040.
    assert (s.figures.required, s.figures.secured, s.figures.gap) == (D("56540.00"), D("15500.00"), D("41040.00"))
    assert [(a.id, a.figures.gap) for a in s.gap_activities] == [("ALPHA-003", D("35040.00")), ("ALPHA-001", D("6000.00"))]
    assert [(m.activity_id, m.offer.up_to, m.offer.ratio) for m in s.match_offers] == [("ALPHA-003", D("10000.00"), D("1"))]


def test_beta_cofunding_is_its_own_cash_only(small_catalogue) -> None:
    s = partner_statement(small_catalogue, "P-BETA")
    # BETA-001 "Beta own funds" USD 3,000 confirmed; Sea Trust's EUR 2,000 pledge is not Beta's own money.
    assert (s.cofunding_cash, s.cofunding_in_kind, s.cofunding_total) == (D("3000.00"), D("0"), D("3000.00"))
    assert s.pledged_total == D("0")
    assert [(line.activity_id, line.kind, line.description, line.formula) for line in s.cofunding_lines] == [
        ("BETA-001", "cash", "Beta own funds", "")]
    assert [(r.currency, r.confirmed_original, r.confirmed) for r in s.by_currency] == [("USD", D("3000"), D("3000.00"))]
    assert s.match_offers == ()


def test_shares_of_all_partner_cofunding_and_of_secured(small_catalogue) -> None:
    alpha = partner_statement(small_catalogue, "P-ALPHA")
    beta = partner_statement(small_catalogue, "P-BETA")
    # All partner co-funding: 6,000 (Alpha in kind) + 3,000 (Beta cash) = 9,000; secured programme-wide 43,000.
    assert alpha.all_partner_cofunding == beta.all_partner_cofunding == D("9000.00")
    assert alpha.programme_secured == D("43000.00")
    assert alpha.share_of_partner_cofunding == D("0.6667")  # 6,000 / 9,000 = 0.66666...
    assert beta.share_of_partner_cofunding == D("0.3333")  # 3,000 / 9,000
    assert alpha.share_of_secured == D("0.1395")  # 6,000 / 43,000 = 0.139534...
    assert beta.share_of_secured == D("0.0698")  # 3,000 / 43,000 = 0.069767...


def test_cofunding_per_priority_and_per_strategic_plan_target(small_catalogue) -> None:
    alpha = partner_statement(small_catalogue, "P-ALPHA")
    # By lead priority: the model's own figures, plus what is pledged there.
    assert [(r.priority_id, r.cash, r.in_kind, r.total, r.pledged) for r in alpha.by_priority] == [
        ("CA-13.3", D("0"), D("0"), D("0"), D("35040.00")),  # ALPHA-003's pledged meetings
        ("RES-12.21", D("0"), D("6000.00"), D("6000.00"), D("0")),
    ]
    model = {c.priority_id: (c.cash, c.in_kind) for c in small_catalogue.partners[0].cofunding_by_priority}
    assert model == {"RES-12.21": (D("0"), D("6000.00"))}
    # RES-12.21 serves targets 5 and 10: 6,000 shared equally, 3,000 each; CA-13.3 serves target 8.
    assert [(r.target, r.in_kind, r.total, r.pledged) for r in alpha.by_target] == [
        ("5", D("3000.00"), D("3000.00"), D("0.00")),
        ("8", D("0.00"), D("0.00"), D("35040.00")),
        ("10", D("3000.00"), D("3000.00"), D("0.00")),
    ]
    beta = partner_statement(small_catalogue, "P-BETA")
    assert [(r.target, r.cash) for r in beta.by_target] == [("5", D("1500.00")), ("10", D("1500.00"))]
    for s in (alpha, beta):
        assert sum(r.total for r in s.by_target) == sum(r.total for r in s.by_priority) == s.cofunding_total
        assert sum(r.pledged for r in s.by_target) == s.pledged_total


def test_statement_figures_equal_catalogue_json_to_the_cent(small_catalogue) -> None:
    data = catalogue_to_json(small_catalogue)
    for partner in data["partners"]:
        s = partner_statement(small_catalogue, partner["id"])
        for field in ("cofunding_cash", "cofunding_in_kind", "cofunding_total"):
            assert D(partner[field]) == getattr(s, field), (partner["id"], field)
        for field in ("required", "secured", "pledged", "gap"):
            assert D(partner[field]) == getattr(s.open_figures, field), (partner["id"], field)
            assert D(partner["all"][field]) == getattr(s.figures, field), (partner["id"], field)


def test_warnings_are_only_those_in_the_partners_own_workbook(small_catalogue) -> None:
    alpha = partner_statement(small_catalogue, "P-ALPHA")
    # ALPHA-002 is over-committed (EUR 6,000 confirmed on a EUR 5,000 budget); DEC-13.99 has no work (priorities.csv).
    assert [(w["code"], w["location"]["file"]) for w in alpha.warnings] == [("over-committed", "workplans/P-ALPHA.xlsx")]
    assert partner_statement(small_catalogue, "P-BETA").warnings == ()
    assert any(w["location"]["file"] == "priorities.csv" for w in small_catalogue.warnings)


def test_partner_file_is_matched_by_whole_id_not_by_prefix() -> None:
    assert is_partner_file("workplans/P-HSI.xlsx", "P-HSI")
    assert is_partner_file("workplans/P-HSI.csv", "P-HSI")
    assert not is_partner_file("workplans/P-HSI-AU.xlsx", "P-HSI")
    assert not is_partner_file("workplans/P-HSI.xlsx", "P-HSI-AU")
    assert not is_partner_file("priorities.csv", "P-HSI")
    assert not is_partner_file("elsewhere/workplans/P-HSI.xlsx", "P-HSI")
    assert not is_partner_file(None, "P-HSI")


def test_only_partner_priorities(small_catalogue, tmp_path: Path) -> None:
    # In the fixture both partners work on both priorities that have work.
    for pid in ("P-ALPHA", "P-BETA"):
        assert partner_statement(small_catalogue, pid).sole_priorities == ()
    # Move Beta's power-line marking from CA-13.3 to RES-12.21: Alpha is then alone on the bustard.
    inputs = write_small_inputs(tmp_path / "inputs")
    beta = copy.deepcopy(WORKPLANS["P-BETA"])
    beta["Activities"][2][2] = "RES-12.21"
    write_workbook(inputs / "workplans" / "P-BETA.xlsx", beta)
    catalogue = build_model(inputs).catalogue
    assert catalogue is not None
    assert [p.id for p in partner_statement(catalogue, "P-ALPHA").sole_priorities] == ["CA-13.3"]
    assert partner_statement(catalogue, "P-BETA").sole_priorities == ()


def test_unknown_partner_is_refused(small_catalogue) -> None:
    with pytest.raises(UnknownPartner):
        partner_statement(small_catalogue, "P-NOPE")


def test_pdf_and_workbook_show_the_statement(small_catalogue, tmp_path: Path) -> None:
    from catalogue.render.pdf.statement_pdf import render_statement_html, render_statement_pdf
    from catalogue.render.xlsx.statement_workbook import write_statement_xlsx

    s = partner_statement(small_catalogue, "P-ALPHA")
    render_statement_pdf(s, tmp_path / "alpha.pdf", "en")
    text = _text(tmp_path / "alpha.pdf")
    assert "Alpha Wildlife Trust" in text
    assert "USD 6,000.00" in text and "USD 35,040.00" in text  # confirmed total, pledged total
    assert "4 staff x 4 meetings x 6 days x USD 365" in text
    assert "cms@alpha.example.org" in text and "policy@beta.example.org" not in text
    assert "workplans/P-ALPHA.xlsx" in text and "over-committed" in text

    write_statement_xlsx(s, tmp_path / "alpha.xlsx")
    book = load_workbook(tmp_path / "alpha.xlsx", read_only=True)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Partner"] == "Alpha Wildlife Trust"
    assert summary["Co-funding, total, confirmed (USD)"] == 6000.0
    assert summary["Co-funding, total, pledged (USD)"] == 35040.0
    lines = list(book["Co-funding lines"].iter_rows(values_only=True))
    assert lines[2][4] == "4 staff x 4 meetings x 6 days x USD 365"

    # Partner text is data: escaped in the HTML, never a formula in the workbook.
    hostile = dataclasses.replace(s, partner=dataclasses.replace(s.partner, name='<img src="http://x/">=HYPERLINK("x")'))
    assert "<img src" not in render_statement_html(hostile, "en")
    write_statement_xlsx(hostile, tmp_path / "hostile.xlsx")
    cell = load_workbook(tmp_path / "hostile.xlsx")["Summary"]["B1"]
    assert cell.data_type == "s" and cell.value.startswith("<img")


# --------------------------------------------------------------------------- the real command on the sample


@pytest.fixture(scope="module")
def sample_statements(published_sample: dict[str, object]) -> Path:
    """The session's published sample (`catalogue build`, then `statements`: tests/conftest.py), read only."""
    return Path(str(published_sample["outputs"]))


@pytest.mark.slow
def test_sample_statements_name_their_partner_and_its_total_and_no_one_elses_email(sample_statements: Path) -> None:
    outputs = sample_statements
    data = json.loads((outputs / "catalogue.json").read_text(encoding="utf-8"))  # still published beside them
    partners = data["partners"]
    assert len(partners) == 19
    pdfs = sorted((outputs / "statements").glob("*.pdf"))
    assert sorted(p.stem for p in pdfs) == sorted(p["id"] for p in partners)
    assert len(list((outputs / "statements").glob("*.xlsx"))) == 19
    texts = {p.stem: _text(p) for p in pdfs}
    for partner in partners:
        text = texts[partner["id"]]
        assert _flat(partner["name"]) in text, partner["id"]
        total = formatting.money(D(partner["cofunding_total"]), data["reporting_currency"], data["locale"], cents=True)
        assert _flat(total) in text, (partner["id"], total)
        assert partner["contact_email"] in text, partner["id"]
        for other in partners:
            if other["id"] != partner["id"]:
                assert other["contact_email"] not in text, (partner["id"], other["id"])
        workbook = load_workbook(outputs / "statements" / f"{partner['id']}.xlsx", read_only=True)
        summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]}
        assert D(str(summary[f"Co-funding, total, confirmed ({data['reporting_currency']})"])) == D(partner["cofunding_total"])
        assert summary["Contact e-mail"] == partner["contact_email"]


@pytest.mark.slow
def test_one_partner_writes_only_that_one_and_keeps_the_others(published_sample: dict[str, object], tmp_path: Path,
                                                               prefect_api: str) -> None:
    _, sample_statements = copy_published(published_sample, tmp_path / "copy")
    fresh = tmp_path / "fresh"
    result = run_catalogue(["statements", "--outputs", str(fresh), "--partner", "P-WWF"], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    published = sorted(p.name for p in (fresh / "statements").iterdir() if not p.name.startswith("."))
    assert published == ["P-WWF.pdf", "P-WWF.xlsx"]
    assert "WWF" in _text(fresh / "statements" / "P-WWF.pdf")
    # Into a folder that has them all: P-WWF is rewritten, the other 18 partners' files stay published.
    result = run_catalogue(["statements", "--outputs", str(sample_statements), "--partner", "P-WWF"], prefect_api)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((sample_statements / "statements").glob("*.pdf"))) == 19
    assert result.stdout.count("Wrote") == 2


@pytest.mark.slow
def test_unknown_partner_exits_2_and_publishes_nothing(tmp_path: Path, prefect_api: str) -> None:
    outputs = tmp_path / "outputs"
    result = run_catalogue(["statements", "--outputs", str(outputs), "--partner", "P-NOPE"], prefect_api)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "P-NOPE" in result.stderr
    assert not (outputs / "statements").exists()
