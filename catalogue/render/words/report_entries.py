"""A check report as people read it: one entry per finding, or one per cause repeated over many cells.

lib-cove's idea: forty empty Amount cells are one problem, not forty. The CLI, the HTML report and the partner
portal all show `report_entries`; the printable to-do list shows `todo_entries` (every finding, to tick off).

A finding may have a value or not (an empty required cell has none), a cell, only a sheet, only a file (a
refused workbook), a JSON path; it may be a stored dict from an older report without templates. Entries are
complete whatever the finding carried, so a finding of any shape renders. Text is made here, in the reader's
language, through render/words/issue_text.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.issues import CODES, N_
from catalogue.render.words.issue_text import Gettext, finding_hint, finding_place, finding_text, finding_title

GROUP_AT = 3  # one cause repeated on this many places or more becomes one entry with its list of places
GROUP_PLACE = N_("sheet %(sheet)s, column %(column)s")
GROUP_COLUMN = N_("column %(column)s")  # a grouped entry of a CSV or JSON file: no sheet
ROW_PLACE = N_("row %(row)s")


@dataclass(frozen=True)
class Place:
    """One cell (or row, or file) of a grouped entry, with the value found there if any."""

    cell: str
    value: str


@dataclass(frozen=True)
class ReportEntry:
    """One line of the report: a finding alone, or one cause on many places (`places` then lists them)."""

    severity: str
    code: str
    title: str  # the code's title in the reader's language
    where: str  # as people say it: `P-BETA.xlsx, sheet Funding, cell F3 (Amount)`
    message: str
    hint: str
    value: str  # the value found, or "" when the finding names none
    group_label: str = ""  # a grouped entry's file, sheet and column
    places: tuple[Place, ...] = ()

    @property
    def grouped(self) -> bool:
        """Whether this entry is one cause on many places (then `places` lists them)."""
        return bool(self.places)

    @property
    def count(self) -> int:
        """How many places a grouped entry names (0 for a finding alone)."""
        return len(self.places)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _renamed(row: Mapping[str, Any], renamed: Mapping[str, str]) -> Mapping[str, Any]:
    """The finding with its file shown under the name its sender knows (an upload is checked under another)."""
    location = row.get("location") or {}
    file = _text(location.get("file"))
    if file not in renamed:
        return row
    return {**row, "location": {**location, "file": renamed[file]}}


def _short_place(row: Mapping[str, Any], gettext: Gettext) -> str:
    """A member of a group: the cell alone (`F3`), the row, or whatever place the finding has."""
    location = row.get("location") or {}
    if location.get("column") and location.get("row") is not None and location.get("sheet"):
        return f"{location['column']}{location['row']}"
    if location.get("row") is not None:
        return gettext(ROW_PLACE) % {"row": location["row"]}
    return _text(location.get("path") or location.get("sheet") or location.get("file"))


def _entry(row: Mapping[str, Any], gettext: Gettext, places: tuple[Place, ...] = (), label: str = "") -> ReportEntry:
    code = _text(row.get("code"))
    severity = _text(row.get("severity")) or (CODES[code][0].value if code in CODES else "error")
    where = finding_place(row, gettext) or _text(row.get("where"))
    return ReportEntry(severity=severity, code=code, title=finding_title(row, gettext), where=where,
                       message=finding_text(row, gettext), hint=finding_hint(row, gettext),
                       value=_text(row.get("value")), group_label=label, places=places)


def _group_key(row: Mapping[str, Any]) -> tuple[str, ...]:
    location = row.get("location") or {}
    column = _text(location.get("header") or location.get("column") or row.get("field"))
    return (_text(row.get("severity")), _text(row.get("code")), _text(location.get("file")),
            _text(location.get("sheet")), column)


def _group_label(row: Mapping[str, Any], gettext: Gettext) -> str:
    location = row.get("location") or {}
    sheet, header = _text(location.get("sheet")), _text(location.get("header") or location.get("column"))
    if sheet and header:
        inside = gettext(GROUP_PLACE) % {"sheet": sheet, "column": header}
    else:
        inside = (finding_place({"location": {"sheet": sheet}}, gettext, with_file=False) if sheet
                  else gettext(GROUP_COLUMN) % {"column": header} if header else "")
    return ", ".join(p for p in (_text(location.get("file")), inside) if p)


def report_entries(rows: Sequence[Mapping[str, Any]], gettext: Gettext,
                   renamed: Mapping[str, str] | None = None) -> list[ReportEntry]:
    """The entries of a report: one per finding, or one per cause repeated on GROUP_AT places or more.

    The order is kept (the order a person fixes them in): a group sits where its first member was. `renamed`
    shows a file under the name its sender knows (the upload was checked as workplans/<partner id>.xlsx).
    """
    shown = [_renamed(row, renamed or {}) for row in rows]
    members: dict[tuple[str, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for row in shown:
        members[_group_key(row)].append(row)
    entries: list[ReportEntry] = []
    placed: set[tuple[str, ...]] = set()
    for row in shown:
        key = _group_key(row)
        group = members[key]
        if len(group) < GROUP_AT:
            entries.append(_entry(row, gettext))
        elif key not in placed:
            placed.add(key)
            places = tuple(Place(_short_place(m, gettext), _text(m.get("value"))) for m in group)
            entries.append(_entry(row, gettext, places, _group_label(row, gettext)))
    return entries


def todo_entries(rows: Sequence[Mapping[str, Any]], gettext: Gettext,
                 renamed: Mapping[str, str] | None = None) -> list[ReportEntry]:
    """The printable to-do list: every finding on its own line, to tick off one by one."""
    return [_entry(_renamed(row, renamed or {}), gettext) for row in rows]
