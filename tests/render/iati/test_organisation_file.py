"""iati/organisation.xml: the publisher named in every language, and its budget per year equal to the
programme's requirement per year in catalogue.json, valid against the official 2.03 organisation schema."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any
from xml.etree import ElementTree as ET

from catalogue.render.iati.organisation_file import organisation_xml
from tests.render.iati.iati_standard import XML_LANG, codelist_errors, organisations_schema


def test_the_official_schema_has_one_known_fault_and_we_accept_only_that_one() -> None:
    schema: Any = organisations_schema()
    assert len(schema.all_errors) == 1
    assert "Unique Particle Attribution" in str(schema.all_errors[0])


def test_the_organisation_file_is_valid_and_its_budgets_are_the_programmes(sample_document: dict[str, Any]) -> None:
    data = organisation_xml(sample_document)
    schema: Any = organisations_schema()
    assert [str(e) for e in schema.iter_errors(data.decode("utf-8"))] == []
    assert codelist_errors(data) == []
    organisation = ET.fromstring(data).find("iati-organisation")
    assert organisation is not None
    assert organisation.findtext("organisation-identifier") == sample_document["iati_organisation_identifier"]
    names = {n.get(XML_LANG, "en"): n.text for n in organisation.findall("name/narrative")}
    assert names == sample_document["organisation"]
    budgets = {b.find("period-start").get("iso-date")[:4]: D(b.findtext("value") or "")  # type: ignore[union-attr]
               for b in organisation.findall("total-budget")}
    assert budgets == {g["key"]: D(g["required"]) for g in sample_document["groupings"]["year"]}


def test_a_broken_organisation_file_is_caught(sample_document: dict[str, Any]) -> None:
    data = organisation_xml(sample_document).decode("utf-8").replace("organisation-identifier", "organisation-id")
    schema: Any = organisations_schema()
    assert list(schema.iter_errors(data))
