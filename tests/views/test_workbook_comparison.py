"""What a partner's new workbook changes, figured by the real pipeline on the small fixture (hand-worked)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalogue.api import compare_partner_workbook
from catalogue.views.workbook_comparison import ADDED, CHANGED, REMOVED
from tests.fixtures.small import write_small_inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_inputs(tmp_path_factory.mktemp("comparison") / "inputs")


def _sent(inputs: Path, change: object) -> bytes:
    workbook = load_workbook(inputs / "workplans" / "P-ALPHA.xlsx")
    change(workbook)  # type: ignore[operator]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_same_workbook_changes_nothing(inputs: Path) -> None:
    same = (inputs / "workplans" / "P-ALPHA.xlsx").read_bytes()
    comparison = compare_partner_workbook(inputs, "P-ALPHA", ".xlsx", same)
    assert comparison is not None and comparison.identical and comparison.unchanged == 3
    assert comparison.before == comparison.after
    assert comparison.before.required == Decimal("56540.00")  # 16,000 + 5,500 + 35,040


def test_added_removed_and_changed_with_their_money(inputs: Path) -> None:
    def edit(workbook: object) -> None:
        budget = workbook["Budget"]  # type: ignore[index]
        for row in budget.iter_rows(min_row=2):
            if row[0].value == "ALPHA-001" and row[1].value == 1:
                assert row[5].value == 10000
                row[5].value = 13000  # field surveys: USD 3,000 more needed
            if row[0].value == "ALPHA-003":
                row[0].value = "ALPHA-004"
        for row in workbook["Activities"].iter_rows(min_row=2):  # type: ignore[index]
            if row[0].value == "ALPHA-003":
                row[0].value = "ALPHA-004"  # the same work under a new id: one removed, one added

    comparison = compare_partner_workbook(inputs, "P-ALPHA", ".xlsx", _sent(inputs, edit))
    assert comparison is not None and comparison.currency == "USD"
    assert [(c.kind, c.activity_id) for c in comparison.changes] == [
        (ADDED, "ALPHA-004"), (CHANGED, "ALPHA-001"), (REMOVED, "ALPHA-003")]
    added, changed, removed = comparison.changes
    assert added.after.required == Decimal("35040.00") and added.required_change == Decimal("35040.00")
    assert removed.before.gap == Decimal("35040.00") and removed.gap_change == Decimal("-35040.00")
    assert changed.aspects == ("budget lines",)
    assert (changed.required_change, changed.secured_change, changed.gap_change) == (
        Decimal("3000.00"), Decimal("0.00"), Decimal("3000.00"))
    assert changed.before.gap == Decimal("6000.00") and changed.after.gap == Decimal("9000.00")
    assert comparison.unchanged == 1  # ALPHA-002
    assert comparison.after.required - comparison.before.required == Decimal("3000.00")
    assert comparison.after.gap == Decimal("44040.00")  # 9,000 + 0 + 35,040


def test_a_workbook_with_errors_has_nothing_to_compare(inputs: Path) -> None:
    def blank_title(workbook: object) -> None:
        workbook["Activities"]["B2"].value = None  # type: ignore[index]

    assert compare_partner_workbook(inputs, "P-ALPHA", ".xlsx", _sent(inputs, blank_title)) is None
