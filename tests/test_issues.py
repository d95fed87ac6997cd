"""Findings (catalogue/issues.py): registered codes, located places, parameters kept exact, and the order in
which a person fixes them."""

from __future__ import annotations

import json

import pytest

from catalogue.issues import CODES, Location, Report, Severity, figure, issue, said, spoken_place
from catalogue.render.words.i18n import translations


def test_an_unregistered_code_is_refused() -> None:
    with pytest.raises(KeyError, match="no-such-code"):
        issue("no-such-code", Location("x.csv"), "message")


def test_a_finding_keeps_its_template_and_parameters_and_fills_them_in_english() -> None:
    found = issue("amount-implausible", Location("workplans/P-WWF.xlsx", "Funding", 7, "F", "amount"),
                  "The amount %(amount)s looks too large.", "Check %(place)s.",
                  params={"amount": figure("1100000000.50", "USD"),
                          "place": Location("workplans/P-WWF.xlsx", "Funding", 7, "F", "amount")})
    assert found.message == "The amount USD\u00a01,100,000,000.50 looks too large."
    assert found.hint == "Check workplans/P-WWF.xlsx, sheet Funding, cell F7 (amount)."
    stored = found.to_dict()
    assert stored["params"]["amount"] == {"number": "1100000000.50", "currency": "USD"}  # exact, as text
    assert json.loads(json.dumps(stored)) == stored  # JSON-ready as it is
    assert stored["severity"] == CODES["amount-implausible"][0].value


def test_figures_are_said_in_the_readers_locale_and_never_rounded() -> None:
    amount = figure("1234567.891", "EUR")
    assert said(amount) == "EUR\u00a01,234,567.891"
    assert said(amount, translations("fr").gettext).replace("\u202f", " ").replace("\u00a0", " ") == "1 234 567,891 EUR"
    assert said(figure("0.10")) == "0.10"


def test_a_place_is_said_as_people_say_it_in_their_language() -> None:
    place = Location("workplans/P-BETA.xlsx", "Funding", 3, "F", "Amount").as_dict()
    assert spoken_place(place) == "workplans/P-BETA.xlsx, sheet Funding, cell F3 (Amount)"
    french = spoken_place(place, translations("fr").gettext)
    assert french.startswith("workplans/P-BETA.xlsx, ") and "F3" in french and "Funding" in french
    assert spoken_place(Location("priorities.csv", row=18, header="id").as_dict()) == "priorities.csv, row 18, column 'id'"


def test_errors_come_first_then_file_sheet_and_row_order() -> None:
    warning = issue("amount-implausible", Location("a.xlsx", "Funding", 2, "F"), "w")
    late = issue("required-missing", Location("b.xlsx", "Activities", 9, "B"), "late")
    early = issue("required-missing", Location("b.xlsx", "Activities", 3, "B"), "early")
    other_file = issue("required-missing", Location("a.xlsx", "Activities", 12, "B"), "a")
    report = Report([warning, late, early, other_file])
    assert report.sorted() == [other_file, early, late, warning]
    assert report.errors == [late, early, other_file] and report.warnings == [warning]
    assert not report.valid and Report([warning]).valid
    assert warning.severity is Severity.WARNING
