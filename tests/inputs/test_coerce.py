"""Cells as partners type them become the schema's types; what is not understood is kept as typed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from catalogue.inputs.coerce import to_decimal, to_enum, to_integer, to_iso_date, to_text


@pytest.mark.parametrize("typed, expected", [
    ("1 200,50", Decimal("1200.50")),  # French: space thousands, decimal comma
    ("1\u202f200,50", Decimal("1200.50")),  # narrow no-break space, as Excel in French writes it
    ("10,000", Decimal("10000")),
    ("1,200.50", Decimal("1200.50")),
    ("1.200,50", Decimal("1200.50")),  # German
    ("1'200.50", Decimal("1200.50")),  # Swiss
    ("1200,5", Decimal("1200.5")),
    (" 12500 ", Decimal("12500")),
    (1200.1, Decimal("1200.1")),  # a float cell: its shortest repr, not 1200.0999999999999
    (0.1, Decimal("0.1")),
    (35040, Decimal("35040")),
])
def test_numbers_typed_many_ways(typed, expected) -> None:
    assert to_decimal(typed) == expected
    assert isinstance(to_decimal(typed), Decimal)


@pytest.mark.parametrize("typed", ["about ten thousand", "USD 100", "1.2.3", "12-"])
def test_words_in_numbers_are_kept_for_the_error_message(typed) -> None:
    assert to_decimal(typed) == typed.strip()


@pytest.mark.parametrize("typed, expected", [
    ("15/03/2025", "2025-03-15"),
    ("15.03.2025", "2025-03-15"),
    ("2025-03-15", "2025-03-15"),
    (datetime(2025, 3, 15, 0, 0), "2025-03-15"),
    (date(2025, 3, 15), "2025-03-15"),
    (45731, "2025-03-15"),  # an Excel serial
    ("45731", "2025-03-15"),
    ("2025-03-15 00:00:00", "2025-03-15"),
])
def test_dates_typed_many_ways(typed, expected) -> None:
    assert to_iso_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2025", "next spring", "13/13/2025"])
def test_impossible_dates_are_kept_as_typed(typed) -> None:
    assert to_iso_date(typed) == typed


def test_enums_forgive_case_and_spaces() -> None:
    assert to_enum(" Staff time ", ("cash", "staff_time")) == "staff_time"
    assert to_enum("CONFIRMED", ("confirmed", "pledged")) == "confirmed"
    assert to_enum("maybe", ("confirmed", "pledged")) == "maybe"


def test_codes_typed_in_lower_case() -> None:
    assert to_text("usd", "^[A-Z]{3}$") == "USD"
    assert to_text("p-wwf", "^P-[A-Z0-9]+(-[A-Z0-9]+)*$") == "P-WWF"
    assert to_text("Great bustard", None) == "Great bustard"


def test_integers() -> None:
    assert to_integer(4.0) == 4
    assert to_integer("4") == 4
    assert to_integer("4.5") == "4.5"
