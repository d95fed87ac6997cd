"""datapackage/: catalogue.json as CSV tables described by a Frictionless Data Package (datapackage.json).

One table per thing a reader counts (priorities, partners, activities, Secretariat tasks, money by year, funding
lines, budget lines, groupings, donors, flows, changes), each with its Table Schema: field types, the currency of
money, keys between tables. The figures are catalogue.json's own decimal strings, so every CSV reconciles with the PDF,
the workbook and the JSON to the cent. Partner text is data, not a formula: a text cell that a spreadsheet
would run (starting with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe.
Written from catalogue.json, the contract.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FIGURES = ("required", "secured", "pledged", "requested", "surplus", "gap", "gap_if_pledged")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """One CSV of the package: its name, what it holds, its fields (name, Table Schema type) and its rows."""

    name: str
    title: str
    fields: tuple[tuple[str, str], ...]
    rows: Callable[[Mapping[str, Any]], Iterator[Row]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()


def _figure_fields() -> tuple[tuple[str, str], ...]:
    return (*((name, "number") for name in FIGURES), ("coverage", "number"), ("status", "string"))


def _figures(item: Mapping[str, Any]) -> Row:
    return {**{name: item[name] for name in FIGURES}, "coverage": item.get("coverage"), "status": item["status"]}


def _listed(values: Sequence[Any] | None) -> str:
    return "; ".join(str(v) for v in values or [])


def _work(document: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield from (("activity", a) for a in document["activities"])
    yield from (("task", t) for t in document["secretariat_tasks"])


def _priorities(document: Mapping[str, Any]) -> Iterator[Row]:
    for p in document["priorities"]:
        yield {"id": p["id"], "kind": p["kind"], "title": p["title"], "cop": p["cop"], "rank": p["rank"],
               "taxa": _listed(p["taxa"]), "regions": _listed(p["regions"]), **_figures(p)}


def _partners(document: Mapping[str, Any]) -> Iterator[Row]:
    for p in document["partners"]:  # no contact: a partner's contact person is not published
        yield {"id": p["id"], "name": p["name"], "short_name": p.get("short_name"), "taxa": _listed(p.get("taxa")),
               "regions": _listed(p.get("regions")), "countries": _listed(p.get("countries")), **_figures(p),
               "cofunding_total": p.get("cofunding_total"), "raised": p.get("raised")}


def _donors(document: Mapping[str, Any]) -> Iterator[Row]:
    for donor in document["contributions"]["donors"]:
        yield {name: donor.get(name) for name, _ in DONOR_FIELDS}


def _activities(document: Mapping[str, Any]) -> Iterator[Row]:
    for a in document["activities"]:
        yield {"id": a["id"], "partner_id": a["partner_id"], "partner_name": a["partner_name"],
               "lead_priority_id": a["lead_priority_id"], "priority_ids": _listed(a["priority_ids"]),
               "title": a["title"], "countries": _listed(a.get("countries")), "start": a["start"], "end": a["end"],
               "implementation_status": a["implementation_status"], "timing": a["timing"], **_figures(a)}


def _tasks(document: Mapping[str, Any]) -> Iterator[Row]:
    for t in document["secretariat_tasks"]:
        yield {"id": t["id"], "unit": t["unit"], "lead_priority_id": t["lead_priority_id"],
               "priority_ids": _listed(t["priority_ids"]), "title": t["title"], "start": t["start"], "end": t["end"],
               "timing": t["timing"], **_figures(t)}


def _years(document: Mapping[str, Any]) -> Iterator[Row]:
    for kind, work in _work(document):
        for year in work["years"]:
            yield {"item_kind": kind, "item_id": work["id"], "year": year["year"], **_figures(year)}


def _funding_lines(document: Mapping[str, Any]) -> Iterator[Row]:
    for kind, work in _work(document):
        for line in work["funding_lines"]:
            yield {"item_kind": kind, "item_id": work["id"], **{name: line.get(name) for name, _ in FUNDING_FIELDS[2:]}}


def _budget_lines(document: Mapping[str, Any]) -> Iterator[Row]:
    for kind, work in _work(document):
        for line in work["budget_lines"]:
            yield {"item_kind": kind, "item_id": work["id"], **{name: line.get(name) for name, _ in BUDGET_FIELDS[2:]}}


def _groupings(document: Mapping[str, Any]) -> Iterator[Row]:
    for grouping, groups in document["groupings"].items():
        for group in groups:
            yield {"grouping": grouping, "key": group["key"], "members": group["members"], **_figures(group)}


def _flows(document: Mapping[str, Any]) -> Iterator[Row]:
    for flow in document["contributions"]["flows"]:
        yield {name: flow.get(name) for name, _ in FLOW_FIELDS}


def _changes(document: Mapping[str, Any]) -> Iterator[Row]:
    for key, items in ((document.get("changes") or {}).get("items") or {}).items():
        for item in items:
            for measure, figure in (item.get("figures") or {}).items():
                yield {"list": key, "id": item["id"], "change": item["change"], "measure": measure,
                       "then": figure.get("then"), "now": figure.get("now"), "change_amount": figure.get("change"),
                       "rate_effect": figure.get("rate_effect"), "money_effect": figure.get("money_effect")}


ITEM_KEY = (("item_kind", "string"), ("item_id", "string"))
FUNDING_FIELDS = (*ITEM_KEY, ("line", "integer"), ("source", "string"), ("source_type", "string"),
                  ("donor_id", "string"), ("stage", "string"), ("status", "string"), ("currency", "string"),
                  ("original_amount", "number"), ("rate", "number"), ("amount", "number"), ("paid", "number"),
                  ("year", "integer"), ("pledged_on", "date"), ("signed_on", "date"), ("expected_by", "date"),
                  ("paid_on", "date"), ("instrument", "string"), ("earmarking", "string"), ("grant_ref", "string"),
                  ("part_of_offer", "boolean"))
BUDGET_FIELDS = (*ITEM_KEY, ("line", "integer"), ("kind", "string"), ("description", "string"),
                 ("currency", "string"), ("original_amount", "number"), ("formula", "string"), ("rate", "number"),
                 ("amount", "number"), ("in_kind", "string"), ("in_kind_source", "string"), ("year", "integer"),
                 ("donor_id", "string"))
DONOR_FIELDS = (("id", "string"), ("name", "string"), ("kind", "string"), ("parent", "string"),
                ("committed", "number"), ("paid", "number"), ("pledged", "number"), ("requested", "number"),
                ("family_committed", "number"))
FLOW_FIELDS = (("donor_id", "string"), ("donor_name", "string"), ("implementer", "string"),
               ("implementer_name", "string"), ("priority_id", "string"), ("committed", "number"),
               ("paid", "number"), ("pledged", "number"))

TABLES = (
    Table("priorities", "CoP priorities and their open work's money", (
        ("id", "string"), ("kind", "string"), ("title", "string"), ("cop", "integer"), ("rank", "string"),
        ("taxa", "string"), ("regions", "string"), *_figure_fields()), _priorities, ("id",)),
    Table("partners", "Partner NGOs and the money of their work", (
        ("id", "string"), ("name", "string"), ("short_name", "string"), ("taxa", "string"), ("regions", "string"),
        ("countries", "string"), *_figure_fields(), ("cofunding_total", "number"), ("raised", "number")), _partners,
        ("id",)),
    Table("activities", "Partner activities", (
        ("id", "string"), ("partner_id", "string"), ("partner_name", "string"), ("lead_priority_id", "string"),
        ("priority_ids", "string"), ("title", "string"), ("countries", "string"), ("start", "date"), ("end", "date"),
        ("implementation_status", "string"), ("timing", "string"), *_figure_fields()), _activities, ("id",),
        ((("lead_priority_id",), "priorities", ("id",)), (("partner_id",), "partners", ("id",)))),
    Table("secretariat_tasks", "Secretariat tasks", (
        ("id", "string"), ("unit", "string"), ("lead_priority_id", "string"), ("priority_ids", "string"),
        ("title", "string"), ("start", "date"), ("end", "date"), ("timing", "string"), *_figure_fields()), _tasks,
        ("id",), ((("lead_priority_id",), "priorities", ("id",)),)),
    Table("years", "Each activity's and task's money by calendar year", (
        *ITEM_KEY, ("year", "integer"), *_figure_fields()), _years, ("item_kind", "item_id", "year")),
    Table("funding_lines", "Funding lines: who gives, at which stage, when", FUNDING_FIELDS, _funding_lines,
          ("item_kind", "item_id", "line")),
    Table("budget_lines", "Budget lines: what the work costs", BUDGET_FIELDS, _budget_lines,
          ("item_kind", "item_id", "line")),
    Table("groupings", "The programme grouped by target, taxon, region, instrument, rank and year", (
        ("grouping", "string"), ("key", "string"), ("members", "integer"), *_figure_fields()), _groupings,
        ("grouping", "key")),
    Table("donors", "Donors of the register: what each committed, paid and pledged", DONOR_FIELDS, _donors),
    Table("flows", "Flows: donor -> implementer -> priority", FLOW_FIELDS, _flows),
    Table("changes", "What changed since the previous edition, figure by figure", (
        ("list", "string"), ("id", "string"), ("change", "string"), ("measure", "string"), ("then", "number"),
        ("now", "number"), ("change_amount", "number"), ("rate_effect", "number"), ("money_effect", "number")),
        _changes),
)

DATA_TABLES = tuple(table.name for table in TABLES)  # what the donor site links, one CSV per table it shows


def as_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first) with a leading
    apostrophe, so every spreadsheet shows it as text; any other text as it is."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    return as_text(str(value)) if kind == "string" else str(value)  # the schema's description says so


def table_csv(table: Table, document: Mapping[str, Any]) -> bytes:
    """One table as UTF-8 CSV with a header row; equal documents give equal bytes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in table.fields])
    for row in table.rows(document):
        writer.writerow([_cell(row.get(name), kind) for name, kind in table.fields])
    return out.getvalue().encode("utf-8")


def _schema(table: Table, currency: str) -> dict[str, Any]:
    fields = []
    for name, kind in table.fields:
        field: dict[str, Any] = {"name": name, "type": kind}
        if kind == "number" and name not in ("rate", "coverage", "original_amount"):
            field["description"] = f"Money in {currency}, exact to the cent"
        if kind == "string":
            field["description"] = "Text as given; a leading apostrophe marks text that began with = + - or @"
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(own), "reference": {"resource": resource, "fields": list(theirs)}}
                                 for own, resource, theirs in table.foreign_keys]
    return schema


def data_package(document: Mapping[str, Any]) -> dict[str, bytes]:
    """Every file of datapackage/ by name: the CSV tables and datapackage.json describing them."""
    files = {f"{table.name}.csv": table_csv(table, document) for table in TABLES}
    currency = str(document["reporting_currency"])
    descriptor = {
        "profile": "tabular-data-package",
        "name": "cms-programme-catalogue",
        "title": str(document["title"]),
        "version": str(document.get("edition") or ""),
        "created": str(document["provenance"]["build_time"]),
        "description": (f"The CMS programme catalogue as at {document['as_at']}, in {currency}: what every piece "
                        "of work needs, what is funded, and the gap. The same figures as catalogue.json, "
                        "catalogue.xlsx and catalogue.pdf."),
        "resources": [{"name": table.name, "title": table.title, "path": f"{table.name}.csv",
                       "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "schema": _schema(table, currency)} for table in TABLES],
    }
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
