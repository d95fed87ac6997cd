"""iati/activities.xml as a donor's IATI system reads it: valid against the official 2.03 schema, every code in
its codelist, and every figure read back from the XML alone equal to catalogue.json to the cent.

Checked on the sample, on 2,000 activities, and on every broken-but-publishable case of the corpus.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from catalogue.model.catalogue_json import catalogue_to_json
from catalogue.pipeline import build_model
from catalogue.render.iati.activity_file import activities_xml, shares
from tests.fixtures.small import write_small_inputs
from tests.render.iati.iati_standard import codelist_errors, schema_errors
from tests.test_corpus import CASES, expected_of, overlay

PUBLISHER = "XI-IATI-CMSSAMPLE"


def _work(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [*document["activities"], *document["secretariat_tasks"]]


def test_the_sample_is_valid_iati_with_every_code_in_its_codelist(sample_document: dict[str, Any]) -> None:
    data = activities_xml(sample_document)
    assert schema_errors(data) == []
    assert codelist_errors(data) == []
    identifiers = [e.text for e in ET.fromstring(data).iter("iati-identifier")]
    assert identifiers == [f"{PUBLISHER}-{w['id']}" for w in _work(sample_document)]
    assert len(set(identifiers)) == len(identifiers)


def test_two_thousand_activities_are_valid_iati(sample_document: dict[str, Any]) -> None:
    document = copy.deepcopy(sample_document)
    base = document["activities"]
    document["activities"] = [{**base[n % len(base)], "id": f"SCALE-{n:05d}"} for n in range(2000)]
    data = activities_xml(document)
    assert schema_errors(data) == []
    assert len(ET.fromstring(data).findall("iati-activity")) == 2000 + len(document["secretariat_tasks"])


PUBLISHABLE = [case for case in CASES if expected_of(case).get("passes") and not expected_of(case).get("errors")]


@pytest.mark.parametrize("case", PUBLISHABLE)
def test_a_broken_but_publishable_case_is_valid_iati(case: str, tmp_path: Path) -> None:
    inputs = overlay(case, write_small_inputs(tmp_path / "fixture"), tmp_path / "inputs")
    model = build_model(inputs, build_time="2025-07-01T08:00:00Z")
    assert model.catalogue is not None, case
    document = {**catalogue_to_json(model.catalogue), "iati_organisation_identifier": "XI-IATI-TEST"}
    data = activities_xml(document)
    assert schema_errors(data) == [], case
    assert codelist_errors(data) == [], case


def _money(element: ET.Element, path: str) -> D:
    return sum((D(v.text or "0") for v in element.findall(path)), D("0"))


def _read_back(data: bytes) -> dict[str, dict[str, Any]]:
    """Each activity's figures as a reader of the XML alone finds them."""
    found = {}
    for activity in ET.fromstring(data).findall("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").removeprefix(f"{PUBLISHER}-")
        budgets: dict[int, D] = defaultdict(D)
        for budget in activity.findall("budget"):
            start = date.fromisoformat(budget.find("period-start").get("iso-date"))  # type: ignore[union-attr]
            end = date.fromisoformat(budget.find("period-end").get("iso-date"))  # type: ignore[union-attr]
            assert start <= end and start.year == end.year, "a budget period is one year at most"
            budgets[start.year] += D(budget.findtext("value") or "0")
        transactions: dict[str, D] = defaultdict(D)
        for transaction in activity.findall("transaction"):
            transactions[transaction.find("transaction-type").get("code")] += D(  # type: ignore[union-attr]
                transaction.findtext("value") or "0")
        found[identifier] = {
            "budgets": dict(budgets), "committed": transactions["11"], "paid": transactions["1"],
            "planned": _money(activity, "planned-disbursement/value"),
            "countries": [D(c.get("percentage") or "0") for c in activity.findall("recipient-country")],
            "regions": [D(r.get("percentage") or "0") for r in activity.findall("recipient-region")],
            "budget_types": {b.get("type") for b in activity.findall("budget")},
        }
    return found


def test_every_figure_reads_back_to_the_cent(sample_document: dict[str, Any]) -> None:
    read = _read_back(activities_xml(sample_document))
    assert set(read) == {w["id"] for w in _work(sample_document)}
    for work in _work(sample_document):
        got = read[work["id"]]
        assert got["budgets"] == {y["year"]: D(y["required"]) for y in work["years"]}, work["id"]
        assert sum(got["budgets"].values(), D("0")) == D(work["required"]), work["id"]
        lines = [line for line in work["funding_lines"] if not line.get("part_of_offer")]
        committed = sum((D(line["amount"]) for line in lines if line["stage"] in ("committed", "paid")), D("0"))
        paid = sum((D(line.get("paid") or "0") for line in lines), D("0"))
        planned = sum((D(line["amount"]) - D(line.get("paid") or "0") for line in lines
                       if line["stage"] in ("pledged", "committed")), D("0"))
        assert (got["committed"], got["paid"], got["planned"]) == (committed, paid, planned), work["id"]
        places = got["countries"] or got["regions"]
        assert places and sum(places, D("0")) == D("100"), work["id"]
        assert got["budget_types"] <= {"1"}  # the sample has no earlier edition: every budget is an original


def test_a_budget_changed_since_the_last_edition_is_revised_never_beside_an_original(
        sample_document: dict[str, Any]) -> None:
    document = copy.deepcopy(sample_document)
    changed = document["activities"][0]
    document["changes"] = {"items": {"activities": [
        {"id": changed["id"], "change": "changed", "figures": {"required": {"change": "120.00"}}}]}}
    read = _read_back(activities_xml(document))
    assert read[changed["id"]]["budget_types"] == {"2"}
    assert all(r["budget_types"] <= {"1"} for key, r in read.items() if key != changed["id"])


def test_partner_text_stays_text(sample_document: dict[str, Any]) -> None:
    document = copy.deepcopy(sample_document)
    document["activities"] = [{**document["activities"][0], "title": "<b>Nets</b> & \"floats\"\x07 =HYPERLINK(\"x\")",
                               "description": ""}]
    data = activities_xml(document)
    assert schema_errors(data) == []
    title = ET.fromstring(data).find("iati-activity/title/narrative")
    assert title is not None and title.text == "<b>Nets</b> & \"floats\" =HYPERLINK(\"x\")"
    assert b"<b>" not in data  # escaped, never markup
    description = ET.fromstring(data).find("iati-activity/description/narrative")
    assert description is not None and description.text == title.text  # an empty description reads as the title


def test_percentages_add_up_to_exactly_a_hundred() -> None:
    for count in range(1, 40):
        assert sum(D(s) for s in shares(count)) == D("100")
        assert all(D(s) > 0 for s in shares(count))
    assert shares(3) == ["33.33", "33.33", "33.34"]
