"""The Great Expectations rules evaluated without Great Expectations, for a partner's quick check.

A partner checking one workbook waits for the answer; importing Great
Expectations alone takes about 2.5 s, ten times the checking itself. So the
same rule definitions (rules.build_rules, given this module's stand-ins for
the five expectation classes it uses and for GX's row-condition Column) are
evaluated here with pandas, following GX's documented semantics for each:
null values are outside a column expectation's domain, a row condition
narrows the domain, pair expectations skip rows by `ignore_row_if`, and a
compound key is unexpected on every row that shares it. The full check and
the build still run the GX suites (and write Data Docs); a test runs both
engines over the broken-input corpus and the sample and requires the same
issues, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# pandas frames and boolean masks; pandas-stubs types most of their operations as Any anyway.
Frame = Any
Mask = Any


@dataclass(frozen=True)
class Condition:
    """GX's `Column(name) == value` row condition."""

    column: str
    value: Any

    def mask(self, frame: Frame) -> Mask:
        """The rows where the column holds the value."""
        return frame[self.column] == self.value


class Column:
    """Stand-in for great_expectations.expectations.row_conditions.Column (only `==` is used)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> Condition:  # type: ignore[override]
        return Condition(self.name, other)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Expectation:
    """One expectation's arguments, as GX's class would take them; `unexpected` is its pandas evaluation."""

    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def meta(self) -> dict[str, Any]:
        """The expectation's meta (its rule name and issue code), as GX's class keeps it."""
        return dict(self.kwargs.get("meta") or {})

    def domain(self, frame: Frame) -> Frame:
        """The rows the expectation applies to: those its row condition selects, else all."""
        condition = self.kwargs.get("row_condition")
        return frame[condition.mask(frame)] if condition is not None else frame

    def reported_columns(self) -> list[str]:
        """The columns GX reports with each unexpected row."""
        raise NotImplementedError

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Which rows of the domain break the expectation."""
        raise NotImplementedError

    def unexpected(self, frame: Frame) -> list[dict[str, Any]]:
        """The unexpected rows as GX reports them with unexpected_index_column_names=["_ref"]."""
        domain = self.domain(frame)
        rows = domain[self.unexpected_mask(domain)]
        columns = ["_ref", *(c for c in self.reported_columns() if c != "_ref")]
        return [dict(zip(columns, values, strict=True)) for values in rows[columns].itertuples(index=False)]


class _ColumnMap(Expectation):
    def reported_columns(self) -> list[str]:
        return [self.kwargs["column"]]

    def domain(self, frame: Frame) -> Frame:
        narrowed = super().domain(frame)
        return narrowed[narrowed[self.kwargs["column"]].notna()]


class ExpectColumnValuesToBeInSet(_ColumnMap):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Values not in `value_set`."""
        return ~frame[self.kwargs["column"]].isin(list(self.kwargs["value_set"]))


class ExpectColumnValuesToBeBetween(_ColumnMap):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Values below `min_value` or above `max_value` (each bound optional, both inclusive)."""
        values = frame[self.kwargs["column"]]
        outside = values != values  # all False, aligned with the frame
        if self.kwargs.get("min_value") is not None:
            outside |= values < self.kwargs["min_value"]
        if self.kwargs.get("max_value") is not None:
            outside |= values > self.kwargs["max_value"]
        return outside


class _ColumnPair(Expectation):
    default_ignore = "both_values_are_missing"

    def reported_columns(self) -> list[str]:
        return [self.kwargs["column_A"], self.kwargs["column_B"]]

    def domain(self, frame: Frame) -> Frame:
        narrowed = super().domain(frame)
        a, b = narrowed[self.kwargs["column_A"]].isna(), narrowed[self.kwargs["column_B"]].isna()
        ignore = self.kwargs.get("ignore_row_if", self.default_ignore)
        skipped = (a | b) if ignore == "either_value_is_missing" else (a & b) if ignore == "both_values_are_missing" else a & False
        return narrowed[~skipped]


class ExpectColumnPairValuesAToBeGreaterThanB(_ColumnPair):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Rows where A is not greater than B (nor equal to it, with `or_equal`)."""
        a, b = frame[self.kwargs["column_A"]], frame[self.kwargs["column_B"]]
        return ~((a >= b) if self.kwargs.get("or_equal") else (a > b))


class ExpectColumnPairValuesToBeEqual(_ColumnPair):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Rows where A and B differ."""
        return frame[self.kwargs["column_A"]] != frame[self.kwargs["column_B"]]


class ExpectCompoundColumnsToBeUnique(Expectation):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs)

    def reported_columns(self) -> list[str]:
        """The key's columns, `column_list`."""
        return list(self.kwargs["column_list"])

    def domain(self, frame: Frame) -> Frame:
        """The rows its row condition selects, less those whose key columns are all missing."""
        narrowed = super().domain(frame)
        return narrowed[~narrowed[self.reported_columns()].isna().all(axis=1)]  # ignore_row_if: all missing

    def unexpected_mask(self, frame: Frame) -> Mask:
        """Every row whose key another row shares, the first one included."""
        return frame.duplicated(subset=self.reported_columns(), keep=False)
