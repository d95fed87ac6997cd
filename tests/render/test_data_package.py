"""datapackage/: catalogue.json as CSV tables a spreadsheet or a script reads without retyping, described by a
Frictionless Data Package that the frictionless library finds valid; every figure read back from the CSVs alone
equals catalogue.json to the cent, per item and per year."""

from __future__ import annotations

import copy
import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate

from catalogue.render.data_package import TABLES, data_package

FIGURES = ("required", "secured", "pledged", "requested", "gap")


def _write(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8"))))


def test_the_package_is_valid_frictionless_data(sample_document: dict[str, Any], tmp_path: Path) -> None:
    folder = _write(data_package(sample_document), tmp_path / "datapackage")
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [t.name for t in TABLES]


def test_every_figure_reads_back_from_the_csvs_to_the_cent(sample_document: dict[str, Any]) -> None:
    files = data_package(sample_document)
    for table, key in (("activities", "activities"), ("secretariat_tasks", "secretariat_tasks")):
        rows = {r["id"]: r for r in _rows(files, table)}
        assert set(rows) == {w["id"] for w in sample_document[key]}
        for work in sample_document[key]:
            assert {f: D(rows[work["id"]][f]) for f in FIGURES} == {f: D(work[f]) for f in FIGURES}, work["id"]
    years = {(r["item_kind"], r["item_id"], int(r["year"])): r for r in _rows(files, "years")}
    expected = {("activity", a["id"], y["year"]): y for a in sample_document["activities"] for y in a["years"]}
    expected |= {("task", t["id"], y["year"]): y for t in sample_document["secretariat_tasks"] for y in t["years"]}
    assert set(years) == set(expected)
    for key, year in expected.items():
        assert {f: D(years[key][f]) for f in FIGURES} == {f: D(year[f]) for f in FIGURES}, key
    lines = _rows(files, "funding_lines")
    assert sum(D(r["amount"]) for r in lines) == sum(
        D(line["amount"]) for w in [*sample_document["activities"], *sample_document["secretariat_tasks"]]
        for line in w["funding_lines"])
    priorities = {r["id"]: r for r in _rows(files, "priorities")}
    assert all(D(priorities[p["id"]]["gap"]) == D(p["gap"]) for p in sample_document["priorities"])


def test_text_that_a_spreadsheet_would_run_stays_text(sample_document: dict[str, Any], tmp_path: Path) -> None:
    document = copy.deepcopy(sample_document)
    document["activities"][0]["title"] = '=HYPERLINK("http://evil.example","click")'
    document["activities"][1]["title"] = "-5 birds, +3 bats"
    files = data_package(document)
    rows = {r["id"]: r for r in _rows(files, "activities")}
    assert rows[document["activities"][0]["id"]]["title"] == "'" + document["activities"][0]["title"]
    assert rows[document["activities"][1]["id"]]["title"] == "'-5 birds, +3 bats"
    assert validate(_write(files, tmp_path / "p") / "datapackage.json").valid


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_each_table_has_a_header_and_equal_documents_give_equal_bytes(sample_document: dict[str, Any],
                                                                       table: str) -> None:
    first, second = data_package(sample_document), data_package(copy.deepcopy(sample_document))
    assert first[f"{table}.csv"] == second[f"{table}.csv"]
    header = first[f"{table}.csv"].decode("utf-8").splitlines()[0].split(",")
    assert header == [name for name, _ in next(t for t in TABLES if t.name == table).fields]
