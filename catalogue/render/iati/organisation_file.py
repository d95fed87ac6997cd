"""iati/organisation.xml: the publisher as an IATI 2.03 organisation, with the programme's budget per year.

One total-budget per calendar year of the programme (the sum of every activity's and task's requirement in
that year, as catalogue.json's year groupings give it), never longer than twelve months.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from catalogue.render.iati import iati_codes as codes
from catalogue.render.iati.activity_file import IATI_VERSION
from catalogue.render.iati.iati_xml import XML_LANG, document_bytes, narratives, sub, value


def organisation_xml(document: Mapping[str, Any]) -> bytes:
    """catalogue.json's publisher and its total budget per year as an `iati-organisations` document."""
    build_time = document["provenance"]["build_time"]
    language = str(document.get("locale", "en"))[:2]
    publisher = str(document["iati_organisation_identifier"])
    names: dict[str, str] = dict(document.get("organisation") or {"en": "CMS Secretariat"})
    root = ET.Element("iati-organisations", {"version": IATI_VERSION, "generated-datetime": build_time})
    organisation = sub(root, "iati-organisation", {"last-updated-datetime": build_time, XML_LANG: language,
                                                   "default-currency": document["reporting_currency"]})
    sub(organisation, "organisation-identifier").text = publisher
    narratives(sub(organisation, "name"), names, language)
    reporting = sub(organisation, "reporting-org", {"ref": publisher, "type": codes.REPORTING_ORG_TYPE})
    narratives(reporting, names, language)
    period_start, period_end = str(document["period_start"]), str(document["period_end"])
    for year in document["groupings"]["year"]:
        start = max(period_start, f"{year['key']}-01-01")
        end = min(period_end, f"{year['key']}-12-31")
        budget = sub(organisation, "total-budget", {"status": codes.BUDGET_INDICATIVE})
        sub(budget, "period-start", {"iso-date": start})
        sub(budget, "period-end", {"iso-date": end})
        value(budget, year["required"], str(document["as_at"]))
    return document_bytes(root)
