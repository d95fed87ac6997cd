"""Every finding of the broken-input corpus reads in English, French and Spanish.

A finding is data (its code, English templates, parameters and place); its text is made when it is shown,
in the reader's language. For every corpus case, every finding's message, hint and place are made in fr and
es as the CLI, the HTML report, the workbook and the portal make them (render/words/issue_text.py,
render/words/report_entries.py): each template has its translation, and once the data it quotes (ids, values,
file and sheet names, which stay as typed) is taken out, no English sentence is left.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from catalogue.checks.gate import run_gate
from catalogue.inputs.load import load_inputs
from catalogue.issues import Report
from catalogue.pipeline import build_model
from catalogue.render.words.i18n import translations
from catalogue.render.words.issue_text import finding_hint, finding_place, finding_text
from catalogue.render.words.validation_report import report_html, report_lines
from tests.fixtures.small import write_small_inputs
from tests.test_corpus import CASES, expected_of, overlay, place_shown

# Words of English sentences that no French or Spanish finding keeps (column headers, typed values, file names
# and menu names that stay English are not among them).
ENGLISH = ("the", "must", "found", "which", "cannot", "sheet", "cell", "row", "column", "is", "are", "and", "or",
           "with", "from", "this", "that", "there", "has", "have", "was", "were", "not", "your", "its")


def _report(case: str, fixture: Path, target: Path) -> Report:
    root = overlay(case, fixture, target)
    if expected_of(case).get("stage") == "build":
        return build_model(root, build_time="2025-01-01T00:00:00Z").report
    return run_gate(load_inputs(root)).report


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    fixture = write_small_inputs(tmp_path_factory.mktemp("fixture") / "inputs")
    folder = tmp_path_factory.mktemp("cases")
    return {case: _report(case, fixture, folder / case) for case in CASES}


def _data_of(finding: dict[str, Any]) -> list[str]:
    """What a finding quotes as found (ids, values, names): it stays as typed, in any language."""
    quoted = [str(v) for k, v in finding.get("params", {}).items() if isinstance(v, str) and not k.endswith("label")]
    location = finding.get("location") or {}
    quoted += [str(v) for v in location.values()] + [str(finding.get("value") or "")]
    return sorted((q for q in quoted if q), key=len, reverse=True)


def english_left(text: str, finding: dict[str, Any]) -> list[str]:
    for quoted in _data_of(finding):
        text = text.replace(quoted, " ")
    text = re.sub(r"'[^']*'|\"[^\"]*\"|«[^»]*»", " ", text)  # quoted names (columns, menus, typed values)
    return [w for w in ENGLISH if re.search(rf"(?<![\w./-]){w}(?![\w./-])", text)]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_finding_of_the_corpus_is_in_the_readers_language(reports: dict[str, Report], lang: str) -> None:
    translated = translations(lang)
    gettext = translated.gettext
    catalog = translated._catalog  # noqa: SLF001 (whether a msgid has a translation, even one spelt as in English)
    untranslated: list[tuple[str, str, str]] = []
    english: list[tuple[str, str, str, list[str]]] = []
    for case, report in reports.items():
        for item in report.issues:
            finding = item.to_dict()
            for template in (finding["template"], finding["hint_template"]):
                if template and template not in catalog:
                    untranslated.append((case, item.code, template))
            for name, value in finding["params"].items():
                if name.endswith("label") and value not in catalog:
                    untranslated.append((case, item.code, value))
            text = " ".join((finding_text(finding, gettext), finding_hint(finding, gettext),
                             finding_place(finding, gettext, with_file=False)))
            if left := english_left(text, finding):
                english.append((case, item.code, text, left))
    assert not untranslated, untranslated[:10]
    assert not english, english[:10]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_lines_a_user_reads_name_every_expected_place_in_that_language(reports: dict[str, Report],
                                                                          lang: str) -> None:
    """The CLI's lines (grouped as the portal groups them) and the HTML report name each expected finding."""
    gettext = translations(lang).gettext
    for case, report in reports.items():
        lines = "\n".join(text for _severity, text in report_lines(report, gettext))
        page = html.unescape(report_html(report, {"inputs": "inputs", "checked_at": "now", "lang": lang}))
        assert f'<html lang="{lang}">' in page
        for severity in ("errors", "warnings"):
            for finding in expected_of(case)[severity]:
                file, _, place = finding["where"].rpartition(": ")
                for shown in (lines, page):
                    assert f"[{finding['code']}]" in shown or f">{finding['code']}<" in shown, (case, finding)
                    assert (place in shown) if not file else place_shown(place, shown, gettext), (case, lang, place)


def test_many_cells_with_one_cause_are_one_line() -> None:
    """Forty empty Amount cells are one problem: one line naming the column and its cells, in every output."""
    from catalogue.issues import Location, issue
    found = Report([issue("value-not-a-number", Location("workplans/P-X.xlsx", "Budget", row, "F", "amount"),
                          "%(label)s must be a number; found '%(value)s'.", params={"label": "Amount", "value": "x"},
                          value="x") for row in range(2, 42)])
    (line,) = [text for _severity, text in report_lines(found, translations("fr").gettext)]
    assert line.startswith("ERREUR [value-not-a-number] workplans/P-X.xlsx, feuille Budget, colonne amount")
    assert "40" in line and "F2 'x'" in line and "(+28)" in line


@pytest.mark.parametrize(("lang", "limit", "surplus"), [
    ("en", "USD\xa0100,000,000", "1,100.00"),
    ("fr", "100\u202f000\u202f000\xa0USD", "1\u202f100,00"),
    ("es", "100.000.000\xa0USD", "1.100,00"),
])
def test_figures_in_findings_are_written_in_the_readers_locale(reports: dict[str, Report], lang: str, limit: str,
                                                              surplus: str) -> None:
    """A finding keeps its figures exact ({"number": ..., "currency": ...}) and writes them as the reader does."""
    gettext = translations(lang).gettext
    absurd = next(i.to_dict() for i in reports["amount-implausible"].issues if i.code == "amount-implausible")
    assert absurd["params"]["limit"] == {"number": "100000000", "currency": "USD"}
    assert limit in finding_text(absurd, gettext)
    over = next(i.to_dict() for i in reports["over-committed"].issues if i.code == "over-committed")
    assert surplus in finding_text(over, gettext) and "1100.00" not in finding_text(over, gettext)
