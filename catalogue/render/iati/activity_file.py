"""iati/activities.xml: every partner activity and Secretariat task of catalogue.json as an IATI 2.03 activity.

Each activity says who funds it (the donors of the register), who implements it (the partner, or the
Secretariat for its own tasks) and who is accountable (the Secretariat); where (countries with percentages
adding to 100, or the lead priority's regions); what it needs per year (one budget per calendar year inside
its dates, never more than twelve months); what donors plan to disburse (pledged and committed money not yet
paid, with its dates) and what they committed and paid (transactions). A budget changed since the previous
edition is a revised one, never an original beside a revised: the two are never summed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from catalogue.render.iati import iati_codes as codes
from catalogue.render.iati.iati_xml import XML_LANG, document_bytes, narratives, sub, value

IATI_VERSION = "2.03"


def activities_xml(document: Mapping[str, Any]) -> bytes:
    """catalogue.json's activities and tasks as an `iati-activities` document (UTF-8 bytes, deterministic)."""
    root = ET.Element("iati-activities", {"version": IATI_VERSION,
                                          "generated-datetime": document["provenance"]["build_time"]})
    context = _Context(document)
    for activity in document["activities"]:
        root.append(_activity(activity, context, task=False))
    for task in document["secretariat_tasks"]:
        root.append(_activity(task, context, task=True))
    return document_bytes(root)


class _Context:
    """What every activity of one document shares: the publisher, the date money is valued at, the donors."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.publisher = str(document["iati_organisation_identifier"])
        self.organisation: dict[str, str] = dict(document.get("organisation") or {"en": "CMS Secretariat"})
        self.language = str(document.get("locale", "en"))[:2]
        self.currency = str(document["reporting_currency"])
        self.as_at = str(document["as_at"])
        self.build_time = str(document["provenance"]["build_time"])
        self.partners = {p["id"]: p for p in document["partners"]}
        self.priorities = {p["id"]: p for p in document["priorities"]}
        self.donors = {d["id"]: d for d in document["contributions"]["donors"] if d.get("id")}
        self.revised = _revised_ids(document.get("changes") or {})

    def publisher_org(self, parent: ET.Element, tag: str, role: str | None = None) -> ET.Element:
        """The Secretariat as `tag` (reporting-org, or participating-org in `role`), named in every language."""
        attributes = {"ref": self.publisher, "type": codes.REPORTING_ORG_TYPE}
        if role is not None:
            attributes["role"] = role
        element = sub(parent, tag, attributes)
        narratives(element, self.organisation, self.language)
        return element


def _revised_ids(changes: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(kind, id) of the work whose requirement changed since the previous edition: its budgets are revised."""
    revised = set()
    for kind, key in (("activity", "activities"), ("task", "secretariat_tasks")):
        for item in (changes.get("items") or {}).get(key, []):
            required = (item.get("figures") or {}).get("required") or {}
            if item.get("change") == "changed" and Decimal(str(required.get("change", "0"))) != 0:
                revised.add((kind, item["id"]))
    return revised


def _activity(work: Mapping[str, Any], context: _Context, *, task: bool) -> ET.Element:
    element = ET.Element("iati-activity", {"last-updated-datetime": context.build_time, XML_LANG: context.language,
                                           "default-currency": context.currency})
    sub(element, "iati-identifier").text = f"{context.publisher}-{work['id']}"
    context.publisher_org(element, "reporting-org")
    narratives(sub(element, "title"), {context.language: work["title"]}, context.language)
    description = sub(element, "description", {"type": codes.DESCRIPTION_GENERAL})
    narratives(description, {context.language: work.get("description") or work["title"]}, context.language)
    _participants(element, work, context, task)
    sub(element, "activity-status", {"code": _status(work, context, task)})
    _dates(element, work, context, task)
    _places(element, work, context)
    sub(element, "sector", {"vocabulary": codes.SECTOR_VOCABULARY_DAC, "code": codes.SECTOR_BIODIVERSITY,
                            "percentage": "100"})
    sub(element, "policy-marker", {"vocabulary": codes.POLICY_MARKER_VOCABULARY_DAC,
                                   "code": codes.POLICY_MARKER_BIODIVERSITY,
                                   "significance": codes.SIGNIFICANCE_PRINCIPAL})
    budget_type = codes.BUDGET_REVISED if (("task" if task else "activity"), work["id"]) in context.revised \
        else codes.BUDGET_ORIGINAL
    for year in work["years"]:
        _budget(element, work, year, budget_type, context)
    lines = [line for line in work["funding_lines"] if not line.get("part_of_offer")]
    implementer = _implementer_name(work, context, task)
    for line in lines:
        _planned_disbursement(element, line, work, implementer, context)
    for line in lines:
        _transactions(element, line, implementer, context)
    return element


def _donor_name(line: Mapping[str, Any], context: _Context) -> str:
    donor = context.donors.get(line.get("donor_id") or "")
    return str(donor["name"]) if donor else str(line["source"])


def _implementer_name(work: Mapping[str, Any], context: _Context, task: bool) -> str:
    if task:
        return context.organisation.get(context.language) or next(iter(context.organisation.values()))
    partner = context.partners.get(work["partner_id"]) or {}
    return str(partner.get("name") or work["partner_id"])


def _participants(element: ET.Element, work: Mapping[str, Any], context: _Context, task: bool) -> None:
    funders: dict[str, Mapping[str, Any]] = {}
    for line in work["funding_lines"]:
        if line.get("stage") in ("pledged", "committed", "paid") and not line.get("part_of_offer"):
            funders.setdefault(_donor_name(line, context), line)
    for name, line in sorted(funders.items()):
        kind = (context.donors.get(line.get("donor_id") or "") or {}).get("kind")
        attributes = {"role": codes.ROLE_FUNDING}
        if kind in codes.ORGANISATION_TYPE:
            attributes["type"] = codes.ORGANISATION_TYPE[kind]
        narratives(sub(element, "participating-org", attributes), {context.language: name}, context.language)
    context.publisher_org(element, "participating-org", codes.ROLE_ACCOUNTABLE)
    if task:
        context.publisher_org(element, "participating-org", codes.ROLE_IMPLEMENTING)
    else:
        implementer = sub(element, "participating-org",
                          {"role": codes.ROLE_IMPLEMENTING, "type": codes.PARTNER_ORG_TYPE})
        narratives(implementer, {context.language: _implementer_name(work, context, task)}, context.language)


def _status(work: Mapping[str, Any], context: _Context, task: bool) -> str:
    if not task:
        status = codes.ACTIVITY_STATUS.get(str(work.get("implementation_status")), codes.STATUS_IMPLEMENTATION)
        if status == codes.STATUS_IMPLEMENTATION and work["timing"] == "past":
            return codes.STATUS_COMPLETION  # ended by the 'as at' date
        return status
    if work["timing"] == "past":
        return codes.STATUS_COMPLETION
    return codes.STATUS_PIPELINE if work["start"] > context.as_at else codes.STATUS_IMPLEMENTATION


def _dates(element: ET.Element, work: Mapping[str, Any], context: _Context, task: bool) -> None:
    sub(element, "activity-date", {"type": codes.DATE_PLANNED_START, "iso-date": work["start"]})
    status = _status(work, context, task)
    if status != codes.STATUS_PIPELINE and work["start"] <= context.as_at:
        sub(element, "activity-date", {"type": codes.DATE_ACTUAL_START, "iso-date": work["start"]})
    sub(element, "activity-date", {"type": codes.DATE_PLANNED_END, "iso-date": work["end"]})
    if status == codes.STATUS_COMPLETION and work["end"] <= context.as_at:
        sub(element, "activity-date", {"type": codes.DATE_ACTUAL_END, "iso-date": work["end"]})


def shares(count: int) -> list[str]:
    """`count` percentages with two decimals that add up to exactly 100 (the last takes what rounding left)."""
    if count <= 0:
        return []
    each = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [str(each)] * (count - 1) + [str(Decimal(100) - each * (count - 1))]


def _places(element: ET.Element, work: Mapping[str, Any], context: _Context) -> None:
    countries = [c for c in work.get("countries") or [] if len(c) == 2 and c.isalpha()]
    if countries:
        for country, share in zip(countries, shares(len(countries)), strict=True):
            sub(element, "recipient-country", {"code": country.upper(), "percentage": share})
        return
    priority = context.priorities.get(work["lead_priority_id"]) or {}
    regions = sorted({codes.REGION[r] for r in priority.get("regions") or [] if r in codes.REGION}) or ["998"]
    for region, share in zip(regions, shares(len(regions)), strict=True):
        sub(element, "recipient-region",
            {"code": region, "vocabulary": codes.REGION_VOCABULARY_DAC, "percentage": share})


def _budget(element: ET.Element, work: Mapping[str, Any], year: Mapping[str, Any], budget_type: str,
            context: _Context) -> None:
    start = max(work["start"], f"{year['year']}-01-01")
    end = min(work["end"], f"{year['year']}-12-31")
    budget = sub(element, "budget", {"type": budget_type, "status": codes.BUDGET_INDICATIVE})
    sub(budget, "period-start", {"iso-date": start})
    sub(budget, "period-end", {"iso-date": end})
    value(budget, year["required"], context.as_at)


def _planned_disbursement(element: ET.Element, line: Mapping[str, Any], work: Mapping[str, Any], implementer: str,
                          context: _Context) -> None:
    if line.get("stage") not in ("pledged", "committed"):
        return
    remaining = Decimal(str(line["amount"])) - Decimal(str(line.get("paid") or "0"))
    if remaining <= 0:
        return
    start = line.get("expected_by") or (f"{line['year']}-01-01" if line.get("year") else None) or max(
        work["start"], context.as_at)
    planned = sub(element, "planned-disbursement", {"type": codes.BUDGET_ORIGINAL})
    sub(planned, "period-start", {"iso-date": start})
    value(planned, remaining, context.as_at)
    narratives(sub(planned, "provider-org"), {context.language: _donor_name(line, context)}, context.language)
    narratives(sub(planned, "receiver-org"), {context.language: implementer}, context.language)


def _transactions(element: ET.Element, line: Mapping[str, Any], implementer: str, context: _Context) -> None:
    if line.get("stage") in ("committed", "paid"):
        _transaction(element, codes.TRANSACTION_INCOMING_COMMITMENT, line.get("signed_on") or context.as_at,
                     line["amount"], line, implementer, context)
    paid = Decimal(str(line.get("paid") or "0"))
    if paid > 0:
        _transaction(element, codes.TRANSACTION_INCOMING_FUNDS, line.get("paid_on") or context.as_at, paid, line,
                     implementer, context)


def _transaction(element: ET.Element, kind: str, when: str, amount: Any, line: Mapping[str, Any], implementer: str,
                 context: _Context) -> None:
    transaction = sub(element, "transaction")
    sub(transaction, "transaction-type", {"code": kind})
    sub(transaction, "transaction-date", {"iso-date": when})
    value(transaction, amount, when)
    narratives(sub(transaction, "provider-org"), {context.language: _donor_name(line, context)}, context.language)
    narratives(sub(transaction, "receiver-org"), {context.language: implementer}, context.language)

