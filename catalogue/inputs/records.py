"""Records as read: the values of one input row (or JSON object) and the place each value came from.

This is the flatten-tool source-map idea: a record remembers the row it came
from and where each field's column is, so any value's cell can be named later
(by the checks, the budget or the report) without keeping a Location per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalogue.issues import Location

Path_ = tuple[Any, ...]  # a path inside a record: ("budget_lines", 0, "amount")


@dataclass(frozen=True)
class InputFile:
    """One file read, for provenance."""

    name: str  # relative to the inputs folder, with / separators
    kind: str
    sha256: str
    size: int


@dataclass
class RowRef:
    """The row a record (or one of its lines) came from, and where each of its fields' columns is."""

    location: Location
    columns: dict[str, tuple[str, str]]  # field column name -> (letter or header, header text)
    missing_columns: frozenset[str] = frozenset()


def with_column(loc: Location, letter: str, header: str) -> Location:
    """The same row's place, narrowed to one column."""
    return Location(file=loc.file, sheet=loc.sheet, row=loc.row, column=letter, header=header, path=loc.path)


@dataclass
class Record:
    """One input record (a partner, a priority, an activity with its lines) and the origin of its values."""

    kind: str
    data: dict[str, Any]
    origin: Location
    # Only rows are remembered (with where each field's column is): a cell's place is derived from its row,
    # which keeps a million-cell input set in a few hundred MB less than one Location per cell did.
    rows: dict[Path_, RowRef] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        """The record's id (an FX rate's currency), or None when it has no text id."""
        value = self.data.get("id", self.data.get("currency"))
        return value if isinstance(value, str) else None

    def locate(self, path: Path_, missing: str | None = None) -> Location:
        """The most precise place known for a value at `path` (or for a field `missing` below it)."""
        full = tuple(path) + ((missing,) if missing is not None else ())
        for k in range(len(full), -1, -1):
            ref = self.rows.get(full[:k])
            if ref is not None:
                return _narrow(ref, full[k:])
        return self.origin

    def column_missing(self, path: Path_, name: str) -> bool:
        """True when the sheet has no column at all for this field (already reported once)."""
        for k in range(len(path), -1, -1):
            ref = self.rows.get(tuple(path[:k]))
            if ref is not None:
                column = "/".join(str(p) for p in (tuple(path[k:]) + (name,)) if not isinstance(p, int))
                return column in ref.missing_columns
        return False


def _narrow(ref: RowRef, rest: Path_) -> Location:
    """A row's place narrowed to the value at `rest` below it: its cell, or its JSON path."""
    column = "/".join(str(p) for p in rest if not isinstance(p, int))
    if not column:
        return ref.location
    if column in ref.columns:
        letter, header = ref.columns[column]
        return with_column(ref.location, letter, header)
    if ref.location.path is not None:  # a JSON record: the value's own JSON path
        return Location(ref.location.file, path=ref.location.path + "/" + "/".join(str(p) for p in rest))
    return ref.location
