"""The workbook a partner fills in: generated from the workplan schema, read back by the normal loader.

Sheets Activities, Budget and Funding carry exactly the header rows load.py
expects (field names; child sheets keyed by `activity_id`), with each
field's title and hint as a comment on its header, dropdowns where the
schema or the inputs give a closed list, and whole-number and date checks
where the schema says so. A partner who already has a workplan finds their
rows filled in. Partner text is written with write_string: it is data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalogue.inputs.coerce import to_iso_date
from catalogue.inputs.files import CHILD_SHEETS, MAIN_SHEETS, PARENT_KEYS, is_partner_file
from catalogue.inputs.load import LoadedInputs
from catalogue.inputs.records import Record
from catalogue.inputs.schemas import FieldSpec, TableSpec, kind_spec
from catalogue.render.xlsx.workbook import safe_workbook

KIND = "workplan_activity"
BLANK_ROWS = {"Activities": 200, "Budget": 800, "Funding": 600}  # rows below the data that get dropdowns and checks
PRIORITIES_SHEET = "Priorities"
DONORS_SHEET = "Donor list"  # a reference sheet, never read back (inputs/files.AUXILIARY_SHEETS)
HELP_SHEET = "How to fill in"
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _list_items(values: Any) -> str:
    return "; ".join(str(v) for v in values) if isinstance(values, (list, tuple)) else str(values)


def _comment(spec: FieldSpec) -> str:
    lines = [spec.title + (" (required)" if spec.required else " (optional)")]
    if spec.hint:
        lines.append(spec.hint)
    if spec.enum:
        lines.append("One of: " + ", ".join(spec.enum))
    if spec.is_list:
        lines.append("Several values: separate them with '; '.")
    return "\n".join(lines)


class _Template:
    def __init__(self, path: Path, partner_id: str, priorities: list[tuple[str, str]], currencies: list[str],
                 period: tuple[str, str] | None, donors: list[tuple[str, str]] | None = None):
        self.book = safe_workbook(path)
        self.partner_id = partner_id
        self.priorities = priorities
        self.donors = donors or []
        self.currencies = currencies
        self.period = period
        add = self.book.add_format
        self.fmt = {
            "required": add({"bold": True, "bg_color": "#FCE4D6", "border": 1}),
            "optional": add({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
            "text": add({"num_format": "@"}),  # ids such as 1-2 stay text instead of becoming dates
            "date": add({"num_format": "yyyy-mm-dd"}),
            "decimal": add({"num_format": "#,##0.00"}),
            "integer": add({"num_format": "0"}),
            "title": add({"bold": True, "font_size": 14}),
            "wrap": add({"text_wrap": True, "valign": "top"}),
        }

    def help_sheet(self) -> None:
        ws = self.book.add_worksheet(HELP_SHEET)
        ws.set_column(0, 0, 110)
        lines = [
            f"Workplan of {self.partner_id}: how to fill in this workbook",
            "",
            "1. Activities: one row per activity. Give each an id made of your short name and a number (e.g. WWF-001).",
            "2. Budget: one row per cost line. Type the activity's id in 'activity_id' and number its lines 1, 2, 3...",
            "   For staff time or meetings given in kind, fill staff / meetings / days / day_rate and leave amount empty.",
            "3. Funding: one row per source of money, keyed by 'activity_id': the donor's id from the Donor list sheet in",
            "   'donor', its stage (requested, pledged, committed when signed, paid when received) and the dates you know.",
            "4. priority_ids: pick from the list or type several ids separated by '; ', the lead priority first.",
            "   The Priorities sheet lists every id with its title.",
            "5. Columns with an orange header are required; blue ones are optional. Hover over a header for help.",
            "6. Amounts are plain numbers (no currency signs); every amount has its currency beside it.",
            "7. Dates are real dates (type 2025-03-15). Do not rename the sheets or the header row.",
            "",
            "Send the workbook back as .xlsx. The catalogue build reads it as it is and names any cell it cannot use.",
        ]
        if self.period:
            lines.insert(-2, f"8. The catalogue covers {self.period[0]} to {self.period[1]}.")
        for row, line in enumerate(lines):
            ws.write_string(row, 0, line, self.fmt["title"] if row == 0 else self.fmt["wrap"])

    def priorities_sheet(self) -> None:
        ws = self.book.add_worksheet(PRIORITIES_SHEET)
        ws.write_string(0, 0, "id", self.fmt["required"])
        ws.write_string(0, 1, "title", self.fmt["required"])
        for row, (pid, title) in enumerate(self.priorities, start=1):
            ws.write_string(row, 0, pid)
            ws.write_string(row, 1, title)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 90)
        ws.freeze_panes(1, 0)
        ws.protect("", {"autofilter": True, "sort": False})  # reference only: read, filter, never edit

    def donors_sheet(self) -> None:
        """The donor register's ids and names, for the donor columns' dropdown (reference only)."""
        if not self.donors:
            return
        ws = self.book.add_worksheet(DONORS_SHEET)
        ws.write_string(0, 0, "id", self.fmt["required"])
        ws.write_string(0, 1, "name", self.fmt["required"])
        for row, (donor_id, name) in enumerate(self.donors, start=1):
            ws.write_string(row, 0, donor_id)
            ws.write_string(row, 1, name)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 80)
        ws.freeze_panes(1, 0)
        ws.protect("", {"autofilter": True, "sort": False})

    def data_sheet(self, name: str, table: TableSpec, key: str | None, rows: list[dict[str, Any]],
                   activity_rows: int) -> None:
        ws = self.book.add_worksheet(name)
        columns: list[tuple[str, FieldSpec | None]] = ([(key, None)] if key else []) + list(table.fields.items())
        last = max(len(rows), 1) + BLANK_ROWS[name]
        for col, (column, spec) in enumerate(columns):
            required = spec.required if spec else True
            ws.write_string(0, col, column, self.fmt["required" if required else "optional"])
            comment = _comment(spec) if spec else "The id of the activity this line belongs to (from the Activities sheet)."
            ws.write_comment(0, col, comment, {"x_scale": 2, "y_scale": 1.6})
            kind = spec.type if spec else "string"
            ws.set_column(col, col, 14 if kind != "string" or not spec or spec.enum else 28,
                          self.fmt.get({"date": "date", "decimal": "decimal", "integer": "integer"}.get(kind, "text")))
            self._validate(ws, col, column, spec, last, activity_rows)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, last, len(columns) - 1)
        for row, data in enumerate(rows, start=1):
            for col, (column, spec) in enumerate(columns):
                self._write(ws, row, col, data.get(column), spec)

    def _validate(self, ws: Any, col: int, column: str, spec: FieldSpec | None, last: int, activity_rows: int) -> None:
        rule: dict[str, Any] | None = None
        if spec is None:  # the activity_id key of a child sheet
            rule = {"validate": "list", "source": f"=Activities!$A$2:$A${activity_rows + 1}", "error_type": "warning",
                    "error_message": "This id is not on the Activities sheet (yet)."}
        elif column == "priority_ids":
            rule = {"validate": "list", "source": f"={PRIORITIES_SHEET}!$A$2:$A${len(self.priorities) + 1}",
                    "error_type": "information",
                    "error_message": "Not a single id from the list. Several ids separated by '; ' are fine: click OK."}
        elif column in ("donor", "in_kind_donor") and self.donors:
            rule = {"validate": "list", "source": f"='{DONORS_SHEET}'!$A$2:$A${len(self.donors) + 1}",
                    "error_type": "warning",
                    "error_message": "This id is not in the donor list: ask the Secretariat to register the donor."}
        elif column == "partner_id":
            rule = {"validate": "list", "source": [self.partner_id]}
        elif column.endswith("currency") and self.currencies:
            rule = {"validate": "list", "source": self.currencies,
                    "error_message": "Use a currency from the FX rates table: " + ", ".join(self.currencies)[:200]}
        elif spec.enum:
            rule = {"validate": "list", "source": list(spec.enum)}
        elif spec.type == "integer":
            rule = {"validate": "integer", "criteria": ">=", "value": 1,
                    "error_message": "Type a whole number, 1 or more."}
        elif spec.type == "date":
            rule = {"validate": "date", "criteria": "between", "minimum": EARLIEST, "maximum": LATEST,
                    "error_message": "Type a date, e.g. 2025-03-15."}
        elif spec.type == "decimal":
            rule = {"validate": "decimal", "criteria": ">=", "value": 0,
                    "error_message": "Type the figure alone, without words or currency signs."}
        if rule is None:
            return
        if spec is not None:
            rule.setdefault("input_title", spec.title[:32])
            if spec.hint:
                rule.setdefault("input_message", spec.hint[:255])
        ws.data_validation(1, col, last, col, rule)

    def _write(self, ws: Any, row: int, col: int, value: Any, spec: FieldSpec | None) -> None:
        if value is None or value == "" or value == []:
            return
        kind = spec.type if spec else "string"
        if spec is not None and spec.is_list:
            ws.write_string(row, col, _list_items(value), self.fmt["text"])
        elif kind in ("decimal", "integer") and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            ws.write_number(row, col, value, self.fmt[kind])
        elif kind == "date" and isinstance(to_iso_date(value), str) and len(str(to_iso_date(value))) == 10:
            try:
                ws.write_datetime(row, col, date.fromisoformat(str(to_iso_date(value))), self.fmt["date"])
            except ValueError:
                ws.write_string(row, col, str(value), self.fmt["text"])
        else:
            ws.write_string(row, col, str(value), self.fmt["text"])  # kept as typed, so validation can name it

    def close(self) -> None:
        self.book.close()


def _flat(data: dict[str, Any], table: TableSpec) -> dict[str, Any]:
    """A record's values by column name (`match_offer/up_to`), as the loader's columns hold them."""
    out: dict[str, Any] = {}
    for column in table.fields:
        value: Any = data
        for key in column.split("/"):
            value = value.get(key) if isinstance(value, dict) else None
        out[column] = value
    return out


def _partner_rows(records: list[Record], partner_id: str) -> list[Record]:
    """The activities of this partner's own workplan file(s), in file order."""
    return [r for r in records if is_partner_file(r.origin.file, partner_id)]


def _period(loaded: LoadedInputs) -> tuple[str, str] | None:
    """The catalogue period from settings.json, when it names both ends."""
    settings = loaded.settings.data if loaded.settings else {}
    period = settings.get("period")
    if isinstance(period, dict) and {"start", "end"} <= set(period):
        return str(period["start"]), str(period["end"])
    return None


def _ids(records: list[Record], key: str) -> list[str]:
    return sorted({r.data[key] for r in records if isinstance(r.data.get(key), str)})


def _child_rows(activities: list[Record], spec: Any, key: str) -> dict[str, list[dict[str, Any]]]:
    """Each child sheet's rows (budget, funding lines) of the partner's activities, keyed by activity id."""
    rows: dict[str, list[dict[str, Any]]] = {prop: [] for prop in spec.children}
    for record in activities:
        for prop, table in spec.children.items():
            for line in record.data.get(prop) or []:
                if isinstance(line, dict):
                    rows[prop].append({key: record.data.get("id"), **_flat(line, table)})
    return rows


@dataclass(frozen=True)
class TemplateContent:
    """What a partner's template shows: its rows and the lists its dropdowns offer, taken from the records."""

    partner_id: str
    priorities: list[tuple[str, str]]
    currencies: list[str]
    period: tuple[str, str] | None
    donors: list[tuple[str, str]]
    main_rows: list[dict[str, Any]]
    child_rows: dict[str, list[dict[str, Any]]]


def partner_template_of(loaded: LoadedInputs, partner_id: str) -> TemplateContent | None:
    """The template of partner `partner_id` from read inputs (its rows, priorities, currencies, donors), or None
    when the id is not in the partners file."""
    if partner_id not in _ids(loaded.records["partner"], "id"):
        return None
    priorities = sorted({(r.data["id"], str(r.data.get("title", ""))) for r in loaded.records["priority"]
                         if isinstance(r.data.get("id"), str)})
    spec = kind_spec(KIND)
    activities = _partner_rows(loaded.records[KIND], partner_id)
    donors = sorted({(r.data["id"], str(r.data.get("name", ""))) for r in loaded.records.get("donor_register", [])
                     if isinstance(r.data.get("id"), str)})
    return TemplateContent(partner_id, priorities, _ids(loaded.records["fx_rate"], "currency"), _period(loaded),
                           donors, [_flat(r.data, spec.main) for r in activities],
                           _child_rows(activities, spec, PARENT_KEYS[KIND]))


def write_template(content: TemplateContent, path: Path) -> None:
    """Write the workbook a partner fills in: help, Activities, Budget, Funding, and the lists sheets."""
    spec = kind_spec(KIND)
    template = _Template(path, content.partner_id, content.priorities, content.currencies, content.period,
                         content.donors)
    template.help_sheet()
    activity_rows = max(len(content.main_rows), 1) + BLANK_ROWS[MAIN_SHEETS[KIND]]
    template.data_sheet(MAIN_SHEETS[KIND], spec.main, None, content.main_rows, activity_rows)
    for prop, table in spec.children.items():
        template.data_sheet(CHILD_SHEETS[prop], table, PARENT_KEYS[KIND], content.child_rows[prop], activity_rows)
    template.priorities_sheet()
    template.donors_sheet()
    template.close()
