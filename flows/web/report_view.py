"""A stored check report as the pages show it: every entry complete, whatever the finding carried.

A finding may have a value or not (an empty required cell has none), a cell, only a sheet, only a file (a
refused workbook), a JSON path; it may be alone or one of many with the same cause. The templates read
`ReportEntry` fields only, never a finding's optional keys, so a finding of any shape renders (the pages'
template environment is strict about undefined names: a missing key was a 500 on the report page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogue.issues import CODES
from catalogue.render.i18n import translations

GROUP_AT = 3  # one cause repeated on this many places or more becomes one entry with its list of places


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
    where: str  # the most precise place known: `Funding!F3`, `Activities row 4`, or the file name
    message: str
    hint: str
    value: str  # the value found, or "" when the finding names none
    group_label: str = ""  # a grouped entry's sheet (or file) and column
    places: tuple[Place, ...] = ()

    @property
    def grouped(self) -> bool:
        return bool(self.places)

    @property
    def count(self) -> int:
        return len(self.places)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _where(row: Mapping[str, Any], renamed: Mapping[str, str]) -> str:
    where = _text(row.get("cell")) or _text(row.get("where")) or _text((row.get("location") or {}).get("file"))
    file = _text((row.get("location") or {}).get("file"))
    if file in renamed and where.startswith(file):
        return renamed[file] + where[len(file):]
    return where


def _title(code: str, row: Mapping[str, Any], lang: str) -> str:
    english = CODES[code][1] if code in CODES else _text(row.get("title")) or code
    return translations(lang).gettext(english)


def _entry(row: Mapping[str, Any], lang: str, renamed: Mapping[str, str], places: tuple[Place, ...] = (),
           label: str = "") -> ReportEntry:
    code = _text(row.get("code"))
    severity = _text(row.get("severity")) or (CODES[code][0].value if code in CODES else "error")
    return ReportEntry(severity=severity, code=code, title=_title(code, row, lang), where=_where(row, renamed),
                       message=_text(row.get("message")), hint=_text(row.get("hint")), value=_text(row.get("value")),
                       group_label=label, places=places)


def _group_key(row: Mapping[str, Any]) -> tuple[str, ...]:
    location = row.get("location") or {}
    column = _text(location.get("header") or location.get("column") or row.get("field"))
    return (_text(row.get("severity")), _text(row.get("code")), _text(location.get("file")),
            _text(location.get("sheet")), column)


def _group_label(row: Mapping[str, Any]) -> str:
    location = row.get("location") or {}
    where = _text(location.get("sheet") or location.get("file"))
    header = _text(location.get("header"))
    return f"{where} · {header}" if where and header else where or header


def report_entries(rows: Sequence[Mapping[str, Any]], lang: str,
                   renamed: Mapping[str, str] | None = None) -> list[ReportEntry]:
    """The entries of a report page: one per finding, or one per cause repeated on GROUP_AT places or more.

    The order is kept (the order a person fixes them in): a group sits where its first member was. `renamed`
    shows a file under the name its sender knows (the upload was checked as workplans/<partner id>.xlsx).
    """
    renamed = renamed or {}
    members: dict[tuple[str, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        members[_group_key(row)].append(row)
    entries: list[ReportEntry] = []
    placed: set[tuple[str, ...]] = set()
    for row in rows:
        key = _group_key(row)
        group = members[key]
        if len(group) < GROUP_AT:
            entries.append(_entry(row, lang, renamed))
        elif key not in placed:
            placed.add(key)
            places = tuple(Place(_where(m, renamed), _text(m.get("value"))) for m in group)
            entries.append(_entry(row, lang, renamed, places, _group_label(row)))
    return entries


def todo_entries(rows: Sequence[Mapping[str, Any]], lang: str,
                 renamed: Mapping[str, str] | None = None) -> list[ReportEntry]:
    """The printable to-do list: every finding on its own line, to tick off one by one."""
    return [_entry(row, lang, renamed or {}) for row in rows]
