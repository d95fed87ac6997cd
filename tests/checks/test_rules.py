"""The cross-record rules as Great Expectations suites: each rule broken once in the small fixture, found and located.

Each case writes the hand-checkable fixture, breaks one thing (with the
corpus's own mutation helpers), loads and schema-validates it as the gate does,
then runs the suites. Cells are as the partner sees them: the fixture's
workbooks have the header in row 1, so list index 1 is spreadsheet row 2.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from catalogue.checks.frames import build_frames, frames_from_records, normalise_title
from catalogue.checks.rules import data_docs_index, run_expectation_suites
from catalogue.checks.schema import validate_records
from catalogue.config import PROJECT_ROOT
from catalogue.inputs.load import load_inputs
from catalogue.inputs.records import Record
from catalogue.inputs.settings import CatalogueSettings
from catalogue.issues import DataIssue, Severity
from tests.fixtures.small import ACTIVITY_HEAD, BUDGET_HEAD, FX_RATES, write_csv, write_small_inputs
from tests.test_broken_inputs import Mutation, _append_row, _set, _workplan

NEW_CODES = {"day-rate-implausible", "activity-repeated"}
KNOWN_WARNING = ("priority-no-activity", "priorities.csv: row 4, column 'id'")  # DEC-13.99: nobody works on it


def _valid_records(root: Path) -> tuple[dict[str, list[Record]], CatalogueSettings]:
    loaded = load_inputs(root)
    assert loaded.settings is not None
    valid = {kind: validate_records(records)[0] for kind, records in loaded.records.items()}
    return valid, CatalogueSettings.from_record(loaded.settings.data)


def _found(root: Path) -> list[DataIssue]:
    valid, settings = _valid_records(root)
    return run_expectation_suites(valid, settings)


def _where(found: list[DataIssue]) -> set[tuple[str, str]]:
    return {(i.code, i.location.describe()) for i in found}


def _fx_rate(currency: str, rate: str) -> Mutation:
    def mutate(root: Path) -> None:
        rows = copy.deepcopy(FX_RATES)
        next(row for row in rows if row[0] == currency)[1] = rate
        write_csv(root / "fx_rates.csv", rows)
    return mutate


def _both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(sheets: dict) -> None:
        for one in changes:
            one(sheets)
    return change


_REPEAT_OF_BETA_003 = ["BETA-004", "P-BETA", "RES-12.21", "Climate  Outreach leaflet.", "Leaflet again.", "ES",
                       date(2025, 1, 1), date(2025, 12, 31), "planned", None, None, None, None]
_BETA_004_BUDGET = ["BETA-004", 1, "cash", "Printing", "EUR", 500] + [None] * (len(BUDGET_HEAD) - 6)

# case -> (mutation, code, severity, where the issue is, every (code, place) expected besides the known warning)
CASES: dict[str, tuple[Mutation, str, Severity, str, set[tuple[str, str]]]] = {
    "dangling-priority": (_workplan("P-BETA", _set("Activities", 2, 2, "DEC-99.999")),
                          "ref-dangling", Severity.ERROR, "workplans/P-BETA.xlsx: Activities!C3", set()),
    # A partner missing from partners.csv is also, necessarily, not the partner whose workbook it sits in.
    "dangling-partner": (_workplan("P-BETA", _set("Activities", 1, 1, "P-GAMMA")),
                         "ref-dangling", Severity.ERROR, "workplans/P-BETA.xlsx: Activities!B2",
                         {("partner-file-mismatch", "workplans/P-BETA.xlsx: Activities!B2")}),
    "funding-line-twice": (_workplan("P-BETA", _set("Funding", 2, 1, 1)),
                           "line-duplicate", Severity.ERROR, "workplans/P-BETA.xlsx: Funding!B3", set()),
    "budget-line-twice": (_workplan("P-ALPHA", _set("Budget", 2, 1, 1)),
                          "line-duplicate", Severity.ERROR, "workplans/P-ALPHA.xlsx: Budget!B3", set()),
    "unknown-funding-currency": (_workplan("P-BETA", _set("Funding", 1, 6, "XYZ")),
                                 "currency-unknown", Severity.ERROR, "workplans/P-BETA.xlsx: Funding!G2", set()),
    "unknown-budget-currency": (_workplan("P-BETA", _set("Budget", 2, 4, "XYZ")),
                                "currency-unknown", Severity.ERROR, "workplans/P-BETA.xlsx: Budget!E3", set()),
    "unknown-match-currency": (_workplan("P-ALPHA", _set("Activities", 3, ACTIVITY_HEAD.index("match_offer/currency"), "XYZ")),
                               "currency-unknown", Severity.ERROR, "workplans/P-ALPHA.xlsx: Activities!K4", set()),
    "end-before-start": (_workplan("P-BETA", _set("Activities", 1, 7, date(2020, 1, 1))),
                         "dates-reversed", Severity.ERROR, "workplans/P-BETA.xlsx: Activities!H2", set()),
    "starts-before-period": (_workplan("P-ALPHA", _set("Activities", 1, 6, date(2023, 1, 1))),
                             "dates-outside-period", Severity.WARNING, "workplans/P-ALPHA.xlsx: Activities!G2", set()),
    "ends-after-period": (_workplan("P-BETA", _set("Activities", 3, 7, date(2027, 6, 30))),
                          "dates-outside-period", Severity.WARNING, "workplans/P-BETA.xlsx: Activities!H4", set()),
    "reporting-rate-not-one": (_fx_rate("USD", "1.5"),
                               "fx-reporting-currency", Severity.ERROR, "fx_rates.csv: row 2, column 'rate'", set()),
    "pasted-from-other-partner": (_workplan("P-ALPHA", _set("Activities", 3, 1, "P-BETA")),
                                  "partner-file-mismatch", Severity.WARNING, "workplans/P-ALPHA.xlsx: Activities!B4", set()),
    # 6000 a day is a monthly salary typed as a day rate.
    "day-rate-monthly": (_workplan("P-ALPHA", _set("Budget", 2, 9, 6000)),
                         "day-rate-implausible", Severity.WARNING, "workplans/P-ALPHA.xlsx: Budget!J3", set()),
    # EUR 10 a day is USD 11.00 at 1.10: below the band once converted.
    "day-rate-tiny": (_workplan("P-ALPHA", _both(_set("Budget", 4, 4, "EUR"), _set("Budget", 4, 9, 10))),
                      "day-rate-implausible", Severity.WARNING, "workplans/P-ALPHA.xlsx: Budget!J5", set()),
    "activity-twice": (_workplan("P-BETA", _both(_append_row("Activities", _REPEAT_OF_BETA_003),
                                                 _append_row("Budget", _BETA_004_BUDGET))),
                       "activity-repeated", Severity.WARNING, "workplans/P-BETA.xlsx: Activities!D5", set()),
}


@pytest.fixture(scope="module", autouse=True)
def _gx_imported() -> None:
    """Import Great Expectations once, so each case's time is the suites' own."""
    import great_expectations  # noqa: F401


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_rule_is_found_and_located(case: str, tmp_path: Path) -> None:
    mutate, code, severity, where, also = CASES[case]
    root = write_small_inputs(tmp_path / "inputs")
    mutate(root)

    found = _found(root)

    hits = [i for i in found if i.code == code and i.location.describe() == where]
    assert len(hits) == 1, f"{code} at {where} not found once in {sorted(_where(found))}"
    assert hits[0].severity is severity
    assert hits[0].message and hits[0].hint
    assert _where(found) == {(code, where), KNOWN_WARNING} | also


def test_clean_fixture_has_only_the_known_warning(small_inputs: Path) -> None:
    found = _found(small_inputs)
    assert _where(found) == {KNOWN_WARNING}
    assert "DEC-13.99" in found[0].message


def test_repeated_activity_names_both_places(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    CASES["activity-twice"][0](root)
    (repeat,) = [i for i in _found(root) if i.code == "activity-repeated"]
    assert repeat.record_id == "BETA-004"
    assert "BETA-003" in repeat.message and "sheet Activities, cell D4" in repeat.message
    assert [loc.cell() for loc in repeat.related] == ["Activities!D4"]


def test_day_rate_message_gives_the_converted_figure(tmp_path: Path) -> None:
    root = write_small_inputs(tmp_path / "inputs")
    CASES["day-rate-tiny"][0](root)
    (low,) = [i for i in _found(root) if i.code == "day-rate-implausible"]
    message = low.message.replace("\xa0", " ")  # a figure keeps its currency: no break between them
    assert "EUR 10" in message and "USD 11.00" in message and "20 to 3,000 USD" in message  # 10 x 1.10
    assert low.value == "10"


def test_sample_findings_are_the_known_languishing_priorities() -> None:
    valid, settings = _valid_records(PROJECT_ROOT / "inputs")
    found = run_expectation_suites(valid, settings)
    # The sample leaves six priorities deliberately untouched (inputs/README.md); nothing else is wrong.
    assert sorted(i.record_id for i in found) == sorted(
        ["AP-LOGGERHEAD-SP", "CA-13.4", "CA-13.6", "DEC-13.109", "RES-11.28", "RES-12.24"])
    assert {i.code for i in found} == {"priority-no-activity"}


def test_frames_keep_money_exact_and_point_back_to_records(small_inputs: Path) -> None:
    valid, _ = _valid_records(small_inputs)
    frames = frames_from_records(valid)
    assert set(frames) == {"partners", "priorities", "fx_rates", "activities", "tasks", "activity_priority",
                           "budget_lines", "funding_lines"}
    for name, frame in frames.items():
        assert frame["_ref"].dtype == "int64", name
        assert not any(str(dtype).startswith("float") for dtype in frame.dtypes), name
    # ALPHA-003 points at CA-13.3 and RES-12.21: one link row each, with its position in the cell.
    links = frames["activity_priority"]
    assert links[links["work_id"] == "ALPHA-003"][["index", "priority_id"]].values.tolist() == [[0, "CA-13.3"], [1, "RES-12.21"]]
    # Money as exact text, never a float: the staff-time line's rate, BETA-001's two funding amounts.
    budget = frames["budget_lines"]
    assert budget[budget["work_id"] == "ALPHA-001"]["day_rate"].tolist()[1] == "300"
    funding = frames["funding_lines"]
    assert funding[funding["work_id"] == "BETA-001"]["amount"].tolist() == ["2000", "3000"]
    # Each row's _ref leads back to the record and the path of its value.
    record, path = build_frames(valid).refs[int(links[links["work_id"] == "ALPHA-003"]["_ref"].iloc[1])]
    assert record.locate(path).cell() == "Activities!C4"


def test_titles_compare_without_case_spacing_or_punctuation() -> None:
    assert normalise_title("Climate  Outreach leaflet.") == normalise_title("climate outreach leaflet")
    assert normalise_title("Bustard nest guarding") != normalise_title("Bustard nest guarding II")


def test_data_docs_are_written(small_inputs: Path, tmp_path: Path) -> None:
    valid, settings = _valid_records(small_inputs)
    docs = tmp_path / "validation" / "data_docs"
    assert data_docs_index(docs) is None

    found = run_expectation_suites(valid, settings, docs_dir=docs)

    index = data_docs_index(docs)
    assert index is not None and index == docs.resolve() / "index.html"
    assert "catalogue_activities" in index.read_text(encoding="utf-8")
    assert _where(found) == {KNOWN_WARNING}
