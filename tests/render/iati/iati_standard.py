"""The official IATI 2.03 schemas and codelists (shipped in pyIATI, installed without its old dependencies by
.ci/install from requirements-iati.lock), and the checks every IATI file of ours must pass."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from xml.etree import ElementTree as ET

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def standard() -> Path:
    spec = importlib.util.find_spec("iati")  # located, never imported: pyIATI's own code pins 2018 libraries
    assert spec is not None and spec.submodule_search_locations, "pyIATI is not installed: run .ci/install"
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "standard" / "2-03"


@cache
def activities_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(standard() / "schemas" / "iati-activities-schema.xsd")))


@cache
def organisations_schema() -> object:
    """The organisations schema, built by xmlschema: libxml2 refuses it outright (its documentLinkWithReceipientCountry
    repeats an xsd:any, a Unique Particle Attribution fault of the official file), so it is built in lax mode and
    that one fault, and only it, is accepted (test_organisation_file checks which faults there are)."""
    import xmlschema

    return xmlschema.XMLSchema(str(standard() / "schemas" / "iati-organisations-schema.xsd"), validation="lax")


def schema_errors(data: bytes) -> list[str]:
    schema = activities_schema()
    if schema.validate(etree.fromstring(data)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@cache
def codelist(name: str) -> frozenset[str]:
    tree = ET.parse(standard() / "codelists" / f"{name}.xml")
    return frozenset(code.text or "" for code in tree.iter("code"))


# (element, attribute) -> the codelist its value must come from.
CODED = {
    ("iati-activity", "default-currency"): "Currency",
    ("iati-activity", XML_LANG): "Language",
    ("reporting-org", "type"): "OrganisationType",
    ("participating-org", "role"): "OrganisationRole",
    ("participating-org", "type"): "OrganisationType",
    ("description", "type"): "DescriptionType",
    ("activity-status", "code"): "ActivityStatus",
    ("activity-date", "type"): "ActivityDateType",
    ("recipient-country", "code"): "Country",
    ("recipient-region", "code"): "Region",
    ("recipient-region", "vocabulary"): "RegionVocabulary",
    ("sector", "vocabulary"): "SectorVocabulary",
    ("sector", "code"): "Sector",
    ("policy-marker", "vocabulary"): "PolicyMarkerVocabulary",
    ("policy-marker", "code"): "PolicyMarker",
    ("policy-marker", "significance"): "PolicySignificance",
    ("budget", "type"): "BudgetType",
    ("budget", "status"): "BudgetStatus",
    ("planned-disbursement", "type"): "BudgetType",
    ("transaction-type", "code"): "TransactionType",
    ("narrative", XML_LANG): "Language",
    ("iati-organisation", "default-currency"): "Currency",
    ("total-budget", "status"): "BudgetStatus",
}


def codelist_errors(data: bytes) -> list[str]:
    """Every coded value of the document that its codelist does not have."""
    wrong = []
    for element in ET.fromstring(data).iter():
        for attribute, found in element.attrib.items():
            name = CODED.get((element.tag, attribute))
            if name is not None and found not in codelist(name):
                wrong.append(f"{element.tag}/@{attribute}={found!r} is not in codelist {name}")
    return wrong
